// Package photo makes the photos of a report ("foto's bij een melding")
// safe to keep: Process sniffs the type from the content (JPEG, PNG, WebP),
// refuses uploads over a byte or pixel limit before decoding a pixel,
// removes every piece of metadata (EXIF with the GPS position, XMP, IPTC,
// ICC profiles, comments, embedded thumbnails, appended data), turns the
// pixels upright as the EXIF orientation says, makes a thumbnail and
// computes the SHA-256 of the bytes to store, for the case's timeline.
//
// A photo is kept behind the small Blobs interface by a random key
// (Store); package photoblob implements it over a folder, S3-compatible
// storage or memory. Serving a photo is the caller's: only to the reporter
// and the clerks of the case, never from a public URL.
//
// An upright JPEG, the common case, is never decoded in full: its metadata
// segments are cut out of the file and its thumbnail is made from the DC
// coefficients of its blocks (1/8 scale), about 6 MB allocated and 40 ms
// of CPU for 12 megapixels. A turned photo (a portrait taken with a
// phone) that is a baseline JPEG, as cameras and phones write them, is
// turned losslessly like jpegtran does: the DCT coefficients of each
// block are decoded, turned and at once coded again with the standard
// Huffman tables into a stream of bits about the size of the file, which
// a second pass copies in the turned order; the thumbnail again from the
// DC coefficients. On one goroutine, that is about 10 MB allocated (the
// upload, its stripped copy and the output; the stream is pooled) and
// some 90 ms of CPU for 12 megapixels (BenchmarkProcess12MPTurned),
// against 0.55–0.75 s to decode, turn and encode again. Like `jpegtran
// -trim`, it drops the partial MCU (at most 15 pixels) at an edge the
// turn mirrors. Other JPEGs (progressive) are decoded, turned and encoded
// again: about 50 MB. So a Processor bounds how many photos are processed
// at once; the package-level Process uses a bound of GOMAXPROCS.
package photo

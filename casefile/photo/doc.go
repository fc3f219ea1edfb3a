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
// coefficients of its blocks (1/8 scale), about 6 MB allocated and 55 ms
// of CPU for 12 megapixels. A turned photo (a portrait taken with a phone)
// is decoded, turned and encoded again: about 50 MB and 0.55 s of CPU for
// 12 megapixels, most of it in image/jpeg's encoder. So a Processor bounds
// how many photos are processed at once; the package-level Process uses a
// bound of GOMAXPROCS.
package photo

package photo

import (
	"encoding/binary"
	"errors"
)

var errWebPStructure = errors.New("webp: broken RIFF structure")

// webpInfo walks a WebP's RIFF chunks and returns the EXIF orientation and
// whether the image is
// lossless or has an alpha channel (a "VP8L" bitstream or an "ALPH"
// chunk): such an image is stored as PNG, a lossy opaque one as JPEG. The
// pixels are re-encoded, so no chunk is copied.
//
// The orientation counts only when the EXIF chunk comes before the image
// data. The container specification places EXIF after it, and CSS Images 3
// (§ "image-orientation", metadata after the image data is ignored) has
// browsers ignore such late orientation: the citizen saw the photo
// unturned, so it is kept unturned.
func webpInfo(data []byte) (orient Orientation, lossless bool, err error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return 0, false, errWebPStructure
	}
	pos := 12
	seenImage := false
	for pos+8 <= len(data) {
		typ := string(data[pos : pos+4])
		n := int(binary.LittleEndian.Uint32(data[pos+4:]))
		if n < 0 || n > len(data)-pos-8 {
			return 0, false, errWebPStructure
		}
		body := data[pos+8 : pos+8+n]
		switch typ {
		case "EXIF":
			if orient == 0 && !seenImage {
				orient = exifOrientation(body)
			}
		case "ALPH", "VP8L":
			lossless = true
		}
		if typ == "VP8 " || typ == "VP8L" || typ == "ANMF" {
			seenImage = true
		}
		pos += 8 + n + n&1 // chunks are padded to an even size
	}
	return orient, lossless, nil
}

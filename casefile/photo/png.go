package photo

import (
	"encoding/binary"
	"errors"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

var errPNGStructure = errors.New("png: broken chunk structure")

// pngKeep lists the chunks a PNG keeps: the critical ones and those that
// change how its pixels look (transparency, gamma, chromaticities, sRGB
// intent, significant bits, background, pixel size). Text (tEXt, zTXt,
// iTXt), EXIF (eXIf), time (tIME), ICC profiles (iCCP), animation and every
// private or unknown chunk are dropped.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "sBIT": true, "bKGD": true, "pHYs": true,
}

// stripPNG copies a PNG's kept chunks, CRCs unchanged, and returns the
// orientation of its eXIf chunk when that comes before the image data (the
// PNG specification, 3rd edition, requires it there, and browsers ignore a
// late one, per CSS Images 3). Anything after IEND is dropped.
func stripPNG(data []byte) ([]byte, Orientation, error) {
	if len(data) < len(pngSignature) || string(data[:8]) != string(pngSignature) {
		return nil, 0, errPNGStructure
	}
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	var orient Orientation
	seenIDAT := false
	pos := 8
	for {
		if pos+12 > len(data) {
			return nil, 0, errPNGStructure
		}
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		end := int64(pos) + 12 + n
		if n > 1<<31-1 || end > int64(len(data)) {
			return nil, 0, errPNGStructure
		}
		typ := string(data[pos+4 : pos+8])
		if pngKeep[typ] {
			out = append(out, data[pos:end]...)
		} else if typ == "eXIf" && orient == 0 && !seenIDAT {
			orient = exifOrientation(data[pos+8 : pos+8+int(n)])
		}
		pos = int(end)
		seenIDAT = seenIDAT || typ == "IDAT"
		if typ == "IEND" {
			return out, orient, nil
		}
	}
}

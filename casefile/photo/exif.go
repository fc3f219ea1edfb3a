package photo

import (
	"bytes"
	"encoding/binary"
)

// Orientation is the EXIF Orientation tag (0x0112): how the stored pixels
// must be turned to be seen upright. 1 is upright; 0 means the tag is absent.
type Orientation uint8

// needsTurn reports whether pixels must be moved to show the image upright.
func (o Orientation) needsTurn() bool { return o >= 2 && o <= 8 }

// swapsAxes reports whether the upright image has width and height swapped.
func (o Orientation) swapsAxes() bool { return o >= 5 && o <= 8 }

var exifHeader = []byte("Exif\x00\x00")

// exifOrientation reads the Orientation tag from IFD0 of an EXIF block (a
// TIFF structure, with or without the "Exif\0\0" prefix of JPEG's APP1).
// It returns 0 for a block it cannot read: orientation is a hint, and an
// unreadable one is treated as absent rather than refusing the photo.
func exifOrientation(b []byte) Orientation {
	b = bytes.TrimPrefix(b, exifHeader)
	if len(b) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int64(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > int64(len(b)) {
		return 0
	}
	n := int64(bo.Uint16(b[off:]))
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(b)) {
			return 0
		}
		tag, typ, count := bo.Uint16(b[e:]), bo.Uint16(b[e+2:]), bo.Uint32(b[e+4:])
		if tag != 0x0112 {
			continue
		}
		if typ != 3 || count != 1 { // SHORT, one value, held in the entry itself
			return 0
		}
		v := bo.Uint16(b[e+8:])
		if v < 1 || v > 8 {
			return 0
		}
		return Orientation(v)
	}
	return 0
}

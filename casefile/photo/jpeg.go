package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
)

var errJPEGStructure = errors.New("jpeg: broken segment structure")

// stripJPEG rewrites a JPEG's segments without touching its compressed
// pixels: it keeps what a decoder needs (quantisation and Huffman tables,
// the frame and scan headers, restart intervals, the entropy-coded data),
// a JFIF APP0 reduced to its density (its embedded thumbnail dropped) and
// an Adobe APP14 reduced to its colour-transform flag, and drops every
// other APPn (EXIF with GPS, XMP, ICC profiles, IPTC/Photoshop, MPF, maker
// data), every comment (COM) and anything after EOI (appended images and
// trailers). It also returns the EXIF orientation it saw.
//
// Dropping the ICC profile means a wide-gamut photo is shown as sRGB,
// slightly duller; the profile names the device, so it goes too.
func stripJPEG(data []byte) ([]byte, Orientation, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, 0, errJPEGStructure
	}
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, 0xD8)
	var orient Orientation
	pos := 2
	for {
		// Markers may be preceded by any number of 0xFF fill bytes.
		if pos >= len(data) || data[pos] != 0xFF {
			return nil, 0, errJPEGStructure
		}
		for pos < len(data) && data[pos] == 0xFF {
			pos++
		}
		if pos >= len(data) {
			return nil, 0, errJPEGStructure
		}
		m := data[pos]
		pos++
		switch {
		case m == 0xD9: // EOI: the end; whatever follows is not kept.
			return append(out, 0xFF, 0xD9), orient, nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7): // standalone markers
			out = append(out, 0xFF, m)
			continue
		case m == 0x00 || m == 0xD8:
			return nil, 0, errJPEGStructure
		}
		if pos+2 > len(data) {
			return nil, 0, errJPEGStructure
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 || pos+n > len(data) {
			return nil, 0, errJPEGStructure
		}
		payload := data[pos+2 : pos+n]
		seg := data[pos-2 : pos+n]
		pos += n
		switch {
		case m == 0xE0: // APP0
			if len(payload) >= 14 && bytes.HasPrefix(payload, []byte("JFIF\x00")) {
				// Version, units and density; thumbnail size 0x0.
				out = append(out, 0xFF, 0xE0, 0x00, 0x10)
				out = append(out, payload[:12]...)
				out = append(out, 0, 0)
			}
		case m == 0xEE: // APP14
			if len(payload) >= 12 && bytes.HasPrefix(payload, []byte("Adobe")) {
				out = append(out, 0xFF, 0xEE, 0x00, 0x0E)
				out = append(out, payload[:12]...)
			}
		case m == 0xE1: // APP1: EXIF or XMP
			if o := exifOrientation(payloadIfExif(payload)); o != 0 && orient == 0 {
				orient = o
			}
		case m >= 0xE2 && m <= 0xEF, m == 0xFE: // other APPn, COM
		case m == 0xDA: // SOS: the header, then entropy-coded data up to the next marker
			out = append(out, seg...)
			end := scanEnd(data, pos)
			out = append(out, data[pos:end]...)
			pos = end
		default:
			out = append(out, seg...)
		}
	}
}

func payloadIfExif(p []byte) []byte {
	if bytes.HasPrefix(p, exifHeader) {
		return p
	}
	return nil
}

// scanEnd returns the index of the first marker after entropy-coded data
// that starts at pos: 0xFF followed by neither 0x00 (a stuffed byte) nor a
// restart marker RST0–RST7. It returns len(data) when there is none.
func scanEnd(data []byte, pos int) int {
	for {
		i := bytes.IndexByte(data[pos:], 0xFF)
		if i < 0 {
			return len(data)
		}
		pos += i
		if pos+1 >= len(data) {
			return len(data)
		}
		next := data[pos+1]
		if next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF {
			if next == 0xFF {
				// Fill bytes before a marker: the marker starts here.
				j := pos
				for j < len(data) && data[j] == 0xFF {
					j++
				}
				if j < len(data) && data[j] != 0x00 && (data[j] < 0xD0 || data[j] > 0xD7) {
					return pos
				}
				pos = j
				continue
			}
			pos += 2
			continue
		}
		return pos
	}
}

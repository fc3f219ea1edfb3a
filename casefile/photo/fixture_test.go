package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// Distinctive bytes planted in the metadata of the fixtures: none may be
// found in a processed photo.
const (
	secretMake = "SecretCam-4711"
	secretXMP  = "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>SecretXMP</x:xmpmeta>"
	secretIPTC = "Photoshop 3.0\x008BIM\x04\x04SecretIPTC"
	secretICC  = "ICC_PROFILE\x00\x01\x01SecretICC"
	secretCOM  = "SecretComment"
	secretTail = "SecretTrailer"
)

// gpsLatitude is 50° 52' 12.34" as the three RATIONALs of GPSLatitude,
// little-endian: a pattern that cannot occur by chance.
var gpsLatitude = func() []byte {
	b := make([]byte, 24)
	for i, v := range []uint32{50, 1, 52, 1, 1234, 100} {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return b
}()

var secrets = [][]byte{
	[]byte("Exif\x00\x00"), []byte(secretMake), []byte("SecretXMP"), []byte("SecretIPTC"),
	[]byte("SecretICC"), []byte(secretCOM), []byte(secretTail), gpsLatitude,
	[]byte("http://ns.adobe.com/xap"), []byte("Photoshop 3.0"), []byte("ICC_PROFILE"),
}

// exifTIFF builds a little-endian TIFF block: IFD0 with Make, Orientation
// (when o > 0) and a GPSInfo pointer; a GPS IFD with GPSLatitudeRef "N"
// and GPSLatitude.
func exifTIFF(o Orientation) []byte {
	le := binary.LittleEndian
	var b []byte
	b = append(b, 'I', 'I', 42, 0, 8, 0, 0, 0)
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // ≤ 4 bytes inline, else placed after the IFD
	}
	makeStr := append([]byte(secretMake), 0)
	ifd0 := []entry{{0x010F, 2, uint32(len(makeStr)), makeStr}}
	if o > 0 {
		ifd0 = append(ifd0, entry{0x0112, 3, 1, []byte{byte(o), 0}})
	}
	ifd0 = append(ifd0, entry{0x8825, 4, 1, nil}) // GPSInfo, offset patched below
	writeIFD := func(entries []entry, gpsAt *int) {
		start := len(b)
		b = le.AppendUint16(b, uint16(len(entries)))
		extra := start + 2 + 12*len(entries) + 4
		var tail []byte
		for _, e := range entries {
			b = le.AppendUint16(b, e.tag)
			b = le.AppendUint16(b, e.typ)
			b = le.AppendUint32(b, e.count)
			switch {
			case e.tag == 0x8825:
				*gpsAt = len(b)
				b = append(b, 0, 0, 0, 0)
			case len(e.value) <= 4:
				v := make([]byte, 4)
				copy(v, e.value)
				b = append(b, v...)
			default:
				b = le.AppendUint32(b, uint32(extra+len(tail)))
				tail = append(tail, e.value...)
			}
		}
		b = append(b, 0, 0, 0, 0) // no next IFD
		b = append(b, tail...)
	}
	var gpsAt int
	writeIFD(ifd0, &gpsAt)
	le.PutUint32(b[gpsAt:], uint32(len(b)))
	writeIFD([]entry{{0x0001, 2, 2, []byte("N\x00")}, {0x0002, 5, 3, gpsLatitude}}, nil)
	return b
}

// marked is a w×h image, grey, with a red square in its top-left corner,
// so a test can tell where the top-left went.
func marked(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{128, 128, 128, 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{230, 20, 20, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// jpegWithMetadata encodes img and plants every kind of metadata in it:
// APP1 EXIF (orientation o, GPS), APP1 XMP, APP13 IPTC, APP2 ICC, COM and
// bytes after EOI.
func jpegWithMetadata(t testing.TB, img image.Image, o Orientation) []byte {
	var enc bytes.Buffer
	require.NoError(t, jpeg.Encode(&enc, img, &jpeg.Options{Quality: 90}))
	raw := enc.Bytes()
	require.Equal(t, []byte{0xFF, 0xD8}, raw[:2])
	var b []byte
	b = append(b, 0xFF, 0xD8)
	jfif := []byte("JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x01\x01")
	jfif = append(jfif, 0xAA, 0xBB, 0xCC) // a 1×1 embedded thumbnail
	b = append(b, segment(0xE0, jfif)...)
	b = append(b, segment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(o)...))...)
	b = append(b, segment(0xE1, []byte(secretXMP))...)
	b = append(b, segment(0xED, []byte(secretIPTC))...)
	b = append(b, segment(0xE2, []byte(secretICC))...)
	b = append(b, segment(0xFE, []byte(secretCOM))...)
	b = append(b, raw[2:]...)
	return append(b, secretTail...)
}

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// pngWithMetadata encodes img and plants tEXt, iTXt (XMP), zTXt-like
// private data, tIME, iCCP and eXIf (orientation o, GPS) after IHDR, and
// bytes after IEND.
func pngWithMetadata(t testing.TB, img image.Image, o Orientation) []byte {
	var enc bytes.Buffer
	require.NoError(t, png.Encode(&enc, img))
	raw := enc.Bytes()
	ihdrEnd := 8 + 12 + 13
	var b []byte
	b = append(b, raw[:ihdrEnd]...)
	b = append(b, pngChunk("tEXt", []byte("Author\x00"+secretMake))...)
	b = append(b, pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+secretXMP))...)
	b = append(b, pngChunk("tIME", []byte{0x07, 0xEA, 12, 2, 8, 30, 0})...)
	b = append(b, pngChunk("iCCP", []byte(secretICC))...)
	b = append(b, pngChunk("eXIf", exifTIFF(o))...)
	b = append(b, pngChunk("prVt", []byte(secretCOM))...)
	b = append(b, raw[ihdrEnd:]...)
	return append(b, secretTail...)
}

// webpWithEXIF wraps a simple lossy WebP (RIFF, VP8) in the extended
// format (VP8X) with an EXIF chunk after the image, as the container
// specification orders them, or before it when early is true.
func webpWithEXIF(t testing.TB, simple []byte, w, h int, o Orientation, early ...bool) []byte {
	require.Equal(t, "VP8 ", string(simple[12:16]))
	vp8 := simple[12:]
	vp8x := make([]byte, 10)
	vp8x[0] = 1 << 3 // EXIF present
	wm, hm := w-1, h-1
	vp8x[4], vp8x[5], vp8x[6] = byte(wm), byte(wm>>8), byte(wm>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(hm), byte(hm>>8), byte(hm>>16)
	riffChunk := func(typ string, data []byte) []byte {
		c := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	body := []byte("WEBP")
	body = append(body, riffChunk("VP8X", vp8x)...)
	exif := riffChunk("EXIF", append([]byte("Exif\x00\x00"), exifTIFF(o)...))
	if len(early) > 0 && early[0] {
		body = append(body, exif...)
		body = append(body, vp8...)
	} else {
		body = append(body, vp8...)
		body = append(body, exif...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

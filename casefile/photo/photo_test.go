package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jpegMarkers lists the markers of a JPEG up to the first SOS, reading it
// independently of stripJPEG.
func jpegMarkers(t *testing.T, b []byte) []byte {
	t.Helper()
	require.Equal(t, []byte{0xFF, 0xD8}, b[:2])
	var ms []byte
	pos := 2
	for pos+4 <= len(b) {
		require.Equal(t, byte(0xFF), b[pos], "marker at %d", pos)
		m := b[pos+1]
		ms = append(ms, m)
		if m == 0xDA {
			break
		}
		pos += 2 + int(binary.BigEndian.Uint16(b[pos+2:]))
	}
	return ms
}

func assertNoSecrets(t *testing.T, b []byte) {
	t.Helper()
	for _, s := range secrets {
		assert.False(t, bytes.Contains(b, s), "output still contains %q", s)
	}
}

// assertRedCorner checks that the red square of marked() is in the named
// corner of the decoded image.
func assertRedCorner(t *testing.T, img image.Image, corner string) {
	t.Helper()
	b := img.Bounds()
	at := map[string]image.Point{
		"top-left":     {b.Min.X + 2, b.Min.Y + 2},
		"top-right":    {b.Max.X - 3, b.Min.Y + 2},
		"bottom-left":  {b.Min.X + 2, b.Max.Y - 3},
		"bottom-right": {b.Max.X - 3, b.Max.Y - 3},
	}
	for name, p := range at {
		r, g, _, _ := img.At(p.X, p.Y).RGBA()
		red := r>>8 > 180 && g>>8 < 80
		assert.Equal(t, name == corner, red, "corner %s of %v: rgb %d,%d", name, b, r>>8, g>>8)
	}
}

func TestProcessJPEGStripsAllMetadata(t *testing.T) {
	in := jpegWithMetadata(t, marked(64, 48), 1)
	for _, s := range secrets {
		require.True(t, bytes.Contains(in, s), "fixture lacks %q", s)
	}
	p, err := Process(bytes.NewReader(in), Limits{})
	require.NoError(t, err)

	assert.Equal(t, JPEG, p.Format)
	assert.False(t, p.Reencoded, "an upright JPEG keeps its pixels")
	assertNoSecrets(t, p.Data)
	assertNoSecrets(t, p.Thumbnail)
	// Only JFIF, tables, frame and scan remain; no APP1–APP15, no COM.
	for _, m := range jpegMarkers(t, p.Data) {
		assert.False(t, (m >= 0xE1 && m <= 0xEF) || m == 0xFE, "marker %#x kept", m)
	}
	assert.Equal(t, []byte{0xFF, 0xD9}, p.Data[len(p.Data)-2:], "nothing after EOI")
	// The JFIF thumbnail is dropped: APP0 is exactly 16 bytes with 0×0.
	assert.Equal(t, []byte{0xFF, 0xE0, 0x00, 0x10}, p.Data[2:6])
	assert.Equal(t, []byte{0, 0}, p.Data[18:20])
	// The entropy-coded pixels are the encoder's, byte for byte.
	var enc bytes.Buffer
	require.NoError(t, jpeg.Encode(&enc, marked(64, 48), &jpeg.Options{Quality: 90}))
	assert.True(t, bytes.HasSuffix(p.Data, enc.Bytes()[2:]))

	assert.Equal(t, 64, p.Width)
	assert.Equal(t, 48, p.Height)
	assert.Equal(t, sha256.Sum256(p.Data), p.SHA256)
	assert.Len(t, p.Digest(), 64)
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	require.NoError(t, err)
	assertRedCorner(t, img, "top-left")
}

func TestProcessJPEGOrientation(t *testing.T) {
	tests := []struct {
		o      Orientation
		w, h   int
		corner string
	}{
		{0, 80, 48, "top-left"},
		{1, 80, 48, "top-left"},
		{2, 80, 48, "top-right"},
		{3, 80, 48, "bottom-right"},
		{4, 80, 48, "bottom-left"},
		{5, 48, 80, "top-left"},
		{6, 48, 80, "top-right"},
		{7, 48, 80, "bottom-right"},
		{8, 48, 80, "bottom-left"},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.o)), func(t *testing.T) {
			p, err := Process(bytes.NewReader(jpegWithMetadata(t, marked(80, 48), tt.o)), Limits{})
			require.NoError(t, err)
			assert.Equal(t, tt.o.needsTurn(), p.Reencoded)
			assert.Equal(t, tt.w, p.Width)
			assert.Equal(t, tt.h, p.Height)
			assertNoSecrets(t, p.Data)
			img, err := jpeg.Decode(bytes.NewReader(p.Data))
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tt.w, tt.h), img.Bounds().Size())
			assertRedCorner(t, img, tt.corner)
			for _, m := range jpegMarkers(t, p.Data) {
				assert.False(t, m >= 0xE1 && m <= 0xEF, "marker %#x kept", m)
			}

			th, err := jpeg.Decode(bytes.NewReader(p.Thumbnail))
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tt.w, tt.h), th.Bounds().Size(), "small images are not enlarged")
			assertRedCorner(t, th, tt.corner)
		})
	}
}

func TestProcessThumbnail(t *testing.T) {
	p, err := Process(bytes.NewReader(jpegWithMetadata(t, marked(1200, 800), 6)), Limits{Thumbnail: 320})
	require.NoError(t, err)
	assert.Equal(t, 800, p.Width)
	assert.Equal(t, 1200, p.Height)
	assert.Equal(t, 213, p.ThumbWidth)
	assert.Equal(t, 320, p.ThumbHeight)
	th, err := jpeg.Decode(bytes.NewReader(p.Thumbnail))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(213, 320), th.Bounds().Size())
	assertRedCorner(t, th, "top-right")
	assertNoSecrets(t, p.Thumbnail)
}

func pngChunks(t *testing.T, b []byte) []string {
	t.Helper()
	require.Equal(t, pngSignature, b[:8])
	var types []string
	for pos := 8; pos+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[pos:]))
		types = append(types, string(b[pos+4:pos+8]))
		pos += 12 + n
	}
	return types
}

func TestProcessPNG(t *testing.T) {
	for _, tt := range []struct {
		o      Orientation
		w, h   int
		corner string
	}{
		{1, 40, 24, "top-left"},
		{6, 24, 40, "top-right"},
		{3, 40, 24, "bottom-right"},
	} {
		in := pngWithMetadata(t, marked(40, 24), tt.o)
		p, err := Process(bytes.NewReader(in), Limits{})
		require.NoError(t, err)
		assert.Equal(t, PNG, p.Format)
		assert.Equal(t, tt.o != 1, p.Reencoded)
		assertNoSecrets(t, p.Data)
		for _, c := range pngChunks(t, p.Data) {
			assert.Contains(t, []string{"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "bKGD", "pHYs"}, c)
		}
		assert.True(t, bytes.HasSuffix(p.Data, []byte("IEND\xaeB`\x82")), "nothing after IEND")
		img, err := png.Decode(bytes.NewReader(p.Data))
		require.NoError(t, err)
		assert.Equal(t, image.Pt(tt.w, tt.h), img.Bounds().Size())
		assertRedCorner(t, img, tt.corner)
	}
}

func TestProcessWebP(t *testing.T) {
	simple, err := os.ReadFile("testdata/video-001.lossy.webp")
	require.NoError(t, err)
	for _, tt := range []struct {
		name  string
		early bool
		w, h  int
	}{
		// EXIF after the image, where the container specification puts it:
		// browsers ignore its orientation, so the photo stays as seen.
		{"late EXIF", false, 150, 103},
		// EXIF before the image: orientation 8 turns 150×103 into 103×150.
		{"early EXIF", true, 103, 150},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := webpWithEXIF(t, simple, 150, 103, 8, tt.early)
			require.True(t, bytes.Contains(in, []byte(secretMake)))
			p, err := Process(bytes.NewReader(in), Limits{})
			require.NoError(t, err)
			assert.Equal(t, WebP, p.Source)
			assert.Equal(t, JPEG, p.Format, "a lossy opaque WebP is stored as JPEG")
			assert.True(t, p.Reencoded)
			assertNoSecrets(t, p.Data)
			assert.Equal(t, tt.w, p.Width)
			assert.Equal(t, tt.h, p.Height)
			img, err := jpeg.Decode(bytes.NewReader(p.Data))
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tt.w, tt.h), img.Bounds().Size())
		})
	}

	alpha, err := os.ReadFile("testdata/gopher-doc.with-alpha.lossless.webp")
	require.NoError(t, err)
	p, err := Process(bytes.NewReader(alpha), Limits{})
	require.NoError(t, err)
	assert.Equal(t, PNG, p.Format, "a lossless WebP with alpha is stored as PNG")
	img, err := png.Decode(bytes.NewReader(p.Data))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(p.Width, p.Height), img.Bounds().Size())
	_, _, _, a := img.At(0, 0).RGBA()
	assert.Less(t, a, uint32(0xffff), "transparency is kept")
}

// A PNG whose eXIf comes after the image data keeps its orientation unused
// (browsers ignore it there) and the chunk is still dropped.
func TestProcessPNGLateEXIF(t *testing.T) {
	var enc bytes.Buffer
	require.NoError(t, png.Encode(&enc, marked(40, 24)))
	raw := enc.Bytes()
	iend := len(raw) - 12
	in := append(bytes.Clone(raw[:iend]), pngChunk("eXIf", exifTIFF(6))...)
	in = append(in, raw[iend:]...)
	p, err := Process(bytes.NewReader(in), Limits{})
	require.NoError(t, err)
	assert.False(t, p.Reencoded)
	assert.Equal(t, 40, p.Width)
	assertNoSecrets(t, p.Data)
	assert.NotContains(t, pngChunks(t, p.Data), "eXIf")
}

func TestProcessRefuses(t *testing.T) {
	good := jpegWithMetadata(t, marked(64, 48), 6)
	goodPNG := pngWithMetadata(t, marked(64, 48), 1)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrUnsupported},
		{"text", []byte("hello, this is not a photo at all"), ErrUnsupported},
		{"html named .jpg", []byte("<html><script>alert(1)</script></html>"), ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrUnsupported},
		{"pdf", []byte("%PDF-1.7\n"), ErrUnsupported},
		{"jpeg header only", good[:3], ErrCorrupt},
		{"jpeg truncated in metadata", good[:40], ErrCorrupt},
		{"jpeg truncated in pixels", good[:len(good)-len(secretTail)-200], ErrCorrupt},
		{"png truncated", goodPNG[:len(goodPNG)/2], ErrCorrupt},
		{"png bad crc", func() []byte {
			b := bytes.Clone(goodPNG)
			b[8+12+13-1] ^= 0xFF // the IHDR CRC
			return b
		}(), ErrCorrupt},
		{"webp truncated", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \xff\x00\x00\x00"), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tt.in), Limits{})
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, ErrValidation)
		})
	}
}

// bombJPEG is a valid JPEG header claiming w×h pixels, followed by nothing.
func bombJPEG(t *testing.T, w, h int) []byte {
	var enc bytes.Buffer
	require.NoError(t, jpeg.Encode(&enc, marked(8, 8), nil))
	b := enc.Bytes()
	i := bytes.Index(b, []byte{0xFF, 0xC0})
	require.Positive(t, i)
	binary.BigEndian.PutUint16(b[i+5:], uint16(h))
	binary.BigEndian.PutUint16(b[i+7:], uint16(w))
	return b
}

func TestProcessRefusesBombs(t *testing.T) {
	// A PNG of 30000×30000 of one colour compresses to a few hundred KB;
	// here only the header matters, so the IDAT is left empty.
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 30000)
	binary.BigEndian.PutUint32(ihdr[4:], 30000)
	ihdr[8], ihdr[9] = 8, 6
	pngBomb := append(append(append(bytes.Clone(pngSignature), pngChunk("IHDR", ihdr)...), pngChunk("IDAT", nil)...), pngChunk("IEND", nil)...)

	tests := []struct {
		name  string
		in    []byte
		lim   Limits
		limit string
	}{
		{"jpeg 65000×65000", bombJPEG(t, 65000, 65000), Limits{}, "width"},
		{"jpeg 9000×9000 over 40 MP", bombJPEG(t, 9000, 9000), Limits{}, "pixels"},
		{"jpeg taller than MaxSide", bombJPEG(t, 100, 5000), Limits{MaxSide: 4000}, "height"},
		{"png 30000×30000", pngBomb, Limits{MaxSide: 40000}, "pixels"},
		{"bytes", jpegWithMetadata(t, marked(64, 48), 1), Limits{MaxBytes: 1000}, "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Process(bytes.NewReader(tt.in), tt.lim)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrTooLarge)
			var le *LimitError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.limit, le.Limit)
			assert.Less(t, time.Since(start), time.Second, "refused from the header")
		})
	}
}

// TestProcessorBoundsConcurrency checks that no more than the bound run at
// once, by counting inside the slot with a reader that blocks.
func TestProcessorBoundsConcurrency(t *testing.T) {
	p := NewProcessor(Limits{}, 2)
	in := jpegWithMetadata(t, marked(64, 48), 1)
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &countingReader{r: bytes.NewReader(in), inside: &inside, most: &most}
			_, err := p.Process(context.Background(), r)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(2), most.Load())
}

// countingReader counts itself inside once the head has been read (that is
// when Process takes its slot) until it reaches EOF.
type countingReader struct {
	r            *bytes.Reader
	inside, most *atomic.Int32
	reads        int
}

func (c *countingReader) Read(b []byte) (int, error) {
	c.reads++
	if c.reads == 2 {
		n := c.inside.Add(1)
		for {
			m := c.most.Load()
			if n <= m || c.most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	n, err := c.r.Read(b)
	if c.r.Len() == 0 && c.reads >= 2 && n == 0 {
		c.inside.Add(-1)
		c.reads = -1 << 30
	}
	return n, err
}

func TestProcessorWaitsForContext(t *testing.T) {
	p := NewProcessor(Limits{}, 1)
	p.sem <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := p.Process(ctx, bytes.NewReader(jpegWithMetadata(t, marked(8, 8), 1)))
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
}

func TestSniffIgnoresNames(t *testing.T) {
	assert.Equal(t, Format(""), sniff([]byte("\xff\xd8")))
	assert.Equal(t, JPEG, sniff([]byte("\xff\xd8\xff\xe0")))
	assert.Equal(t, PNG, sniff(pngSignature))
	assert.Equal(t, WebP, sniff([]byte("RIFF\x00\x00\x00\x00WEBP")))
	assert.Equal(t, Format(""), sniff([]byte("RIFF\x00\x00\x00\x00AVI ")))
	assert.True(t, strings.HasPrefix(string(JPEG), "image/"))
}

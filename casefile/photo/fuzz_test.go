package photo

import (
	"bytes"
	"errors"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzProcess feeds Process mutated JPEG, PNG and WebP files with metadata:
// it must either refuse with one of its kinds or return a photo that
// decodes, has the size it says and carries none of the planted metadata.
func FuzzProcess(f *testing.F) {
	f.Add(jpegWithMetadata(f, marked(16, 8), 6))
	f.Add(jpegWithMetadata(f, marked(9, 7), 1))
	f.Add(pngWithMetadata(f, marked(5, 3), 8))
	if w, err := os.ReadFile("testdata/video-001.lossy.webp"); err == nil {
		f.Add(webpWithEXIF(f, w, 150, 103, 3))
	}
	f.Add([]byte("\xff\xd8\xff"))
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 16, MaxSide: 1024}
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := Process(bytes.NewReader(in), lim)
		if err != nil {
			assert.True(t, errors.Is(err, ErrUnsupported) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrCorrupt), "%v", err)
			return
		}
		for _, s := range secrets {
			assert.False(t, bytes.Contains(p.Data, s), "kept %q", s)
		}
		switch p.Format {
		case JPEG:
			img, err := jpeg.Decode(bytes.NewReader(p.Data))
			require.NoError(t, err)
			assert.Equal(t, p.Width, img.Bounds().Dx())
			assert.Equal(t, p.Height, img.Bounds().Dy())
		case PNG:
			img, err := png.Decode(bytes.NewReader(p.Data))
			require.NoError(t, err)
			assert.Equal(t, p.Width, img.Bounds().Dx())
		default:
			t.Fatalf("stored format %q", p.Format)
		}
		_, err = jpeg.Decode(bytes.NewReader(p.Thumbnail))
		require.NoError(t, err)
	})
}

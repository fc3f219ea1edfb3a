package photo

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readPNM reads the binary PGM (P5) or PPM (P6) that djpeg writes.
func readPNM(t *testing.T, path string) (w, h, channels int, pix []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	r := bufio.NewReader(bytes.NewReader(data))
	var magic string
	var maxv int
	_, err = fmt.Fscan(r, &magic, &w, &h, &maxv)
	require.NoError(t, err)
	_, err = r.ReadByte() // the one whitespace byte before the pixels
	require.NoError(t, err)
	channels = map[string]int{"P5": 1, "P6": 3}[magic]
	require.NotZero(t, channels, magic)
	pix = make([]byte, w*h*channels)
	_, err = io.ReadFull(r, pix)
	require.NoError(t, err)
	return w, h, channels, pix
}

// TestDCImageMatchesLibjpeg compares the DC decoder with a second, unrelated
// reader: libjpeg-turbo's djpeg -scale 1/8, which also decodes each 8×8
// block to its DC value. The fixtures (README.md) were written by cjpeg
// with restart intervals, 4:2:0, 4:2:2, 4:4:4 and gray.
func TestDCImageMatchesLibjpeg(t *testing.T) {
	for _, name := range []string{"restart-420", "restart-422", "plain-444", "gray"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".jpg")
			require.NoError(t, err)
			img, err := dcImage(data)
			require.NoError(t, err)
			w, h, ch, want := readPNM(t, "testdata/"+name+".scale8.pnm")
			require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
			worst, sum := 0, 0
			for y := range h {
				for x := range w {
					r, g, b, _ := img.At(x, y).RGBA()
					got := []int{int(r >> 8), int(g >> 8), int(b >> 8)}
					for c := range ch {
						d := got[c] - int(want[(y*w+x)*ch+c])
						worst = max(worst, d, -d)
						sum += max(d, -d)
					}
				}
			}
			mean := float64(sum) / float64(w*h*ch)
			t.Logf("largest difference %d, mean %.2f", worst, mean)
			if name == "plain-444" || name == "gray" {
				// Full-resolution chroma: only rounding differs (DC ±1, YCbCr→RGB ±1 per term).
				assert.LessOrEqual(t, worst, 3, "largest difference from libjpeg")
			} else {
				// Subsampled chroma: libjpeg interpolates it ("fancy upsampling"), this
				// decoder repeats it, so colour edges differ (the exact check is
				// TestDCImageBlockMeans); a wrong decoder is off by tens.
				assert.Less(t, mean, 6.0, "mean difference from libjpeg")
			}
		})
	}
}

// TestDCImageBlockMeans checks each plane of the DC image against the mean
// of the matching 8×8 block of image/jpeg's full decode: the DC
// coefficient is that mean, up to rounding (and clipping in the IDCT).
func TestDCImageBlockMeans(t *testing.T) {
	for _, name := range []string{"restart-420", "restart-422", "plain-444"} {
		data, err := os.ReadFile("testdata/" + name + ".jpg")
		require.NoError(t, err)
		small, err := dcImage(data)
		require.NoError(t, err)
		d := small.(*image.YCbCr)
		full, err := jpeg.Decode(bytes.NewReader(data))
		require.NoError(t, err)
		f := full.(*image.YCbCr)
		cw, ch := chromaSize(f)
		sx, sy := f.Rect.Dx()/cw, f.Rect.Dy()/ch // chroma subsampling factors
		worst := 0
		for y := range d.Rect.Dy() {
			for x := range d.Rect.Dx() {
				var sumY, sumCb, sumCr int
				for j := range 8 {
					for i := range 8 {
						sumY += int(f.Y[f.YOffset(x*8+i, y*8+j)])
						// The chroma block that holds this luma block.
						cx, cy := (x*8/(8*sx))*8+i, (y*8/(8*sy))*8+j
						sumCb += int(f.Cb[cy*f.CStride+cx])
						sumCr += int(f.Cr[cy*f.CStride+cx])
					}
				}
				for _, p := range [][2]int{
					{int(d.Y[d.YOffset(x, y)]), (sumY + 32) / 64},
					{int(d.Cb[d.COffset(x, y)]), (sumCb + 32) / 64},
					{int(d.Cr[d.COffset(x, y)]), (sumCr + 32) / 64},
				} {
					worst = max(worst, p[0]-p[1], p[1]-p[0])
				}
			}
		}
		assert.LessOrEqual(t, worst, 2, name)
	}
}

func TestDCImageRefusesWhatItCannotRead(t *testing.T) {
	prog, err := os.ReadFile("testdata/progressive.jpg")
	require.NoError(t, err)
	_, err = dcImage(prog)
	assert.ErrorIs(t, err, errDCUnsupported)

	data, err := os.ReadFile("testdata/restart-420.jpg")
	require.NoError(t, err)
	for _, cut := range []int{1000, len(data) / 2, len(data) - 3000} {
		_, err = dcImage(data[:cut])
		assert.ErrorIs(t, err, errDCData, "cut at %d", cut)
	}
}

// TestProcessUprightUsesDCThumbnail runs Process on JPEGs large enough for
// the DC thumbnail (Thumbnail 64 ≤ 640/8): the stored bytes are the
// upload's, the thumbnail shows the red corner top-left, and it is close to
// the thumbnail made from a full decode.
func TestProcessUprightUsesDCThumbnail(t *testing.T) {
	for _, name := range []string{"restart-420", "restart-422", "plain-444", "gray", "progressive"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".jpg")
			require.NoError(t, err)
			p, err := Process(bytes.NewReader(data), Limits{Thumbnail: 64})
			require.NoError(t, err)
			assert.False(t, p.Reencoded)
			assert.Equal(t, data, p.Data, "cjpeg writes only JFIF, which is kept as is")
			assert.Equal(t, 640, p.Width)
			assert.Equal(t, 480, p.Height)
			assert.Equal(t, 64, p.ThumbWidth)
			assert.Equal(t, 48, p.ThumbHeight)
			th, err := jpeg.Decode(bytes.NewReader(p.Thumbnail))
			require.NoError(t, err)
			r, g, b, _ := th.At(2, 2).RGBA()
			if name != "gray" {
				assert.True(t, r>>8 > 180 && g>>8 < 80 && b>>8 < 80, "red top-left: %d,%d,%d", r>>8, g>>8, b>>8)
			}

			// The DC thumbnail (before its JPEG encoding) is close to one made
			// from a full decode.
			full, err := jpeg.Decode(bytes.NewReader(data))
			require.NoError(t, err)
			ref := shrink(full, 64, 48)
			small, err := dcImage(data)
			if name == "progressive" {
				assert.ErrorIs(t, err, errDCUnsupported)
				return
			}
			require.NoError(t, err)
			got := shrink(small, 64, 48)
			var sum, n float64
			for y := range 48 {
				for x := range 64 {
					r1, g1, b1, _ := got.At(x, y).RGBA()
					r2, g2, b2, _ := ref.At(x, y).RGBA()
					for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
						sum += float64(max(d, -d))
						n++
					}
				}
			}
			t.Logf("mean difference from a full-decode thumbnail: %.2f", sum/n)
			assert.Less(t, sum/n, 6.0, "mean difference from a full-decode thumbnail")
		})
	}

	data, err := os.ReadFile("testdata/restart-420.jpg")
	require.NoError(t, err)
	_, err = Process(bytes.NewReader(data[:len(data)/2]), Limits{Thumbnail: 64})
	assert.ErrorIs(t, err, ErrCorrupt, "a truncated scan is refused on the DC path too")
}

// FuzzDCImage checks that the DC decoder never panics or loops, and that
// what it returns has the size the frame header says.
func FuzzDCImage(f *testing.F) {
	for _, name := range []string{"restart-420", "restart-422", "gray"} {
		if data, err := os.ReadFile("testdata/" + name + ".jpg"); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, cfgErr := jpeg.DecodeConfig(bytes.NewReader(data))
		if cfgErr != nil || int64(cfg.Width)*int64(cfg.Height) > 1<<22 {
			return
		}
		img, err := dcImage(data)
		if err != nil {
			return
		}
		assert.Equal(t, image.Rect(0, 0, (cfg.Width+7)/8, (cfg.Height+7)/8), img.Bounds())
	})
}

// TestDCImageSurvivesMutations runs the DC decoder over a few thousand
// randomly damaged copies of each fixture (deterministic, unlike the fuzz
// target, so it runs in every test run): no panic, no runaway.
func TestDCImageSurvivesMutations(t *testing.T) {
	for _, name := range []string{"restart-420", "restart-422", "gray"} {
		data, err := os.ReadFile("testdata/" + name + ".jpg")
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(1, uint64(len(data))))
		for range 1500 {
			m := bytes.Clone(data)
			for range 1 + r.IntN(4) {
				m[r.IntN(len(m))] = byte(r.IntN(256))
			}
			if img, err := dcImage(m); err == nil {
				assert.LessOrEqual(t, img.Bounds().Dx()*img.Bounds().Dy(), 65535*65535/64)
			}
		}
	}
}

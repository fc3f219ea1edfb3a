package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// turnFixture is a baseline JPEG and its MCU size.
type turnFixture struct {
	name       string
	data       []byte
	mcuW, mcuH int
}

// pattern is an odd-sized picture with texture in every block and a
// colour that differs across it, so that a misplaced or mis-signed
// coefficient shows.
func pattern(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			o := m.PixOffset(x, y)
			m.Pix[o] = uint8(x*255/w) ^ uint8(r.IntN(24))
			m.Pix[o+1] = uint8((x/5+y/3)%2*120 + y*100/h)
			m.Pix[o+2] = uint8((x*y)%251) / 2
			m.Pix[o+3] = 255
		}
	}
	return m
}

// turnFixtures are the committed libjpeg fixtures (640×480: whole MCUs)
// and odd-sized ones, so that edges are trimmed: 4:2:0 and gray from
// image/jpeg, 4:4:4 and 4:2:2 from cjpeg when it is installed.
func turnFixtures(t testing.TB) []turnFixture {
	var fs []turnFixture
	for _, f := range []struct {
		name       string
		mcuW, mcuH int
	}{{"restart-420", 16, 16}, {"restart-422", 16, 8}, {"plain-444", 8, 8}, {"gray", 8, 8}} {
		data, err := os.ReadFile("testdata/" + f.name + ".jpg")
		require.NoError(t, err)
		fs = append(fs, turnFixture{f.name, data, f.mcuW, f.mcuH})
	}
	pic := pattern(203, 117)
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, pic, &jpeg.Options{Quality: 90}))
	fs = append(fs, turnFixture{"go-420-203x117", buf.Bytes(), 16, 16})
	gray := image.NewGray(pic.Rect)
	for i := range gray.Pix {
		gray.Pix[i] = pic.Pix[4*i+1] ^ pic.Pix[4*i]
	}
	buf = bytes.Buffer{}
	require.NoError(t, jpeg.Encode(&buf, gray, &jpeg.Options{Quality: 95}))
	fs = append(fs, turnFixture{"go-gray-203x117", buf.Bytes(), 8, 8})

	if cjpeg, err := exec.LookPath("cjpeg"); err == nil {
		var ppm bytes.Buffer
		fmt.Fprintf(&ppm, "P6\n%d %d\n255\n", pic.Rect.Dx(), pic.Rect.Dy())
		for i := 0; i < len(pic.Pix); i += 4 {
			ppm.Write(pic.Pix[i : i+3])
		}
		for _, f := range []struct {
			name, sample string
			mcuW, mcuH   int
			optimize     bool
		}{
			{"cjpeg-444-203x117", "1x1", 8, 8, false},
			{"cjpeg-422-203x117", "2x1", 16, 8, false},
			{"cjpeg-440-203x117", "1x2", 8, 16, false},
			// Huffman tables of its own, with codes of other lengths than
			// the standard ones.
			{"cjpeg-420-optimized-203x117", "2x2", 16, 16, true},
		} {
			args := []string{"-quality", "92", "-sample", f.sample, "-restart", "3B"}
			if f.optimize {
				args = []string{"-quality", "97", "-sample", f.sample, "-optimize"}
			}
			cmd := exec.Command(cjpeg, args...)
			cmd.Stdin = bytes.NewReader(ppm.Bytes())
			out, err := cmd.Output()
			require.NoError(t, err)
			fs = append(fs, turnFixture{f.name, out, f.mcuW, f.mcuH})
		}
	}
	return fs
}

// kept is the source size turnJPEG keeps for orientation o: a side that a
// mirror moves is cut to whole MCUs.
func kept(o Orientation, w, h, mcuW, mcuH int) (int, int) {
	mx, my := mirrors(o)
	if mx {
		w -= w % mcuW
	}
	if my {
		h -= h % mcuH
	}
	return w, h
}

// pixelTurnedAt is where source pixel (x, y) of a w×h image goes for o.
func pixelTurnedAt(o Orientation, x, y, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

// samples returns the Y, Cb and Cr (or gray) values of img at (x, y),
// without a colour conversion.
func samples(img image.Image, x, y int) [3]int {
	switch m := img.(type) {
	case *image.YCbCr:
		c := m.YCbCrAt(x, y)
		return [3]int{int(c.Y), int(c.Cb), int(c.Cr)}
	case *image.Gray:
		return [3]int{int(m.GrayAt(x, y).Y), 0, 0}
	}
	panic(fmt.Sprintf("unexpected %T", img))
}

// TestTurnJPEGMatchesPixelTurn decodes the losslessly turned JPEG and
// compares it with the source decoded and turned in the pixel domain: the
// coefficients are the same, so only the IDCT's rounding of a transposed
// block may differ.
func TestTurnJPEGMatchesPixelTurn(t *testing.T) {
	for _, f := range turnFixtures(t) {
		src, err := jpeg.Decode(bytes.NewReader(f.data))
		require.NoError(t, err)
		W, H := src.Bounds().Dx(), src.Bounds().Dy()
		for o := Orientation(2); o <= 8; o++ {
			t.Run(fmt.Sprintf("%s/%d", f.name, o), func(t *testing.T) {
				turned, err := turnJPEG(f.data, o)
				require.NoError(t, err)
				img, err := jpeg.Decode(bytes.NewReader(turned.data))
				require.NoError(t, err)
				sw, sh := kept(o, W, H, f.mcuW, f.mcuH)
				assert.GreaterOrEqual(t, sw, W-15)
				assert.GreaterOrEqual(t, sh, H-15)
				want := image.Pt(sw, sh)
				if o.swapsAxes() {
					want = image.Pt(sh, sw)
				}
				require.Equal(t, want, img.Bounds().Size())
				assert.Equal(t, want, image.Pt(turned.width, turned.height))
				assert.Equal(t, image.Pt((want.X+7)/8, (want.Y+7)/8), turned.small.Bounds().Size())
				worst := 0
				for y := range sh {
					for x := range sw {
						dx, dy := pixelTurnedAt(o, x, y, sw, sh)
						a, b := samples(src, x, y), samples(img, dx, dy)
						for c := range 3 {
							worst = max(worst, a[c]-b[c], b[c]-a[c])
						}
					}
				}
				assert.LessOrEqual(t, worst, 2, "largest sample difference")
			})
		}
	}
}

// TestTurnJPEGMatchesJpegtran compares with libjpeg-turbo's jpegtran -trim,
// which moves the same coefficients: both decode to identical pixels.
func TestTurnJPEGMatchesJpegtran(t *testing.T) {
	jpegtran, err := exec.LookPath("jpegtran")
	if err != nil {
		t.Skip("jpegtran is not installed (libjpeg-turbo-progs)")
	}
	args := map[Orientation][]string{
		2: {"-flip", "horizontal"}, 3: {"-rotate", "180"}, 4: {"-flip", "vertical"},
		5: {"-transpose"}, 6: {"-rotate", "90"}, 7: {"-transverse"}, 8: {"-rotate", "270"},
	}
	for _, f := range turnFixtures(t) {
		for o := Orientation(2); o <= 8; o++ {
			t.Run(fmt.Sprintf("%s/%d", f.name, o), func(t *testing.T) {
				cmd := exec.Command(jpegtran, append([]string{"-trim", "-copy", "none"}, args[o]...)...)
				cmd.Stdin = bytes.NewReader(f.data)
				ref, err := cmd.Output()
				require.NoError(t, err)
				want, err := jpeg.Decode(bytes.NewReader(ref))
				require.NoError(t, err)
				turned, err := turnJPEG(f.data, o)
				require.NoError(t, err)
				got, err := jpeg.Decode(bytes.NewReader(turned.data))
				require.NoError(t, err)
				require.Equal(t, want.Bounds(), got.Bounds())
				diff := 0
				for y := range want.Bounds().Dy() {
					for x := range want.Bounds().Dx() {
						if samples(want, x, y) != samples(got, x, y) {
							diff++
						}
					}
				}
				assert.Zero(t, diff, "pixels that differ from jpegtran's")
			})
		}
	}
}

// TestProcessTurnsLosslessly checks the path through Process: a turned
// baseline JPEG comes out turned, without its metadata, with the size
// swapped, trimmed to whole MCUs and a thumbnail of the turned image.
func TestProcessTurnsLosslessly(t *testing.T) {
	in := jpegWithMetadata(t, pattern(403, 301), 6)
	p, err := Process(bytes.NewReader(in), Limits{Thumbnail: 40})
	require.NoError(t, err)
	assert.True(t, p.Reencoded)
	assert.Equal(t, image.Pt(288, 403), image.Pt(p.Width, p.Height), "301 rows cut to 288 (whole 16-row MCUs), then turned")
	assertNoSecrets(t, p.Data)
	for _, m := range jpegMarkers(t, p.Data) {
		assert.False(t, m >= 0xE1 && m <= 0xEF, "marker %#x kept", m)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(288, 403), img.Bounds().Size())
	th, err := jpeg.Decode(bytes.NewReader(p.Thumbnail))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(29, 40), th.Bounds().Size())
	assert.Equal(t, image.Pt(29, 40), image.Pt(p.ThumbWidth, p.ThumbHeight))
}

// TestTurnJPEGUnsupported: a progressive JPEG is left to the full decode.
func TestTurnJPEGUnsupported(t *testing.T) {
	data, err := os.ReadFile("testdata/progressive.jpg")
	require.NoError(t, err)
	_, err = turnJPEG(data, 6)
	assert.ErrorIs(t, err, errDCUnsupported)
	p, err := Process(bytes.NewReader(data), Limits{})
	require.NoError(t, err)
	assert.False(t, p.Reencoded, "no orientation: kept as it is")
}

// FuzzTurnJPEG feeds the coefficient decoder and the turn mutated JPEGs:
// they must not panic, and what they accept must decode.
func FuzzTurnJPEG(f *testing.F) {
	var buf bytes.Buffer
	require.NoError(f, jpeg.Encode(&buf, pattern(37, 21), &jpeg.Options{Quality: 75}))
	f.Add(buf.Bytes(), byte(6))
	for _, name := range []string{"restart-422", "gray"} {
		data, err := os.ReadFile("testdata/" + name + ".jpg")
		require.NoError(f, err)
		f.Add(data, byte(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, ob byte) {
		o := Orientation(2 + ob%7)
		if b, err := parseBaseline(data); err == nil && b.width*b.height > 1<<22 {
			t.Skip("Process refuses this size before decoding")
		}
		turned, err := turnJPEG(data, o)
		if err != nil {
			assert.True(t, errors.Is(err, errDCUnsupported) || errors.Is(err, errDCData), "%v", err)
			return
		}
		img, err := jpeg.Decode(bytes.NewReader(turned.data))
		require.NoError(t, err)
		assert.Equal(t, image.Pt(turned.width, turned.height), img.Bounds().Size())
	})
}

// TestTurnJPEGMutated is FuzzTurnJPEG's check over a fixed set of random
// mutations (flipped bytes in the headers and the scan), so that it runs
// with every go test.
func TestTurnJPEGMutated(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, pattern(45, 29), &jpeg.Options{Quality: 80}))
	seed := buf.Bytes()
	r := rand.New(rand.NewPCG(5, 6))
	accepted := 0
	for range 3000 {
		data := bytes.Clone(seed)
		for range 1 + r.IntN(4) {
			data[r.IntN(len(data))] = byte(r.IntN(256))
		}
		o := Orientation(2 + r.IntN(7))
		turned, err := turnJPEG(data, o)
		if err != nil {
			require.True(t, errors.Is(err, errDCUnsupported) || errors.Is(err, errDCData), "%v", err)
			continue
		}
		accepted++
		img, err := jpeg.Decode(bytes.NewReader(turned.data))
		require.NoError(t, err)
		require.Equal(t, image.Pt(turned.width, turned.height), img.Bounds().Size())
	}
	t.Logf("%d of 3000 mutations accepted", accepted)
}

// TestTurnJPEGMemory holds the package doc to its word: turning keeps no
// coefficient buffer of the whole image (for 3 megapixels in 4:2:0 it
// would be 9 MB), only what is about the size of the file: the output,
// and the coded AC bits and block places, which are pooled.
func TestTurnJPEGMemory(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, pattern(2000, 1500), &jpeg.Options{Quality: 90}))
	data := buf.Bytes()
	allocated := func() uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		turned, err := turnJPEG(data, 6)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		require.NotEmpty(t, turned.data)
		return after.TotalAlloc - before.TotalAlloc
	}
	turnPool = sync.Pool{} // the first turn in a process
	cold := allocated()
	warm := uint64(1 << 62)
	for range 3 {
		// The fewest: a garbage collection between two turns may empty the pool.
		warm = min(warm, allocated())
	}
	t.Logf("input %d bytes; allocated %d bytes with the pool empty, %d with it warm", len(data), cold, warm)
	assert.LessOrEqual(t, cold, uint64(3*len(data)+1<<20), "bytes allocated by a turn, pool empty")
	assert.LessOrEqual(t, warm, uint64(2*len(data)+1<<20), "bytes allocated by a turn, pool warm")
}

// TestTurnJPEGStreamGrows starts the coded AC stream with no room, so that
// it grows many times over, and checks the result is the same file.
func TestTurnJPEGStreamGrows(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, pattern(403, 301), &jpeg.Options{Quality: 95}))
	turnPool = sync.Pool{}
	want, err := turnJPEG(buf.Bytes(), 6)
	require.NoError(t, err)

	defer func(f func(int) int) { acWords = f }(acWords)
	acWords = func(int) int { return 0 }
	turnPool = sync.Pool{}
	got, err := turnJPEG(buf.Bytes(), 6)
	require.NoError(t, err)
	assert.Equal(t, want.data, got.data)
}

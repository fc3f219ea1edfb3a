package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	photo12MPOnce sync.Once
	photo12MP     *image.YCbCr
)

// camera12MP is a 4000×3000 4:2:0 image with smooth gradients, edges and
// sensor-like noise, so that at quality 90 it encodes to about 3–4 MB like a
// phone photo (a flat image would decode unrealistically fast).
func camera12MP() *image.YCbCr {
	photo12MPOnce.Do(func() {
		w, h := 4000, 3000
		m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		r := rand.New(rand.NewPCG(1, 2))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := (x/9+y/7)%180 + 30 + r.IntN(10)
				if (x/250+y/250)%2 == 0 {
					v += 20
				}
				m.Y[y*m.YStride+x] = uint8(v)
			}
		}
		for i := range m.Cb {
			m.Cb[i] = uint8(110 + (i/1000)%30 + r.IntN(4))
			m.Cr[i] = uint8(130 + (i/700)%20 + r.IntN(4))
		}
		photo12MP = m
	})
	return photo12MP
}

// bench12MP reports, besides time and allocations, the CPU time per photo
// (less sensitive than wall time to other processes on a shared machine)
// and the peak of live heap above what was live before the loop, sampled
// every 200 µs.
func bench12MP(b *testing.B, o Orientation) {
	in := jpegWithMetadata(b, camera12MP(), o)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	runtime.GC()
	base := liveHeap()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if h := liveHeap(); h > peak.Load() {
					peak.Store(h)
				}
			}
		}
	}()
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		p, err := Process(bytes.NewReader(in), Limits{})
		require.NoError(b, err)
		require.Equal(b, o.needsTurn(), p.Reencoded)
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	if p := peak.Load(); p > base {
		b.ReportMetric(float64(p-base)/(1<<20), "peak-MiB")
	}
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// cpuTime is the CPU time (user and system) of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkProcess12MPUpright is the common case of a landscape photo:
// strip losslessly, decode for the thumbnail.
func BenchmarkProcess12MPUpright(b *testing.B) { bench12MP(b, 1) }

// BenchmarkProcess12MPTurned is a portrait phone photo (orientation 6):
// decode, turn, encode.
func BenchmarkProcess12MPTurned(b *testing.B) { bench12MP(b, 6) }

func BenchmarkDecode12MP(b *testing.B) {
	in := jpegWithMetadata(b, camera12MP(), 1)
	b.ReportAllocs()
	for b.Loop() {
		_, err := jpeg.Decode(bytes.NewReader(in))
		require.NoError(b, err)
	}
}

package photo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codeOf returns the code and length of symbol sym in the table of counts
// and symbols, assigned as the JPEG standard does (Annex C).
func codeOf(counts [16]byte, vals []byte, sym byte) (uint32, uint, bool) {
	code, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for range counts[l-1] {
			if vals[k] == sym {
				return code, uint(l), true
			}
			code++
			k++
		}
		code <<= 1
	}
	return 0, 0, false
}

// TestHuffmanNext codes every symbol of the standard tables and of a table
// with codes up to 16 bits, with every size of magnitude, followed by
// random bits, and checks what next decodes: the fast table for short
// codes, bit by bit for long ones.
func TestHuffmanNext(t *testing.T) {
	long := huffSpec{counts: [16]byte{0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}}
	for i := range 16 {
		long.vals = append(long.vals, byte(i*16+i%11))
	}
	specs := []struct {
		name string
		spec huffSpec
		dc   bool
	}{
		{"luma DC", stdSpecs[0], true}, {"luma AC", stdSpecs[1], false},
		{"chroma DC", stdSpecs[2], true}, {"chroma AC", stdSpecs[3], false},
		{"long AC", long, false},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, sp := range specs {
		t.Run(sp.name, func(t *testing.T) {
			var h huffman
			require.NoError(t, h.build(sp.spec.counts[:], sp.spec.vals, sp.dc))
			for _, sym := range sp.spec.vals {
				code, l, ok := codeOf(sp.spec.counts, sp.spec.vals, sym)
				require.True(t, ok)
				s := uint(sym & 15)
				if sp.dc {
					s = uint(sym)
				}
				for range 20 {
					mag := r.Uint64() & (1<<s - 1)
					acc := uint64(code)<<(64-l) | mag<<(64-l-s) | r.Uint64()>>(l+s)
					rs, v, used := h.next(acc)
					require.Equal(t, sym, rs, "symbol of code %0*b", l, code)
					assert.Equal(t, l+s, used)
					want := int32(mag)
					if sp.dc {
						want = extend(int32(mag), byte(s))
					}
					assert.Equal(t, want, v, "value of %#x with magnitude %b", sym, mag)
				}
			}
			// All ones is not a code (Annex C): refused, not misread.
			_, _, used := h.next(^uint64(0))
			assert.Zero(t, used)
		})
	}
}

// stuffed returns the JPEG entropy-coded form of payload: a zero byte after
// each 0xFF, then an EOI marker.
func stuffed(payload []byte) []byte {
	var out []byte
	for _, c := range payload {
		out = append(out, c)
		if c == 0xFF {
			out = append(out, 0)
		}
	}
	return append(out, 0xFF, 0xD9)
}

// TestBitReaderRefill reads data rich in 0xFF (stuffed) in steps of random
// sizes through refill, as the decoders do, and compares every bit with the
// payload; past the marker it reads zeros and reports the overrun.
func TestBitReaderRefill(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := range 200 {
		payload := make([]byte, r.IntN(300))
		for i := range payload {
			switch r.IntN(4) {
			case 0:
				payload[i] = 0xFF
			default:
				payload[i] = byte(r.IntN(256))
			}
		}
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			br := bitReader{data: stuffed(payload)}
			acc, n := br.acc, br.n
			total := uint(len(payload)) * 8
			for pos := uint(0); pos < total+64; {
				if n < 32 {
					acc, n = br.refill(acc, n)
				}
				require.GreaterOrEqual(t, n, uint(32))
				step := uint(1 + r.IntN(31))
				got := acc >> (64 - step)
				var want uint64
				for i := range step {
					bit := uint64(0)
					if p := pos + i; p < total {
						bit = uint64(payload[p/8]>>(7-p%8)) & 1
					}
					want = want<<1 | bit
				}
				require.Equal(t, want, got, "%d bits at bit %d", step, pos)
				acc, n, pos = acc<<step, n-step, pos+step
				br.acc, br.n = acc, n
				assert.Equal(t, pos > total+16, br.overrun(), "overrun at bit %d of %d", pos, total)
			}
		})
	}
}

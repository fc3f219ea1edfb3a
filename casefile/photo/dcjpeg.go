package photo

import (
	"encoding/binary"
	"errors"
	"image"
)

// A thumbnail needs one value per 8×8 block, and a baseline JPEG stores
// exactly that as the DC coefficient of each block. dcImage decodes only
// the DC coefficients (the AC ones are read past, never transformed), which
// gives the image at 1/8 scale at a fraction of the cost of a full decode:
// no inverse DCT, no full-size buffer. It handles baseline Huffman JPEGs
// (SOF0, SOF1) with one component or three in one interleaved scan, which
// is what cameras and phones write; for anything else it returns
// errDCUnsupported and the caller decodes in full.

var (
	errDCUnsupported = errors.New("jpeg: not a baseline JPEG the DC decoder handles")
	errDCData        = errors.New("jpeg: corrupt entropy-coded data")
)

// fastBits is how many bits of lookahead huffman.fast is indexed by.
const fastBits = 10

type huffman struct {
	// fast maps the next fastBits bits to what they decode to, as
	// value<<16 | symbol<<8 | flags and length: the low 5 bits are the
	// bits used, the code's and, when the whole magnitude fits too, its
	// bits (then value is the magnitude: extended to the DC difference in
	// a DC table, its bits as they are in an AC table); needMagnitude says
	// it did not fit and is still to be read. 0 is a code longer than
	// fastBits, decoded bit by bit.
	fast    [1 << fastBits]int32
	maxcode [18]int32
	valptr  [17]int32
	mincode [17]int32
	vals    []byte
	// dc says it is a DC table: a symbol is a size (at most 11), not a run
	// and a size.
	dc bool
}

// needMagnitude flags a huffman.fast entry whose magnitude bits did not
// fit in the lookahead.
const needMagnitude = 0x80

// size is the number of magnitude bits that follow symbol rs, or -1 for a
// DC symbol no baseline encoder writes.
func (h *huffman) size(rs byte) int {
	if !h.dc {
		return int(rs & 15)
	}
	if rs > 11 {
		return -1
	}
	return int(rs)
}

func (h *huffman) build(counts []byte, vals []byte, dc bool) error {
	h.vals, h.dc = vals, dc
	h.fast = [1 << fastBits]int32{}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if code+n > 1<<l {
			return errDCData // more codes than fit in l bits
		}
		h.valptr[l] = k
		h.mincode[l] = code
		if n == 0 {
			h.maxcode[l] = -1
		} else {
			h.maxcode[l] = code + n - 1
		}
		for i := int32(0); i < n; i++ {
			if l <= fastBits {
				h.fillFast(code, l, vals[k])
			}
			code++
			k++
		}
		code <<= 1
	}
	h.maxcode[17] = 1 << 30
	return nil
}

// fillFast sets the entries of h.fast that start with code, l bits long,
// for symbol rs.
func (h *huffman) fillFast(code int32, l int, rs byte) {
	base := code << (fastBits - l)
	s := h.size(rs)
	for j := int32(0); j < 1<<(fastBits-l); j++ {
		e := int32(rs)<<8 | int32(l) | needMagnitude
		if s >= 0 && l+s <= fastBits {
			// The magnitude bits follow the code in the index.
			m := (j >> (fastBits - l - s)) & (1<<s - 1)
			if h.dc {
				m = extend(m, byte(s))
			}
			e = m<<16 | int32(rs)<<8 | int32(l+s)
		}
		h.fast[base+j] = e
	}
}

// next decodes the symbol at the top of acc (which must hold at least 32
// valid bits) and the magnitude that follows it: rs is the symbol, v the
// DC difference (DC table) or the magnitude bits as coded (AC table), and
// used the bits taken, 0 for data no baseline decoder accepts.
func (h *huffman) next(acc uint64) (rs byte, v int32, used uint) {
	if e := h.fast[acc>>(64-fastBits)]; e&needMagnitude == 0 && e != 0 {
		return byte(e >> 8), e >> 16, uint(e & 31)
	}
	return h.nextSlow(acc)
}

// nextSlow is next for a code longer than fastBits or a magnitude that
// does not fit in them.
func (h *huffman) nextSlow(acc uint64) (rs byte, v int32, used uint) {
	e := h.fast[acc>>(64-fastBits)]
	l := uint(e & 31)
	if e != 0 {
		rs = byte(e >> 8)
	} else {
		for l = fastBits + 1; ; l++ {
			if l > 16 {
				return 0, 0, 0
			}
			code := int32(acc >> (64 - l))
			if code <= h.maxcode[l] {
				i := h.valptr[l] + code - h.mincode[l]
				if i < 0 || int(i) >= len(h.vals) {
					return 0, 0, 0
				}
				rs = h.vals[i]
				break
			}
		}
	}
	s := h.size(rs)
	if s < 0 {
		return 0, 0, 0
	}
	m := int32(acc << l >> (64 - uint(s)))
	if s == 0 {
		m = 0
	}
	if h.dc {
		m = extend(m, byte(s))
	}
	return rs, m, l + uint(s)
}

type bitReader struct {
	data  []byte
	pos   int
	acc   uint64
	n     uint // valid bits in acc (from the top); the bits below may be the ones that follow
	pad   int  // zero bytes fed past the end or a marker
	atEnd bool // a marker or the end of data was reached
}

// refill tops up the bit buffer acc holding n valid bits to at least 56.
// Eight bytes without 0xFF (no stuffing, no marker) are taken at once, as
// many whole bytes as fit: the bits below the valid ones are then the
// bytes that follow, which the next refill sets again to the same value.
func (b *bitReader) refill(acc uint64, n uint) (uint64, uint) {
	if w, ok := b.peek8(); ok {
		b.pos += int(63-n) >> 3
		return acc | w>>n, n | 56
	}
	b.acc, b.n = acc, n
	b.fill()
	return b.acc, b.n
}

// peek8 returns the next eight bytes when none of them is 0xFF: no
// stuffing, no marker.
func (b *bitReader) peek8() (uint64, bool) {
	if b.atEnd || b.pos+8 > len(b.data) {
		return 0, false
	}
	w := binary.BigEndian.Uint64(b.data[b.pos:])
	return w, !hasFF64(w)
}

// hasFF64 reports whether one of the eight bytes of x is 0xFF.
func hasFF64(x uint64) bool {
	y := ^x // a 0xFF byte becomes 0x00
	return (y-0x0101010101010101)&^y&0x8080808080808080 != 0
}

func (b *bitReader) fill() {
	for b.n <= 56 {
		var c byte
		if !b.atEnd && b.pos < len(b.data) {
			c = b.data[b.pos]
			if c == 0xFF {
				if b.pos+1 < len(b.data) && b.data[b.pos+1] == 0x00 {
					b.pos += 2
				} else {
					b.atEnd = true
					c = 0
					b.pad++
				}
			} else {
				b.pos++
			}
		} else {
			b.atEnd = true
			b.pad++
		}
		// The bits below n are zero or, after refill, already c.
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// skipBlock decodes one block and returns its DC difference, reading
// past the AC coefficients.
func (b *bitReader) skipBlock(dct, act *huffman) (int32, error) {
	acc, n := b.acc, b.n
	if n < 32 {
		acc, n = b.refill(acc, n)
	}
	_, diff, used := dct.next(acc)
	if used == 0 {
		return 0, errDCData
	}
	acc, n = acc<<used, n-used
	for k := 1; k < 64; {
		if n < 32 {
			// b.refill's fast path, by hand.
			if w, ok := b.peek8(); ok {
				b.pos += int(63-n) >> 3
				acc, n = acc|w>>n, n|56
			} else {
				acc, n = b.refill(acc, n)
			}
		}
		// act.next, by hand: the compiler does not inline it.
		var rs byte
		if e := act.fast[acc>>(64-fastBits)]; e&needMagnitude == 0 && e != 0 {
			rs, used = byte(e>>8), uint(e&31)
		} else if rs, _, used = act.nextSlow(acc); used == 0 {
			return 0, errDCData
		}
		acc, n = acc<<used, n-used
		if rs&15 == 0 {
			if rs != 0xF0 {
				break
			}
			k += 16
			continue
		}
		k += int(rs>>4) + 1
	}
	b.acc, b.n = acc, n
	return diff, nil
}

// overrun reports whether more than a few bits past the end of the data
// (or the next marker) were consumed: the scan is truncated.
func (b *bitReader) overrun() bool { return b.pad*8 > int(b.n)+16 }

// restart skips to the RSTn marker that must follow at a restart interval.
func (b *bitReader) restart() error {
	b.acc, b.n = 0, 0
	// The marker is where fill stopped, or right at pos when the last byte
	// ended exactly on it.
	for b.pos+1 < len(b.data) && b.data[b.pos] == 0xFF && b.data[b.pos+1] == 0xFF {
		b.pos++
	}
	if b.pos+1 >= len(b.data) || b.data[b.pos] != 0xFF || b.data[b.pos+1] < 0xD0 || b.data[b.pos+1] > 0xD7 {
		return errDCData
	}
	b.pos += 2
	b.atEnd, b.pad = false, 0
	return nil
}

func extend(v int32, s byte) int32 {
	if s == 0 {
		return 0
	}
	if v < 1<<(s-1) {
		return v - (1 << s) + 1
	}
	return v
}

type dcComponent struct {
	id, h, v, tq byte
	td, ta       byte
	pred         int32
	plane        []byte // one value per block
	bw, bh       int    // blocks across and down in plane
}

// baseline is the header of a baseline JPEG with one interleaved scan, as
// parseBaseline reads it.
type baseline struct {
	q             [4][64]uint16 // in zigzag order, as DQT stores them
	qUsed         [4]bool
	dc, ac        [4]huffman
	comps         []dcComponent
	width, height int
	restartEvery  int
	// app holds the APPn segments before the frame (marker included), which
	// stripJPEG has already reduced to JFIF and Adobe.
	app [][]byte
	// scan is the data after the scan header, to the end of the file.
	scan []byte
}

// parseBaseline reads the segments of a baseline JPEG up to its scan.
func parseBaseline(data []byte) (*baseline, error) {
	var (
		b        baseline
		sawFrame bool
	)
	pos := 2
	for {
		if pos+4 > len(data) || data[pos] != 0xFF {
			return nil, errDCUnsupported
		}
		m := data[pos+1]
		if m == 0xFF {
			pos++
			continue
		}
		n := int(binary.BigEndian.Uint16(data[pos+2:]))
		if n < 2 || pos+2+n > len(data) {
			return nil, errDCData
		}
		seg := data[pos : pos+2+n]
		p := data[pos+4 : pos+2+n]
		pos += 2 + n
		switch m {
		case 0xDB: // DQT
			for len(p) > 0 {
				prec, id := p[0]>>4, p[0]&15
				if id > 3 {
					return nil, errDCData
				}
				size := 64 * int(1+prec)
				if len(p) < 1+size || prec > 1 {
					return nil, errDCData
				}
				for i := range 64 {
					if prec == 0 {
						b.q[id][i] = uint16(p[1+i])
					} else {
						b.q[id][i] = binary.BigEndian.Uint16(p[1+2*i:])
					}
				}
				b.qUsed[id] = true
				p = p[1+size:]
			}
		case 0xC4: // DHT
			for len(p) > 0 {
				if len(p) < 17 {
					return nil, errDCData
				}
				class, id := p[0]>>4, p[0]&15
				if class > 1 || id > 3 {
					return nil, errDCData
				}
				total := 0
				for _, c := range p[1:17] {
					total += int(c)
				}
				if total > 256 || len(p) < 17+total {
					return nil, errDCData
				}
				t := &b.dc[id]
				if class == 1 {
					t = &b.ac[id]
				}
				if err := t.build(p[1:17], p[17:17+total], class == 0); err != nil {
					return nil, err
				}
				p = p[17+total:]
			}
		case 0xDD: // DRI
			if len(p) < 2 {
				return nil, errDCData
			}
			b.restartEvery = int(binary.BigEndian.Uint16(p))
		case 0xC0, 0xC1: // baseline or extended sequential, Huffman
			if sawFrame || len(p) < 6 || p[0] != 8 {
				return nil, errDCUnsupported
			}
			b.height, b.width = int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:]))
			nc := int(p[5])
			if (nc != 1 && nc != 3) || len(p) < 6+3*nc || b.width == 0 || b.height == 0 {
				return nil, errDCUnsupported
			}
			for i := range nc {
				c := p[6+3*i:]
				b.comps = append(b.comps, dcComponent{id: c[0], h: c[1] >> 4, v: c[1] & 15, tq: c[2] & 3})
				if b.comps[i].h < 1 || b.comps[i].h > 2 || b.comps[i].v < 1 || b.comps[i].v > 2 {
					return nil, errDCUnsupported
				}
			}
			if nc == 1 {
				// A single-component scan is not interleaved: one block per MCU.
				b.comps[0].h, b.comps[0].v = 1, 1
			}
			sawFrame = true
		case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
			return nil, errDCUnsupported // progressive, lossless, hierarchical, arithmetic
		case 0xDA: // SOS
			if !sawFrame || len(p) < 1 || int(p[0]) != len(b.comps) || len(p) < 1+2*len(b.comps)+3 {
				return nil, errDCUnsupported // one interleaved scan only
			}
			for i := range b.comps {
				sel := p[1+2*i:]
				if sel[0] != b.comps[i].id {
					return nil, errDCUnsupported
				}
				b.comps[i].td, b.comps[i].ta = sel[1]>>4&3, sel[1]&3
				if b.dc[b.comps[i].td].vals == nil || b.ac[b.comps[i].ta].vals == nil {
					return nil, errDCData // a table the scan names was never defined
				}
				if !b.qUsed[b.comps[i].tq] {
					return nil, errDCData
				}
			}
			b.scan = data[pos:]
			return &b, nil
		default:
			if m >= 0xE0 && m <= 0xEF && !sawFrame {
				b.app = append(b.app, seg)
			}
		}
	}
}

// mcuGrid returns the largest sampling factors and the number of MCUs
// across and down, and sets each component's block grid.
func (b *baseline) mcuGrid() (hmax, vmax byte, mcux, mcuy int) {
	hmax, vmax = 1, 1
	for _, c := range b.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	mcux = (b.width + 8*int(hmax) - 1) / (8 * int(hmax))
	mcuy = (b.height + 8*int(vmax) - 1) / (8 * int(vmax))
	for i := range b.comps {
		c := &b.comps[i]
		c.bw, c.bh = mcux*int(c.h), mcuy*int(c.v)
	}
	return hmax, vmax, mcux, mcuy
}

// dcImage returns the image at 1/8 scale, (w+7)/8 × (h+7)/8 pixels, as
// 4:4:4 YCbCr or gray.
func dcImage(data []byte) (image.Image, error) {
	b, err := parseBaseline(data)
	if err != nil {
		return nil, err
	}
	return decodeDC(b)
}

func decodeDC(b *baseline) (image.Image, error) {
	comps, q, dc, ac := b.comps, &b.q, &b.dc, &b.ac
	hmax, vmax, mcux, mcuy := b.mcuGrid()
	for i := range comps {
		comps[i].plane = make([]byte, comps[i].bw*comps[i].bh)
	}
	br := bitReader{data: b.scan}
	restartEvery := b.restartEvery
	mcus := mcux * mcuy
	for m := range mcus {
		if restartEvery > 0 && m > 0 && m%restartEvery == 0 {
			if err := br.restart(); err != nil {
				return nil, err
			}
			for i := range comps {
				comps[i].pred = 0
			}
		}
		mx, my := m%mcux, m/mcux
		for ci := range comps {
			c := &comps[ci]
			dct, act := &dc[c.td], &ac[c.ta]
			q0 := int32(q[c.tq][0])
			for by := 0; by < int(c.v); by++ {
				for bx := 0; bx < int(c.h); bx++ {
					diff, err := br.skipBlock(dct, act)
					if err != nil {
						return nil, err
					}
					c.pred += diff
					if br.overrun() {
						return nil, errDCData // ran past the data: truncated
					}
					v := c.pred*q0/8 + 128
					c.plane[(my*int(c.v)+by)*c.bw+mx*int(c.h)+bx] = uint8(min(max(v, 0), 255))
				}
			}
		}
	}
	return dcPlanes(comps, hmax, vmax, b.width, b.height), nil
}

// dcPlanes assembles the DC planes of comps into the image at 1/8 scale.
func dcPlanes(comps []dcComponent, hmax, vmax byte, width, height int) image.Image {
	w, h := (width+7)/8, (height+7)/8
	if len(comps) == 1 {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], comps[0].plane[y*comps[0].bw:])
		}
		return g
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	for y := range h {
		copy(img.Y[y*img.YStride:y*img.YStride+w], comps[0].plane[y*comps[0].bw:])
		for ci, dst := range [2][]byte{img.Cb, img.Cr} {
			c := &comps[ci+1]
			row := dst[y*img.CStride : y*img.CStride+w]
			src := c.plane[y*int(c.v)/int(vmax)*c.bw:]
			if c.h == hmax {
				copy(row, src)
				continue
			}
			for x := range row {
				row[x] = src[x*int(c.h)/int(hmax)]
			}
		}
	}
	return img
}

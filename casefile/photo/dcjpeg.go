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

type huffman struct {
	// lut maps the next 9 bits to symbol<<8 | code length (0: longer code).
	lut     [512]uint16
	maxcode [18]int32
	valptr  [17]int32
	mincode [17]int32
	vals    []byte
}

func (h *huffman) build(counts []byte, vals []byte) error {
	h.vals = vals
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		h.valptr[l] = k
		h.mincode[l] = code
		if n == 0 {
			h.maxcode[l] = -1
		} else {
			h.maxcode[l] = code + n - 1
		}
		for i := int32(0); i < n; i++ {
			if l <= 9 {
				base := code << (9 - l)
				for j := int32(0); j < 1<<(9-l); j++ {
					h.lut[base+j] = uint16(vals[k])<<8 | uint16(l)
				}
			}
			code++
			k++
		}
		if code > 1<<l {
			return errDCData
		}
		code <<= 1
	}
	h.maxcode[17] = 1 << 30
	return nil
}

type bitReader struct {
	data  []byte
	pos   int
	acc   uint64
	n     uint // valid bits in acc (from the top)
	pad   int  // zero bytes fed past the end or a marker
	atEnd bool // a marker or the end of data was reached
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
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

func (b *bitReader) bits(n uint) int32 {
	if n == 0 {
		return 0
	}
	if b.n < n {
		b.fill()
	}
	v := int32(b.acc >> (64 - n))
	b.acc <<= n
	b.n -= n
	return v
}

func (b *bitReader) decode(h *huffman) (byte, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.lut[b.acc>>55]; e&0xFF != 0 {
		l := uint(e & 0xFF)
		b.acc <<= l
		b.n -= l
		return byte(e >> 8), nil
	}
	code := int32(0)
	for l := 1; l <= 16; l++ {
		code = code<<1 | int32(b.acc>>63)
		b.acc <<= 1
		b.n--
		if code <= h.maxcode[l] {
			if i := h.valptr[l] + code - h.mincode[l]; i >= 0 && int(i) < len(h.vals) {
				return h.vals[i], nil
			}
			return 0, errDCData
		}
	}
	return 0, errDCData
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

// dcImage returns the image at 1/8 scale, (w+7)/8 × (h+7)/8 pixels, as
// 4:4:4 YCbCr or gray.
func dcImage(data []byte) (image.Image, error) {
	var (
		q             [4][64]uint16
		dc, ac        [4]huffman
		comps         []dcComponent
		width, height int
		restartEvery  int
		sawFrame      bool
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
						q[id][i] = uint16(p[1+i])
					} else {
						q[id][i] = binary.BigEndian.Uint16(p[1+2*i:])
					}
				}
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
				t := &dc[id]
				if class == 1 {
					t = &ac[id]
				}
				if err := t.build(p[1:17], p[17:17+total]); err != nil {
					return nil, err
				}
				p = p[17+total:]
			}
		case 0xDD: // DRI
			if len(p) < 2 {
				return nil, errDCData
			}
			restartEvery = int(binary.BigEndian.Uint16(p))
		case 0xC0, 0xC1: // baseline or extended sequential, Huffman
			if sawFrame || len(p) < 6 || p[0] != 8 {
				return nil, errDCUnsupported
			}
			height, width = int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:]))
			nc := int(p[5])
			if (nc != 1 && nc != 3) || len(p) < 6+3*nc || width == 0 || height == 0 {
				return nil, errDCUnsupported
			}
			for i := range nc {
				c := p[6+3*i:]
				comps = append(comps, dcComponent{id: c[0], h: c[1] >> 4, v: c[1] & 15, tq: c[2] & 3})
				if comps[i].h < 1 || comps[i].h > 2 || comps[i].v < 1 || comps[i].v > 2 {
					return nil, errDCUnsupported
				}
			}
			sawFrame = true
		case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
			return nil, errDCUnsupported // progressive, lossless, hierarchical, arithmetic
		case 0xDA: // SOS
			if !sawFrame || len(p) < 1 || int(p[0]) != len(comps) || len(p) < 1+2*len(comps)+3 {
				return nil, errDCUnsupported // one interleaved scan only
			}
			for i := range comps {
				sel := p[1+2*i:]
				if sel[0] != comps[i].id {
					return nil, errDCUnsupported
				}
				comps[i].td, comps[i].ta = sel[1]>>4&3, sel[1]&3
				if dc[comps[i].td].vals == nil || ac[comps[i].ta].vals == nil {
					return nil, errDCData // a table the scan names was never defined
				}
			}
			return decodeDC(data[pos:], comps, &q, &dc, &ac, width, height, restartEvery)
		}
	}
}

func decodeDC(scan []byte, comps []dcComponent, q *[4][64]uint16, dc, ac *[4]huffman, width, height, restartEvery int) (image.Image, error) {
	hmax, vmax := byte(1), byte(1)
	for _, c := range comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	var mcux, mcuy int
	if len(comps) == 1 {
		// A single-component scan is not interleaved: one block per MCU.
		comps[0].h, comps[0].v, hmax, vmax = 1, 1, 1, 1
	}
	mcux = (width + 8*int(hmax) - 1) / (8 * int(hmax))
	mcuy = (height + 8*int(vmax) - 1) / (8 * int(vmax))
	for i := range comps {
		c := &comps[i]
		c.bw, c.bh = mcux*int(c.h), mcuy*int(c.v)
		c.plane = make([]byte, c.bw*c.bh)
	}
	br := bitReader{data: scan}
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
					s, err := br.decode(dct)
					if err != nil || s > 11 {
						return nil, errDCData
					}
					c.pred += extend(br.bits(uint(s)), s)
					for k := 1; k < 64; {
						rs, err := br.decode(act)
						if err != nil {
							return nil, errDCData
						}
						r, sz := rs>>4, rs&15
						if sz == 0 {
							if r != 15 {
								break
							}
							k += 16
							continue
						}
						k += int(r) + 1
						br.bits(uint(sz))
					}
					if br.overrun() {
						return nil, errDCData // ran past the data: truncated
					}
					v := c.pred*q0/8 + 128
					c.plane[(my*int(c.v)+by)*c.bw+mx*int(c.h)+bx] = uint8(min(max(v, 0), 255))
				}
			}
		}
	}
	w, h := (width+7)/8, (height+7)/8
	if len(comps) == 1 {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], comps[0].plane[y*comps[0].bw:])
		}
		return g, nil
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	for y := range h {
		for x := range w {
			i := y*img.YStride + x
			img.Y[i] = comps[0].plane[y*comps[0].bw+x]
			for ci, dst := range [][]byte{img.Cb, img.Cr} {
				c := &comps[ci+1]
				cx, cy := x*int(c.h)/int(hmax), y*int(c.v)/int(vmax)
				dst[i] = c.plane[cy*c.bw+cx]
			}
		}
	}
	return img, nil
}

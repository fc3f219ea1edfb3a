package photo

import (
	"encoding/binary"
	"image"
	"math/bits"
	"sync"
)

// A turned baseline JPEG is turned without decoding its pixels, as
// libjpeg's jpegtran does (transupp.c): the entropy-coded data is decoded
// to the quantized DCT coefficients of each 8×8 block, the blocks are moved
// to their turned places, the coefficients inside each block are
// transposed (quarter turns) and the odd-frequency ones change sign
// (mirrors), the quantization tables are transposed with them, and the
// coefficients are Huffman-coded again with the tables of the JPEG
// standard (Annex K). Nothing is rounded: the stored photo decodes to the
// turned pixels of the upload, up to the decoder's IDCT rounding.
//
// An edge block that is only partly inside the image cannot be moved to
// the other side: its padding would show. Like `jpegtran -trim`, the
// partial MCU column or row at an edge that a mirror moves is dropped, so
// a turned photo loses at most 15 pixels of one or both edges (none when
// its size is a multiple of the MCU, 16 pixels for 4:2:0).

// The turn takes two passes. The first decodes the scan in its order and
// codes each block's AC coefficients again at once, turned, with the
// output's tables, into a stream of bits (acStream) that keeps each block
// as a run of bits; only the DC value of a block waits, as its code
// depends on the block before it in the turned order. The second walks
// the turned image in its order and writes each block's DC difference and
// copies its AC bits. Nothing holds the coefficients of the whole image:
// what is kept is about the size of the output file.

// blockRef is where a block of the turned image is kept: its DC value and
// its AC coefficients, coded, as nbits bits from bit start of the
// acStream.
type blockRef struct {
	start uint32
	nbits uint16
	dc    int16
}

// turnedComponent is one component of the turned image, its blocks in
// the MCU-padded grid of the turned image.
type turnedComponent struct {
	h, v   int // sampling factors of the turned image
	bw, bh int // blocks across and down
	refs   []blockRef
	// nbx, nby are the source blocks kept across and down (a mirrored
	// side cut to whole MCUs).
	nbx, nby int
	// written counts the blocks decoded into refs: every one must be, as
	// the buffer is reused from another photo.
	written int
}

// turnBuffers are the buffers of one turn, pooled (turnPool): a fresh
// one costs more in page faults and clearing than its use.
type turnBuffers struct {
	words []uint32
	refs  []blockRef
}

// turnPool keeps the buffers of turned photos from one photo to the next
// (some 6 MB for 12 megapixels). There are at most as many as photos
// processed at once (Processor), and the pool lets them go after two
// garbage collections without use.
var turnPool sync.Pool

// acStream is the coded AC coefficients of the blocks, without byte
// stuffing, most significant bit first in each word.
type acStream struct {
	words []uint32 // full words; cap has room for a block more
	acc   uint64   // pending bits, in the low n
	n     uint
}

// maxBlockWords is the most words one block's AC coefficients take: 63
// codes of at most 16+10 bits and an end of block.
const maxBlockWords = (63*26+16)/32 + 2

// pos is the number of bits written.
func (w *acStream) pos() uint64 { return uint64(len(w.words))*32 + uint64(w.n) }

// acCode is an AC Huffman table for acStream.block: for each symbol
// (run<<4 | size), its code shifted left by size, so that the magnitude
// bits can be or'ed in, <<8 | the length of both.
type acCode [256]uint64

func newACCode(t *huffCode) *acCode {
	var c acCode
	for sym := range 256 {
		s := uint(sym & 15)
		c[sym] = uint64(t.code[sym])<<s<<8 | uint64(t.size[sym]+uint8(s))
	}
	return &c
}

// stdAC are the standard AC tables, luminance and chrominance, as acCode.
var stdAC = [2]*acCode{newACCode(&stdHuffman[1]), newACCode(&stdHuffman[3])}

// block codes the AC coefficients of blk (zigzag order, each as its
// magnitude bits<<4 | size, see readBlock), whose nonzero ones mask says,
// with table ac, and clears them. The stream must have room for
// maxBlockWords more words.
func (w *acStream) block(blk *[64]uint16, mask uint64, ac *acCode) {
	acc, n, words := w.acc, w.n, w.words
	put := func(e uint64, b uint64) {
		l := uint(e & 0xFF)
		acc = acc<<l | e>>8 | b
		n += l
		if n >= 32 {
			n -= 32
			words = append(words, uint32(acc>>n))
		}
	}
	prev := 0
	for m := mask; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		run := k - prev - 1
		for run > 15 {
			put(ac[0xF0], 0)
			run -= 16
		}
		c := blk[k]
		blk[k] = 0
		put(ac[byte(run<<4)|byte(c&15)], uint64(c>>4))
		prev = k
	}
	if prev < 63 {
		put(ac[0], 0)
	}
	w.acc, w.n, w.words = acc, n, words
}

// finish writes the pending bits and a word of zeros, so that any 32 bits
// from a position before the end can be read as two words.
func (w *acStream) finish() {
	if w.n > 0 {
		w.words = append(w.words, uint32(w.acc<<(32-w.n)))
	}
	w.words = append(w.words, 0, 0)
	w.acc, w.n = 0, 0
}

// read returns the 32 bits from bit p.
func (w *acStream) read(p uint64) uint32 {
	i, s := p>>5, p&31
	return uint32((uint64(w.words[i])<<32 | uint64(w.words[i+1])) >> (32 - s))
}

// readBlock decodes one block: it returns the DC difference and writes
// the AC coefficients, turned (coefficient k to to[k], the sign changed
// where flip[k]), in blk, which must be zero, returning the mask of the
// nonzero ones. A coefficient is kept as it is coded, its magnitude
// bits<<4 | its size: the bits of -v are those of v inverted. A value of
// more than 10 bits, which a baseline encoder with the standard tables
// could not write again, makes it errDCUnsupported.
func (b *bitReader) readBlock(dct, act *huffman, blk *[64]uint16, to *[64]uint8, flip *[64]uint16) (int32, uint64, error) {
	acc, n := b.acc, b.n
	if n < 32 {
		acc, n = b.refill(acc, n)
	}
	_, diff, used := dct.next(acc)
	if used == 0 {
		return 0, 0, errDCData
	}
	acc, n = acc<<used, n-used
	var mask uint64
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
		var v int32
		if e := act.fast[acc>>(64-fastBits)]; e&needMagnitude == 0 && e != 0 {
			rs, v, used = byte(e>>8), e>>16, uint(e&31)
		} else if rs, v, used = act.nextSlow(acc); used == 0 {
			return 0, 0, errDCData
		}
		acc, n = acc<<used, n-used
		s := rs & 15
		if s == 0 {
			if rs != 0xF0 {
				break
			}
			k += 16
			continue
		}
		k += int(rs >> 4)
		if k > 63 {
			return 0, 0, errDCData
		}
		if s > 10 {
			return 0, 0, errDCUnsupported
		}
		p := to[k]
		blk[p] = (uint16(v)<<4 | uint16(s)) ^ (flip[k] & (1<<s - 1) << 4)
		mask |= 1 << p
		k++
	}
	b.acc, b.n = acc, n
	return diff, mask, nil
}

// decodeTurned decodes the scan of b, keeping each block turned as o says
// at its place in comps, its AC coefficients coded in acs. Values a
// baseline encoder with the standard tables could not write again (a DC
// outside ±1024, an AC of more than 10 bits) make it errDCUnsupported.
func decodeTurned(b *baseline, o Orientation, comps []turnedComponent, acs *acStream) error {
	_, _, mcux, mcuy := b.mcuGrid()
	to, sign := blockTurnInverse(o)
	var flip [64]uint16
	for k, v := range sign {
		if v < 0 {
			flip[k] = 0xFFFF
		}
	}
	src := b.comps
	br := bitReader{data: b.scan}
	var blk [64]uint16
	for m := range mcux * mcuy {
		if b.restartEvery > 0 && m > 0 && m%b.restartEvery == 0 {
			if err := br.restart(); err != nil {
				return err
			}
			for i := range src {
				src[i].pred = 0
			}
		}
		mx, my := m%mcux, m/mcux
		for ci := range src {
			c, oc := &src[ci], &comps[ci]
			dct, act := &b.dc[c.td], &b.ac[c.ta]
			code := stdAC[min(ci, 1)]
			for by := 0; by < int(c.v); by++ {
				for bx := 0; bx < int(c.h); bx++ {
					diff, mask, err := br.readBlock(dct, act, &blk, &to, &flip)
					if err != nil {
						return err
					}
					if br.overrun() {
						return errDCData // ran past the data: truncated
					}
					c.pred += diff
					if c.pred < -1024 || c.pred > 1023 {
						return errDCUnsupported
					}
					// Where the block goes; a trimmed one is not kept.
					sx, sy := mx*int(c.h)+bx, my*int(c.v)+by
					if sx >= oc.nbx || sy >= oc.nby {
						clearMasked(&blk, mask)
						continue
					}
					dx, dy := turnedAt(o, sx, sy, oc.nbx, oc.nby)
					if dx >= oc.bw || dy >= oc.bh {
						clearMasked(&blk, mask)
						continue
					}
					if cap(acs.words)-len(acs.words) < maxBlockWords {
						if len(acs.words) >= 1<<27-maxBlockWords {
							return errDCUnsupported // start would not fit in 32 bits
						}
						acs.words = growWords(acs.words, 2*len(acs.words)+1024)
					}
					start := acs.pos()
					acs.block(&blk, mask, code)
					oc.refs[oc.index(dx, dy)] = blockRef{start: uint32(start), nbits: uint16(acs.pos() - start), dc: int16(c.pred)}
					oc.written++
				}
			}
		}
	}
	acs.finish()
	return nil
}

// acWords is the room made at first for the coded AC coefficients of a
// scan of n bytes: they take about as much, the standard tables may need
// a little more, and the stream grows when they need more still. (A
// variable so that a test can make it grow.)
var acWords = func(n int) int { return n/4 + n/32 + maxBlockWords }

// growWords returns w with a capacity of at least n. (Not slices.Grow:
// under the race detector, its append of a make allocates twice.)
func growWords(w []uint32, n int) []uint32 {
	if cap(w) >= n {
		return w
	}
	g := make([]uint32, len(w), n)
	copy(g, w)
	return g
}

// clearMasked zeroes the coefficients of blk that mask says are nonzero.
func clearMasked(blk *[64]uint16, mask uint64) {
	for ; mask != 0; mask &= mask - 1 {
		blk[bits.TrailingZeros64(mask)] = 0
	}
}

// The blocks of a turned component are kept in tiles of 8×8 blocks, so
// that the decoder's writes (a source row is a column of the turned
// image) stay within a few pages at a time.

// tiled rounds a number of blocks up to whole tiles.
func tiled(n int) int { return (n + 7) &^ 7 }

// index is the place of block (x, y) in refs.
func (c *turnedComponent) index(x, y int) int {
	return ((y>>3)*(tiled(c.bw)>>3)+x>>3)<<6 | (y&7)<<3 | x&7
}

// turnedAt is where block (x, y) of a w×h grid goes for orientation o
// (the same rule as turnPlane's for pixels).
func turnedAt(o Orientation, x, y, w, h int) (int, int) {
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

// zigzag[k] is the natural (row-major) index of the k-th coefficient in
// zigzag order; unzigzag is its inverse.
var zigzag, unzigzag = func() (z, u [64]uint8) {
	k := 0
	for s := 0; s < 15; s++ { // anti-diagonals u+v = s
		for i := 0; i <= s; i++ {
			v := i // rows go down on odd diagonals, up on even ones
			if s%2 == 0 {
				v = s - i
			}
			x := s - v
			if v > 7 || x > 7 {
				continue
			}
			z[k] = uint8(v*8 + x)
			u[v*8+x] = uint8(k)
			k++
		}
	}
	return z, u
}()

// blockTurn is how orientation o moves the coefficients inside a block:
// output coefficient k (zigzag) is sign[k] times input coefficient
// from[k]. Frequencies (u across, v down) are swapped for the quarter
// turns; a mirror across changes the sign of odd u, down of odd v
// (transupp.c, do_flip_h … do_rot_270).
func blockTurn(o Orientation) (from [64]uint8, sign [64]int16) {
	for k := range 64 {
		n := int(zigzag[k])
		v, u := n/8, n%8
		src := n
		if o.swapsAxes() {
			src = u*8 + v
		}
		var flipU, flipV bool
		switch o {
		case 2:
			flipU = true
		case 3, 7:
			flipU, flipV = true, true
		case 4, 8:
			flipV = true
		case 6:
			flipU = true
		}
		sign[k] = 1
		if (flipU && u%2 == 1) != (flipV && v%2 == 1) {
			sign[k] = -1
		}
		from[k] = unzigzag[src]
	}
	return from, sign
}

// blockTurnInverse is blockTurn seen from the input: input coefficient k
// goes to output index to[k], times sign[k].
func blockTurnInverse(o Orientation) (to [64]uint8, sign [64]int16) {
	from, outSign := blockTurn(o)
	for k := range 64 {
		to[from[k]] = uint8(k)
		sign[from[k]] = outSign[k]
	}
	return to, sign
}

// mirrors reports whether orientation o moves source columns (x) or rows
// (y) to the other side: those are the edges that must be trimmed.
func mirrors(o Orientation) (x, y bool) {
	switch o {
	case 2, 8:
		return true, false
	case 4, 6:
		return false, true
	case 3, 7:
		return true, true
	}
	return false, false
}

// turnedJPEG is the result of turnJPEG.
type turnedJPEG struct {
	data          []byte
	width, height int
	// small is the turned image at 1/8 scale from the DC coefficients.
	small image.Image
}

// turnJPEG turns a baseline JPEG (metadata already stripped) as
// orientation o says, losslessly in the DCT domain. It returns
// errDCUnsupported for what it does not handle (progressive, several
// scans, 12-bit, an image smaller than one MCU on a trimmed side), and
// errDCData for corrupt data.
func turnJPEG(data []byte, o Orientation) (*turnedJPEG, error) {
	b, err := parseBaseline(data)
	if err != nil {
		return nil, err
	}
	hmax, vmax, _, _ := b.mcuGrid()
	// The source size kept: a mirrored side is cut to whole MCUs.
	sw, sh := b.width, b.height
	mx, my := mirrors(o)
	if mx {
		sw -= sw % (8 * int(hmax))
	}
	if my {
		sh -= sh % (8 * int(vmax))
	}
	if sw == 0 || sh == 0 {
		return nil, errDCUnsupported
	}
	w, h := sw, sh
	ohmax, ovmax := hmax, vmax
	if o.swapsAxes() {
		w, h, ohmax, ovmax = sh, sw, vmax, hmax
	}
	omcux := (w + 8*int(ohmax) - 1) / (8 * int(ohmax))
	omcuy := (h + 8*int(ovmax) - 1) / (8 * int(ovmax))
	comps := make([]turnedComponent, len(b.comps))
	total := 0
	for _, c := range b.comps {
		nh, nv := int(c.h), int(c.v)
		if o.swapsAxes() {
			nh, nv = nv, nh
		}
		total += tiled(omcux*nh) * tiled(omcuy*nv)
	}
	buf, _ := turnPool.Get().(*turnBuffers)
	if buf == nil {
		buf = new(turnBuffers)
	}
	defer turnPool.Put(buf)
	if cap(buf.refs) < total {
		buf.refs = make([]blockRef, total)
	}
	refs := buf.refs[:total]
	acs := acStream{words: growWords(buf.words[:0], acWords(len(b.scan)))}
	for i, c := range b.comps {
		oc := &comps[i]
		oc.h, oc.v = int(c.h), int(c.v)
		if o.swapsAxes() {
			oc.h, oc.v = oc.v, oc.h
		}
		oc.bw, oc.bh = omcux*oc.h, omcuy*oc.v
		oc.nbx, oc.nby = c.bw, c.bh
		if mx {
			oc.nbx = sw / 8 * int(c.h) / int(hmax)
		}
		if my {
			oc.nby = sh / 8 * int(c.v) / int(vmax)
		}
		nb := tiled(oc.bw) * tiled(oc.bh)
		oc.refs, refs = refs[:nb], refs[nb:]
	}
	err = decodeTurned(b, o, comps, &acs)
	buf.words = acs.words
	if err != nil {
		return nil, err
	}
	for _, c := range comps {
		if c.written != c.bw*c.bh {
			// Not expected: every block of the turned grid has a source.
			return nil, errDCUnsupported
		}
	}

	out := make([]byte, 0, len(b.scan)+1024)
	out = append(out, 0xFF, 0xD8)
	for _, seg := range b.app {
		out = append(out, seg...)
	}
	from, _ := blockTurn(o)
	out = b.appendTables(out, from, o.swapsAxes())
	// SOF: baseline unless a quantization table needs 16 bits.
	sof := byte(0xC0)
	for i, used := range b.qUsed {
		for _, v := range b.q[i] {
			if used && v > 255 {
				sof = 0xC1
			}
		}
	}
	n := 8 + 3*len(comps)
	out = append(out, 0xFF, sof, byte(n>>8), byte(n), 8, byte(h>>8), byte(h), byte(w>>8), byte(w), byte(len(comps)))
	for i, c := range b.comps {
		out = append(out, c.id, byte(comps[i].h<<4|comps[i].v), c.tq)
	}
	out = appendStdHuffman(out, len(comps) > 1)
	n = 6 + 2*len(comps)
	out = append(out, 0xFF, 0xDA, byte(n>>8), byte(n), byte(len(comps)))
	for i, c := range b.comps {
		t := byte(0x00)
		if i > 0 {
			t = 0x11
		}
		out = append(out, c.id, t)
	}
	out = append(out, 0, 63, 0)

	dcComps := make([]dcComponent, len(comps))
	preds := make([]int32, len(comps))
	for i, c := range comps {
		dcComps[i] = dcComponent{h: byte(c.h), v: byte(c.v), plane: make([]byte, c.bw*c.bh), bw: c.bw}
	}
	bw := bitWriter{out: out}
	for my := range omcuy {
		for mx := range omcux {
			for ci := range comps {
				c := &comps[ci]
				dcCode := &stdHuffman[0]
				if ci > 0 {
					dcCode = &stdHuffman[2]
				}
				q0 := int32(b.q[b.comps[ci].tq][0])
				plane := dcComps[ci].plane
				for by := range c.v {
					row := (my*c.v + by) * c.bw
					for bx := range c.h {
						i, ref := row+mx*c.h+bx, c.refs[c.index(mx*c.h+bx, my*c.v+by)]
						dc := int32(ref.dc)
						v := dc*q0/8 + 128
						plane[i] = uint8(min(max(v, 0), 255))
						d, s := magnitude(dc - preds[ci])
						bw.put(uint32(dcCode.code[s])<<s|d, uint(dcCode.size[s])+s)
						preds[ci] = dc
						bw.copyBits(&acs, uint64(ref.start), uint(ref.nbits))
					}
				}
			}
		}
	}
	out = bw.flush()
	out = append(out, 0xFF, 0xD9)
	return &turnedJPEG{data: out, width: w, height: h, small: dcPlanes(dcComps, ohmax, ovmax, w, h)}, nil
}

// appendTables appends the quantization tables the frame uses, transposed
// when the blocks are (from maps output zigzag indexes to input ones, the
// signs do not matter here).
func (b *baseline) appendTables(out []byte, from [64]uint8, transpose bool) []byte {
	for id, used := range b.qUsed {
		if !used {
			continue
		}
		wide := false
		for _, v := range b.q[id] {
			wide = wide || v > 255
		}
		n := 2 + 1 + 64
		if wide {
			n = 2 + 1 + 128
		}
		out = append(out, 0xFF, 0xDB, byte(n>>8), byte(n))
		if wide {
			out = append(out, 0x10|byte(id))
		} else {
			out = append(out, byte(id))
		}
		for k := range 64 {
			v := b.q[id][k]
			if transpose {
				v = b.q[id][from[k]]
			}
			if wide {
				out = append(out, byte(v>>8), byte(v))
			} else {
				out = append(out, byte(v))
			}
		}
	}
	return out
}

// huffCode is a Huffman table for encoding: code and length per symbol.
type huffCode struct {
	code [256]uint16
	size [256]uint8
}

// huffSpec is a DHT table: counts of codes per length and the symbols.
type huffSpec struct {
	counts [16]byte
	vals   []byte
}

// stdSpecs are the example tables of the JPEG standard, Annex K.3
// (luminance DC, luminance AC, chrominance DC, chrominance AC), which
// hold every symbol an 8-bit baseline scan can need.
var stdSpecs = [4]huffSpec{
	{[16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
	{[16]byte{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125}, []byte{
		0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
		0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
		0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
		0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
		0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
		0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
		0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
		0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
		0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}},
	{[16]byte{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
	{[16]byte{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119}, []byte{
		0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
		0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
		0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
		0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
		0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
		0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
		0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
		0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
		0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}},
}

var stdHuffman = func() (t [4]huffCode) {
	for i, s := range stdSpecs {
		code, k := uint16(0), 0
		for l, n := range s.counts {
			for range n {
				t[i].code[s.vals[k]] = code
				t[i].size[s.vals[k]] = uint8(l + 1)
				code++
				k++
			}
			code <<= 1
		}
	}
	return t
}()

// appendStdHuffman appends the DHT segment of the standard tables: the
// luminance ones, and the chrominance ones for a colour image.
func appendStdHuffman(out []byte, colour bool) []byte {
	specs := stdSpecs[:2]
	if colour {
		specs = stdSpecs[:]
	}
	n := 2
	for _, s := range specs {
		n += 17 + len(s.vals)
	}
	out = append(out, 0xFF, 0xC4, byte(n>>8), byte(n))
	for i, s := range specs {
		out = append(out, byte(i%2)<<4|byte(i/2))
		out = append(out, s.counts[:]...)
		out = append(out, s.vals...)
	}
	return out
}

// bitWriter writes entropy-coded data, stuffing a zero byte after 0xFF.
type bitWriter struct {
	out []byte
	acc uint64 // pending bits in the low n bits
	n   uint
}

// put writes the n low bits of v, n ≤ 32.
func (w *bitWriter) put(v uint32, n uint) {
	w.acc = w.acc<<n | uint64(v)
	w.n += n
	if w.n >= 32 {
		w.n -= 32
		w.out = appendStuffed(w.out, uint32(w.acc>>w.n))
	}
}

// appendStuffed appends the four bytes of x, a zero after each 0xFF.
func appendStuffed(out []byte, x uint32) []byte {
	if !hasFF(x) {
		return binary.BigEndian.AppendUint32(out, x)
	}
	return appendStuffedSlow(out, x)
}

func appendStuffedSlow(out []byte, x uint32) []byte {
	for _, b := range [4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)} {
		out = append(out, b)
		if b == 0xFF {
			out = append(out, 0)
		}
	}
	return out
}

// copyBits writes the n bits of a from bit p.
func (w *bitWriter) copyBits(a *acStream, p uint64, n uint) {
	acc, out := w.acc, w.out
	for ; n >= 32; n -= 32 {
		// 32 bits in, 32 out: w.n stays.
		acc = acc<<32 | uint64(a.read(p))
		out = appendStuffed(out, uint32(acc>>w.n))
		p += 32
	}
	w.acc, w.out = acc, out
	if n > 0 {
		w.put(a.read(p)>>(32-n), n)
	}
}

// hasFF reports whether one of the four bytes of x is 0xFF.
func hasFF(x uint32) bool {
	y := ^x // a 0xFF byte becomes 0x00
	return (y-0x01010101)&^y&0x80808080 != 0
}

// flush pads the last byte with one bits and returns the data.
func (w *bitWriter) flush() []byte {
	if pad := (8 - w.n%8) % 8; pad > 0 {
		w.put(1<<pad-1, pad)
	}
	for w.n >= 8 {
		w.n -= 8
		b := byte(w.acc >> w.n)
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
	}
	return w.out
}

// magnitude returns the JPEG size category of v and its bits.
func magnitude(v int32) (uint32, uint) {
	a := v
	if v < 0 {
		a = -v
		v--
	}
	s := uint(bits.Len32(uint32(a)))
	return uint32(v) & (1<<s - 1), s
}

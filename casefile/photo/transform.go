package photo

import (
	"image"
	"image/color"
	"image/draw"
)

// upright returns img turned as its EXIF orientation says. YCbCr, gray and
// RGBA-like images are turned plane by plane, without a colour conversion;
// other kinds go through RGBA.
func upright(img image.Image, o Orientation) image.Image {
	if !o.needsTurn() {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dr := image.Rect(0, 0, w, h)
	if o.swapsAxes() {
		dr = image.Rect(0, 0, h, w)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		ratio, ok := m.SubsampleRatio, true
		if o.swapsAxes() {
			ratio, ok = swappedRatio(m.SubsampleRatio)
		}
		if ok && m.Rect.Min == (image.Point{}) {
			d := image.NewYCbCr(dr, ratio)
			turnPlane(d.Y, d.YStride, m.Y, m.YStride, w, h, 1, o)
			cw, ch := chromaSize(m)
			turnPlane(d.Cb, d.CStride, m.Cb, m.CStride, cw, ch, 1, o)
			turnPlane(d.Cr, d.CStride, m.Cr, m.CStride, cw, ch, 1, o)
			return d
		}
	case *image.Gray:
		d := image.NewGray(dr)
		turnPlane(d.Pix, d.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, 1, o)
		return d
	case *image.RGBA:
		d := image.NewRGBA(dr)
		turnPlane(d.Pix, d.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, 4, o)
		return d
	case *image.NRGBA:
		d := image.NewNRGBA(dr)
		turnPlane(d.Pix, d.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, 4, o)
		return d
	case *image.NRGBA64:
		d := image.NewNRGBA64(dr)
		turnPlane(d.Pix, d.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, 8, o)
		return d
	case *image.Paletted:
		d := image.NewPaletted(dr, m.Palette)
		turnPlane(d.Pix, d.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, 1, o)
		return d
	}
	// Anything else (CMYK, 16-bit gray, alpha YCbCr, 4:1:1 turned): through RGBA.
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return upright(rgba, o)
}

// swappedRatio is the subsample ratio of a YCbCr image turned a quarter.
func swappedRatio(r image.YCbCrSubsampleRatio) (image.YCbCrSubsampleRatio, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		return r, true
	case image.YCbCrSubsampleRatio422:
		return image.YCbCrSubsampleRatio440, true
	case image.YCbCrSubsampleRatio440:
		return image.YCbCrSubsampleRatio422, true
	}
	return r, false // 4:1:1 and 4:1:0 have no turned counterpart in package image
}

// chromaSize is the width and height of m's chroma planes.
func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// turnPlane writes into dst the plane src (w×h samples of bpp bytes) turned
// as o says. For o 5–8 dst is h wide and w high.
//
// It walks the source row by row (sequential reads) and scatters into
// dst; for the quarter turns that is a column walk in dst, the cheaper
// side to be cache-unfriendly on since writes are buffered.
func turnPlane(dst []byte, dstStride int, src []byte, srcStride, w, h, bpp int, o Orientation) {
	for sy := 0; sy < h; sy++ {
		row := src[sy*srcStride : sy*srcStride+w*bpp]
		for sx := 0; sx < w; sx++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-sx, sy
			case 3:
				dx, dy = w-1-sx, h-1-sy
			case 4:
				dx, dy = sx, h-1-sy
			case 5:
				dx, dy = sy, sx
			case 6:
				dx, dy = h-1-sy, sx
			case 7:
				dx, dy = h-1-sy, w-1-sx
			case 8:
				dx, dy = sy, w-1-sx
			}
			copy(dst[dy*dstStride+dx*bpp:dy*dstStride+dx*bpp+bpp], row[sx*bpp:sx*bpp+bpp])
		}
	}
}

// thumbSize fits w×h into a max×max box, keeping the aspect ratio and
// never enlarging.
func thumbSize(w, h, max int) (int, int) {
	if w <= max && h <= max {
		return w, h
	}
	if w >= h {
		th := (h*max + w/2) / w
		return max, maxInt(th, 1)
	}
	tw := (w*max + h/2) / h
	return maxInt(tw, 1), max
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// shrink scales img down to tw×th with a box filter: each output pixel is
// the mean of the source pixels it covers. A YCbCr image is scaled plane by
// plane (no colour conversion of the full-size image); other kinds are
// read through their colour model and composited on white.
func shrink(img image.Image, tw, th int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if m, ok := img.(*image.YCbCr); ok && m.Rect.Min == (image.Point{}) {
		d := image.NewYCbCr(image.Rect(0, 0, tw, th), image.YCbCrSubsampleRatio444)
		boxPlane(d.Y, d.YStride, tw, th, m.Y, m.YStride, w, h)
		cw, ch := chromaSize(m)
		boxPlane(d.Cb, d.CStride, tw, th, m.Cb, m.CStride, cw, ch)
		boxPlane(d.Cr, d.CStride, tw, th, m.Cr, m.CStride, cw, ch)
		return d
	}
	if m, ok := img.(*image.Gray); ok && m.Rect.Min == (image.Point{}) {
		d := image.NewGray(image.Rect(0, 0, tw, th))
		boxPlane(d.Pix, d.Stride, tw, th, m.Pix, m.Stride, w, h)
		return d
	}
	d := image.NewRGBA(image.Rect(0, 0, tw, th))
	sums := make([]uint64, tw*4)
	counts := make([]uint64, tw)
	for ty := 0; ty < th; ty++ {
		clear(sums)
		clear(counts)
		y0, y1 := ty*h/th, (ty+1)*h/th
		for y := y0; y < y1; y++ {
			for x := 0; x < w; x++ {
				c := color.RGBA64Model.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.RGBA64)
				// Premultiplied: add white where the pixel is transparent.
				white := uint64(0xffff - c.A)
				tx := x * tw / w
				sums[tx*4] += uint64(c.R) + white
				sums[tx*4+1] += uint64(c.G) + white
				sums[tx*4+2] += uint64(c.B) + white
				counts[tx]++
			}
		}
		for tx := 0; tx < tw; tx++ {
			n := counts[tx] * 257
			if n == 0 {
				continue
			}
			o := ty*d.Stride + tx*4
			d.Pix[o] = uint8(sums[tx*4] / n)
			d.Pix[o+1] = uint8(sums[tx*4+1] / n)
			d.Pix[o+2] = uint8(sums[tx*4+2] / n)
			d.Pix[o+3] = 0xff
		}
	}
	return d
}

// boxPlane scales a w×h plane of bytes down to tw×th (tw ≤ w is not
// required: a plane smaller than the output, such as subsampled chroma,
// repeats its samples). Source rows are read once, in order.
func boxPlane(dst []byte, dstStride, tw, th int, src []byte, srcStride, w, h int) {
	sums := make([]uint32, tw)
	counts := make([]uint32, tw)
	// xs[x] is the output column of source column x; for a plane narrower
	// than the output, output columns map back onto source columns instead.
	if w < tw || h < th {
		for ty := 0; ty < th; ty++ {
			sy := ty * h / th
			for tx := 0; tx < tw; tx++ {
				dst[ty*dstStride+tx] = src[sy*srcStride+tx*w/tw]
			}
		}
		return
	}
	xs := make([]int32, w)
	for x := range xs {
		xs[x] = int32(x * tw / w)
	}
	for ty := 0; ty < th; ty++ {
		clear(sums)
		clear(counts)
		y0, y1 := ty*h/th, (ty+1)*h/th
		for y := y0; y < y1; y++ {
			row := src[y*srcStride : y*srcStride+w]
			for x, v := range row {
				t := xs[x]
				sums[t] += uint32(v)
				counts[t]++
			}
		}
		out := dst[ty*dstStride : ty*dstStride+tw]
		for tx := range out {
			out[tx] = uint8((sums[tx] + counts[tx]/2) / counts[tx])
		}
	}
}

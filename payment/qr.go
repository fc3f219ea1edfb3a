package payment

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QR is the module grid of a QR code: Size×Size cells, true where dark.
type QR struct {
	Size    int
	modules []bool
}

// Dark reports whether the module at column x, row y is dark.
func (q QR) Dark(x, y int) bool { return q.modules[y*q.Size+x] }

// quietZone is the light border, in modules, that ISO/IEC 18004 requires
// around a QR code for scanners to find it.
const quietZone = 4

// QR encodes the payload with error correction level M, as EPC069-12
// requires (the library defaults to Q, so the level is set explicitly), in
// byte mode so the UTF-8 bytes are carried as they are.
func (c EPCCode) QR() (QR, error) {
	p, err := c.Payload()
	if err != nil {
		return QR{}, err
	}
	return encodeQR(p)
}

func encodeQR(p []byte) (QR, error) {
	code, err := qrcode.NewWith(p,
		qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium),
		qrcode.WithEncodingMode(qrcode.EncModeByte))
	if err != nil {
		return QR{}, fmt.Errorf("payment: encode QR: %w", err)
	}
	var w matrixWriter
	if err := code.Save(&w); err != nil {
		return QR{}, fmt.Errorf("payment: encode QR: %w", err)
	}
	return w.qr, nil
}

type matrixWriter struct{ qr QR }

func (w *matrixWriter) Write(m qrcode.Matrix) error {
	n := m.Width()
	w.qr = QR{Size: n, modules: make([]bool, n*n)}
	m.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) {
		if x < n && y < n {
			w.qr.modules[y*n+x] = v.IsSet()
		}
	})
	return nil
}

func (w *matrixWriter) Close() error { return nil }

// PNG renders the code with scale pixels per module and the quiet zone,
// black on white, as a 1-bit paletted PNG.
func (q QR) PNG(scale int) ([]byte, error) {
	if scale < 1 {
		scale = 1
	}
	side := (q.Size + 2*quietZone) * scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := 0; y < q.Size; y++ {
		for x := 0; x < q.Size; x++ {
			if !q.Dark(x, y) {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := img.Pix[((y+quietZone)*scale+dy)*img.Stride:]
				for dx := 0; dx < scale; dx++ {
					row[(x+quietZone)*scale+dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("payment: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders the code as a scalable image, one unit per module, with the
// quiet zone; dark modules of a row are merged into runs to keep it small.
func (q QR) SVG() []byte {
	side := q.Size + 2*quietZone
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, side, side)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, side, side)
	for y := 0; y < q.Size; y++ {
		for x := 0; x < q.Size; {
			if !q.Dark(x, y) {
				x++
				continue
			}
			run := x
			for run < q.Size && q.Dark(run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quietZone, y+quietZone, run-x, run-x)
			x = run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes()
}

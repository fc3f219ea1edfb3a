package payment

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustIBAN(t testing.TB, s string) IBAN {
	v, err := ParseIBAN(s)
	require.NoError(t, err)
	return v
}

func mustBIC(t testing.TB, s string) BIC {
	v, err := ParseBIC(s)
	require.NoError(t, err)
	return v
}

// The worked example of EPC069-12 (version 002, with a structured RF
// reference and a beneficiary whose name is not ASCII).
func mustermann(t testing.TB) EPCCode {
	rf, err := ParseCreditorReference("RF18539007547034")
	require.NoError(t, err)
	return EPCCode{
		BIC:       mustBIC(t, "BHBLDEHHXXX"),
		Name:      "Franz Mustermänn",
		IBAN:      mustIBAN(t, "DE71110220330123456789"),
		Amount:    decimal.RequireFromString("12.30"),
		Purpose:   "GDDS",
		Reference: RFReference(rf),
	}
}

func TestEPCPayloadWorkedExamples(t *testing.T) {
	p, err := mustermann(t).Payload()
	require.NoError(t, err)
	assert.Equal(t, "BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\nGDDS\nRF18539007547034", string(p))
	assert.Contains(t, string(p), "Mustermänn") // UTF-8 bytes, not Latin-1 or '?'

	// The Red Cross example, here in version 002 with an unstructured text.
	red := EPCCode{
		BIC:         mustBIC(t, "BPOTBEB1"),
		Name:        "Red Cross of Belgium",
		IBAN:        mustIBAN(t, "BE72000000001616"),
		Amount:      decimal.NewFromInt(1),
		Purpose:     "CHAR",
		Text:        "Urgency fund",
		Information: "Sample EPC QR code",
	}
	p, err = red.Payload()
	require.NoError(t, err)
	assert.Equal(t, "BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\nSample EPC QR code", string(p))

	// A Belgian OGM goes as its 12 digits into the structured field; no BIC.
	o, _ := ParseOGM("+++123/4567/89002+++")
	p, err = EPCCode{Name: "Gemeente Zottegem", IBAN: mustIBAN(t, "BE68539007547034"), Amount: decimal.RequireFromString("50"), Reference: OGMReference(o)}.Payload()
	require.NoError(t, err)
	assert.Equal(t, "BCD\n002\n1\nSCT\n\nGemeente Zottegem\nBE68539007547034\nEUR50\n\n123456789002", string(p))

	back, err := ParseEPCPayload(p)
	require.NoError(t, err)
	assert.Equal(t, "123456789002", back.Reference.Key())
	assert.True(t, back.Amount.Equal(decimal.NewFromInt(50)))
}

func TestEPCLimits(t *testing.T) {
	rf := mustermann(t).Reference
	tests := []struct {
		name   string
		change func(*EPCCode)
		field  string
		rule   string
	}{
		{"name missing", func(c *EPCCode) { c.Name = "" }, "name", "required"},
		{"name 71 characters", func(c *EPCCode) { c.Name = strings.Repeat("ä", 71) }, "name", "max"},
		{"name with newline", func(c *EPCCode) { c.Name = "a\nb" }, "name", "single_line"},
		{"name not UTF-8", func(c *EPCCode) { c.Name = "M\xfcller" }, "name", "utf8"},
		{"no IBAN", func(c *EPCCode) { c.IBAN = IBAN{} }, "iban", "required"},
		{"amount below 0.01", func(c *EPCCode) { c.Amount = decimal.RequireFromString("0.001") }, "amount", "min"},
		{"negative amount", func(c *EPCCode) { c.Amount = decimal.RequireFromString("-5") }, "amount", "min"},
		{"amount too big", func(c *EPCCode) { c.Amount = decimal.RequireFromString("1000000000") }, "amount", "max"},
		{"three decimals", func(c *EPCCode) { c.Amount = decimal.RequireFromString("1.005") }, "amount", "decimals"},
		{"purpose", func(c *EPCCode) { c.Purpose = "gdds" }, "purpose", "purpose_code"},
		{"structured and text", func(c *EPCCode) { c.Text = "hello" }, "text", "excluded_with"},
		{"text 141", func(c *EPCCode) { c.Reference = Reference{}; c.Text = strings.Repeat("x", 141) }, "text", "max"},
		{"information 71", func(c *EPCCode) { c.Information = strings.Repeat("x", 71) }, "information", "max"},
		{"payload over 331 bytes", func(c *EPCCode) {
			c.Reference = Reference{}
			c.Name = strings.Repeat("ä", 70)        // 140 bytes
			c.Text = strings.Repeat("x", 140)       // 140 bytes
			c.Information = strings.Repeat("é", 30) // 60 bytes
		}, "payload", "max"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustermann(t)
			c.Reference = rf
			tt.change(&c)
			_, err := c.Payload()
			require.ErrorIs(t, err, ErrValidation)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
	c := mustermann(t)
	c.Amount = decimal.RequireFromString("999999999.99")
	_, err := c.Payload()
	assert.NoError(t, err)
	c.Amount = decimal.RequireFromString("0.01")
	_, err = c.Payload()
	assert.NoError(t, err)
}

// decodePNG reads the PNG back with an independent decoder (a port of
// ZXing, the library behind many banking apps' scanners).
func decodePNG(t *testing.T, img []byte) *gozxing.Result {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(img))
	require.NoError(t, err)
	bmp, err := gozxing.NewBinaryBitmapFromImage(m)
	require.NoError(t, err)
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"})
	require.NoError(t, err)
	return res
}

func TestEPCQRDecodesWithIndependentDecoder(t *testing.T) {
	c := mustermann(t)
	want, err := c.Payload()
	require.NoError(t, err)
	q, err := c.QR()
	require.NoError(t, err)
	img, err := q.PNG(4)
	require.NoError(t, err)

	res := decodePNG(t, img)
	assert.Equal(t, string(want), res.GetText())
	assert.Equal(t, "M", res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL])

	back, err := ParseEPCPayload([]byte(res.GetText()))
	require.NoError(t, err)
	assert.Equal(t, "Franz Mustermänn", back.Name)
}

func TestEPCSVG(t *testing.T) {
	q, err := mustermann(t).QR()
	require.NoError(t, err)
	svg := q.SVG()
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	require.NoError(t, xml.Unmarshal(svg, &doc))
	side := q.Size + 8
	assert.Equal(t, fmt.Sprintf("0 0 %d %d", side, side), doc.ViewBox)
	// Every dark module is covered by exactly one run.
	dark := 0
	for y := 0; y < q.Size; y++ {
		for x := 0; x < q.Size; x++ {
			if q.Dark(x, y) {
				dark++
			}
		}
	}
	covered := 0
	for _, seg := range strings.Split(doc.Path.D, "z")[:strings.Count(doc.Path.D, "z")] {
		var x, y, w, w2 int
		_, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2)
		require.NoError(t, err, seg)
		for i := 0; i < w; i++ {
			assert.True(t, q.Dark(x-4+i, y-4))
		}
		covered += w
	}
	assert.Equal(t, dark, covered)
}

func FuzzParseEPCPayload(f *testing.F) {
	p, _ := mustermann(f).Payload()
	f.Add(p)
	f.Add([]byte("BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross\nBE72000000001616\nEUR1"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, p []byte) {
		c, err := ParseEPCPayload(p)
		if err != nil {
			return
		}
		// Whatever parses can be written again, and reads back the same.
		out, err := c.Payload()
		require.NoError(t, err)
		again, err := ParseEPCPayload(out)
		require.NoError(t, err)
		assert.Equal(t, c.Name, again.Name)
		assert.True(t, c.Amount.Equal(again.Amount))
		assert.Equal(t, c.Reference.Key(), again.Reference.Key())
	})
}

func BenchmarkEPCPayload(b *testing.B) {
	c := mustermann(b)
	buf := make([]byte, 0, 400)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = c.AppendPayload(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEPCPNG(b *testing.B) {
	c := mustermann(b)
	b.ReportAllocs()
	for b.Loop() {
		q, err := c.QR()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := q.PNG(4); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEPCQRLargestPayloadDecodes(t *testing.T) {
	c := EPCCode{
		BIC:         mustBIC(t, "GKCCBEBB"),
		Name:        strings.Repeat("é", 35) + strings.Repeat("x", 35), // 105 bytes
		IBAN:        mustIBAN(t, "BE68539007547034"),
		Amount:      decimal.RequireFromString("999999999.99"),
		Purpose:     "GOVT",
		Text:        strings.Repeat("Retributie ", 12) + "ééééé", // 137 characters
		Information: "Gemeente",
	}
	p, err := c.Payload()
	require.NoError(t, err)
	require.LessOrEqual(t, len(p), EPCMaxPayload)
	require.Greater(t, len(p), 300)
	q, err := c.QR()
	require.NoError(t, err)
	assert.LessOrEqual(t, q.Size, 69, "EPC069-12 allows QR version 13 (69 modules) at most")
	img, err := q.PNG(3)
	require.NoError(t, err)
	res := decodePNG(t, img)
	assert.Equal(t, string(p), res.GetText())
	assert.Equal(t, "M", res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL])
}

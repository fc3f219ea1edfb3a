package payment

import (
	"encoding/xml"
	"fmt"
	"io"
)

// The bounds of a camt.053 file. Real statements nest about 12 levels deep,
// a transaction detail takes a few kilobytes, and a 20 MB upload holds
// some thousands of transactions and under a million elements; these
// bounds leave room for that and keep the reader's memory bounded for any
// input (a peak under 64 MiB of heap, garbage included, for every file of
// TestCamt053HostileFilesStayFlat): the decoder's stack cannot outgrow
// maxCamtDepth; nothing decoded whole (a transaction detail, an entry's
// amount or date) outgrows maxCamtDecode; an entry, whose lines are held
// until their sum is checked, holds at most maxCamtTransactions of them
// in at most maxCamtEntry bytes; and maxCamtElements bounds the time spent
// on a file. Every single token (a text, a comment, a directive, an
// element's name and attributes) is held whole by the decoder, so none may
// take more than maxCamtToken bytes of input, nor an element more than
// maxCamtAttrs attributes (the schema gives at most one, Ccy, plus
// namespace declarations).
const (
	maxCamtToken        = 1 << 20
	maxCamtAttrs        = 16
	maxCamtDepth        = 64
	maxCamtDecode       = 1 << 20
	maxCamtEntry        = 24 << 20
	maxCamtTransactions = 20_000
	maxCamtElements     = 3_000_000
)

// camtLimiter hands the decoder the raw tokens of r and stops at the
// bounds above, before the decoder can build anything for them.
type camtLimiter struct {
	raw         *xml.Decoder
	cr          *countingReader
	depth       int
	elements    int
	decodeStart int64 // byte offset where the element being decoded whole began; -1 outside
}

// newCamtDecoder returns a decoder of r behind a camtLimiter.
func newCamtDecoder(r io.Reader) (*xml.Decoder, *camtLimiter) {
	cr := &countingReader{r: r}
	lim := &camtLimiter{raw: xml.NewDecoder(cr), cr: cr, decodeStart: -1}
	return xml.NewTokenDecoder(lim), lim
}

// Token returns the next raw token, or an error past a bound.
func (l *camtLimiter) Token() (xml.Token, error) {
	l.cr.mark = l.cr.n
	t, err := l.raw.RawToken()
	if err != nil {
		return t, err
	}
	switch t := t.(type) {
	case xml.StartElement:
		if len(t.Attr) > maxCamtAttrs {
			return nil, fmt.Errorf("element %s has more than %d attributes", t.Name.Local, maxCamtAttrs)
		}
		l.depth++
		l.elements++
		if l.depth > maxCamtDepth {
			return nil, fmt.Errorf("elements nest deeper than %d levels", maxCamtDepth)
		}
		if l.elements > maxCamtElements {
			return nil, fmt.Errorf("more than %d elements", maxCamtElements)
		}
	case xml.EndElement:
		l.depth--
	}
	if l.decodeStart >= 0 && l.cr.n-l.decodeStart > maxCamtDecode {
		return nil, fmt.Errorf("an element is larger than %d bytes", maxCamtDecode)
	}
	return t, nil
}

// decode decodes the element that start opens into v, at most
// maxCamtDecode bytes of it.
func (l *camtLimiter) decode(d *xml.Decoder, v any, start *xml.StartElement) error {
	l.decodeStart = l.cr.n
	defer func() { l.decodeStart = -1 }()
	return d.DecodeElement(v, start)
}

// offset is how far the input was read, for error messages.
func (l *camtLimiter) offset() int64 { return l.raw.InputOffset() }

// countingReader counts the bytes read from r and fails once more than
// maxCamtToken of them were read since mark, the end of the last token:
// the decoder, which builds a token whole before returning it, never
// holds more of one.
type countingReader struct {
	r       io.Reader
	n, mark int64
}

// errCamtToken is the error the decoder returns for a token too large.
var errCamtToken = fmt.Errorf("a single text, name, comment or tag is larger than %d bytes", maxCamtToken)

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n-c.mark > maxCamtToken {
		return 0, errCamtToken
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

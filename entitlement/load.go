package entitlement

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ParsePolicy reads a policy from a JSON document and compiles it, so a
// policy officer can change a parameter without a release. Every error
// names the field by its JSON path and the line it is on.
func ParsePolicy(data []byte) (Policy, *Ruleset, error) {
	idx, err := indexJSON(data)
	if err != nil {
		return Policy{}, nil, err
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, nil, idx.decodeError(err)
	}
	rs, err := Compile(p)
	if err != nil {
		return Policy{}, nil, idx.annotate(err)
	}
	return p, rs, nil
}

// LoadPolicy is ParsePolicy reading from r.
func LoadPolicy(r io.Reader) (Policy, *Ruleset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Policy{}, nil, err
	}
	return ParsePolicy(data)
}

// jsonIndex maps each JSON path in a document to the line it starts on.
type jsonIndex struct {
	data  []byte
	lines map[string]int
	paths []string
	yaml  bool // lines come from a YAML document, not from data
	// visited counts YAML nodes walked, aliases included.
	visited int
}

func (ix *jsonIndex) line(off int64) int {
	if off > int64(len(ix.data)) {
		off = int64(len(ix.data))
	}
	return bytes.Count(ix.data[:off], []byte("\n")) + 1
}

func indexJSON(data []byte) (*jsonIndex, error) {
	ix := &jsonIndex{data: data, lines: map[string]int{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := ix.value(dec, ""); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, errs.Invalid("", "syntax", "line %d: %v", ix.line(se.Offset), se)
		}
		return nil, errs.Invalid("", "syntax", "line %d: %v", ix.line(dec.InputOffset()), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.Invalid("", "syntax", "line %d: unexpected data after the document", ix.line(dec.InputOffset()))
	}
	return ix, nil
}

func (ix *jsonIndex) value(dec *json.Decoder, path string) error {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	// InputOffset before the token may point at separating whitespace;
	// skip it so the line is that of the value itself.
	for start < int64(len(ix.data)) && strings.ContainsRune(" \t\r\n:,", rune(ix.data[start])) {
		start++
	}
	if path != "" {
		ix.lines[path] = ix.line(start)
		ix.paths = append(ix.paths, path)
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			child := key
			if path != "" {
				child = path + "." + key
			}
			if err := ix.value(dec, child); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := ix.value(dec, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

// annotate prefixes every field error with the line of its field (or of
// the nearest enclosing field the document has).
func (ix *jsonIndex) annotate(err error) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &ValidationError{Fields: make([]errs.FieldError, len(ve.Fields))}
	for i, f := range ve.Fields {
		if l, ok := ix.lookup(f.Field); ok {
			f.Param = strconv.Itoa(l)
			f.Message = fmt.Sprintf("line %d: %s", l, f.Message)
		}
		out.Fields[i] = f
	}
	return out
}

func (ix *jsonIndex) lookup(path string) (int, bool) {
	for p := path; p != ""; {
		if l, ok := ix.lines[p]; ok {
			return l, true
		}
		cut := strings.LastIndexAny(p, ".[")
		if cut < 0 {
			break
		}
		p = p[:cut]
	}
	return 0, false
}

func (ix *jsonIndex) decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line := ix.line(te.Offset)
		if ix.yaml {
			line, _ = ix.lineOfField(te.Field)
		}
		return errs.Invalid(te.Field, "type", "line %d: %s must be a %s, not %s", line, te.Field, te.Type, te.Value)
	}
	msg := err.Error()
	if i := strings.Index(msg, "unknown field "); i >= 0 {
		name, _ := strconv.Unquote(msg[i+len("unknown field "):])
		var hits []string
		for _, p := range ix.paths {
			if p == name || strings.HasSuffix(p, "."+name) {
				hits = append(hits, p)
			}
		}
		sort.SliceStable(hits, func(a, b int) bool { return ix.lines[hits[a]] < ix.lines[hits[b]] })
		if len(hits) > 0 {
			return errs.Invalid(hits[0], "unknown", "line %d: unknown field %q", ix.lines[hits[0]], name)
		}
		return errs.Invalid(name, "unknown", "unknown field %q", name)
	}
	return errs.Invalid("", "decode", "%v", err)
}

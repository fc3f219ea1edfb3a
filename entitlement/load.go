package entitlement

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ParsePolicy reads a policy from a JSON document and compiles it, so a
// policy officer can change a parameter without a release. A rule file is
// input like any other: it must be UTF-8 (the first bad byte is reported
// with its line, never replaced), it may nest at most 256 levels, each key
// appears once per object and matches a field exactly, and every error
// names the field by its JSON path and the line it is on (the first 100
// errors, then "… and N more"). Time and memory grow linearly with the
// size of the document.
func ParsePolicy(data []byte) (Policy, *Ruleset, error) {
	if err := checkUTF8(data); err != nil {
		return Policy{}, nil, err
	}
	lines := newLineCounter(data)
	if off, ok := jsonDepthWithin(data, maxDocDepth); !ok {
		return Policy{}, nil, errs.Invalid("", "depth", "line %d: the document nests deeper than %d levels", lines.at(int64(off)), maxDocDepth)
	}
	ix, err := indexJSON(data, lines)
	if err != nil {
		return Policy{}, nil, err
	}
	if err := ix.check(reflect.TypeFor[Policy]()); err != nil {
		return Policy{}, nil, err
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, nil, decodeError(err, lines)
	}
	rs, err := Compile(p)
	if err != nil {
		return Policy{}, nil, ix.annotate(err)
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

// jsonDepthWithin reports whether no array or object of data nests deeper
// than limit and, if one does, the offset of its opening bracket. It reads
// the bytes once, before any parser recurses.
func jsonDepthWithin(data []byte, limit int) (int, bool) {
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth > limit {
				return i, false
			}
		case ']', '}':
			depth--
		}
	}
	return 0, true
}

// jsonIndexer reads a JSON document token by token into a docIndex.
type jsonIndexer struct {
	data  []byte
	lines *lineCounter
	dec   *json.Decoder
	ix    *docIndex
}

func indexJSON(data []byte, lines *lineCounter) (*docIndex, error) {
	j := &jsonIndexer{data: data, lines: lines, dec: json.NewDecoder(bytes.NewReader(data)), ix: newDocIndex()}
	j.dec.UseNumber()
	if err := j.value(-1, -1, "", 0); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, err
		}
		return nil, decodeError(err, lines)
	}
	if _, err := j.dec.Token(); err != io.EOF {
		return nil, errs.Invalid("", "syntax", "line %d: unexpected data after the document", lines.at(j.dec.InputOffset()))
	}
	return j.ix, nil
}

// start returns the offset of the next token: InputOffset may point at the
// separating whitespace, colon or comma before it.
func (j *jsonIndexer) start() int64 {
	off := j.dec.InputOffset()
	for off < int64(len(j.data)) {
		switch j.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

// value indexes one value under parent; line is the line of its key, or 0.
func (j *jsonIndexer) value(parent int32, index int, key string, line int) error {
	off := j.start()
	tok, err := j.dec.Token()
	if err != nil {
		return err
	}
	if line == 0 {
		line = j.lines.at(off)
	}
	kind, val := docNull, ""
	switch t := tok.(type) {
	case json.Delim:
		kind = docObject
		if t == '[' {
			kind = docArray
		}
	case string:
		kind, val = docString, t
	case json.Number:
		kind, val = docNumber, string(t)
	case bool:
		kind = docBool
	}
	n, err := j.ix.add(parent, index, key, line, kind, val)
	if err != nil {
		return err
	}
	switch kind {
	case docObject:
		for j.dec.More() {
			keyLine := j.lines.at(j.start())
			k, err := j.dec.Token()
			if err != nil {
				return err
			}
			name, _ := k.(string)
			if err := j.value(n, -1, name, keyLine); err != nil {
				return err
			}
		}
		_, err = j.dec.Token()
	case docArray:
		for i := 0; j.dec.More(); i++ {
			if err := j.value(n, i, "", 0); err != nil {
				return err
			}
		}
		_, err = j.dec.Token()
	}
	return err
}

// decodeError gives a decoder's error the line it happened on.
func decodeError(err error, lines *lineCounter) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errs.Invalid("", "syntax", "line %d: %v", lines.at(se.Offset), se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errs.Invalid(te.Field, "type", "line %d: %s must be a %s, not %s", lines.at(te.Offset), te.Field, te.Type, te.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errs.Invalid("", "syntax", "line %d: the document ends too early", lines.at(int64(len(lines.data))))
	}
	return errs.Invalid("", "decode", "%v", err)
}

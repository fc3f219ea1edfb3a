package entitlement

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// maxDocDepth bounds how deeply a rule document may nest. A policy needs
// four levels plus two per level of all/any (one per not or some_member),
// so this leaves room for conditions far deeper than maxConditionDepth,
// which Compile then refuses by path and line.
const maxDocDepth = 256

// docKind is the JSON type of a document value.
type docKind uint8

const (
	docNull docKind = iota
	docObject
	docArray
	docString
	docNumber
	docBool
)

var docKindNames = [...]string{"null", "an object", "a list", "text", "a number", "true or false"}

// docNode is one value of a rule document (JSON or YAML): where it is and
// under which key or index of its parent. A node's path is not stored: it
// is rebuilt from its parents only for a node an error names, so memory
// stays linear in the size of the document whatever its depth.
type docNode struct {
	parent int32 // -1 for the root
	index  int32 // position in the parent list, -1 under an object
	line   int32 // line of the key for an object member, else of the value
	kind   docKind
	key    string
	val    string // scalars only, as written
}

type childKey struct {
	parent int32
	index  int32
	key    string
}

// docIndex maps a rule document's values to their lines, in document order.
type docIndex struct {
	nodes    []docNode
	children map[childKey]int32
}

func newDocIndex() *docIndex { return &docIndex{children: map[childKey]int32{}} }

// add appends a node under parent (under key for an object, at index for a
// list) and refuses a key its object already has, naming both lines.
func (ix *docIndex) add(parent int32, index int, key string, line int, kind docKind, val string) (int32, error) {
	n := int32(len(ix.nodes))
	if parent >= 0 {
		k := childKey{parent: parent, index: int32(index), key: key}
		if first, dup := ix.children[k]; dup {
			return -1, errs.Invalid(ix.path(first), "unique", "line %d: key %q appears twice in one object (first on line %d); remove one",
				line, key, ix.nodes[first].line)
		}
		ix.children[k] = n
	}
	ix.nodes = append(ix.nodes, docNode{parent: parent, index: int32(index), line: int32(line), kind: kind, key: key, val: val})
	return n, nil
}

// path rebuilds the JSON path of node i, as Compile names fields.
func (ix *docIndex) path(i int32) string {
	var parts []string
	for ; i >= 0 && ix.nodes[i].parent >= 0; i = ix.nodes[i].parent {
		n := &ix.nodes[i]
		if n.index >= 0 {
			parts = append(parts, "["+strconv.Itoa(int(n.index))+"]")
		} else {
			parts = append(parts, "."+n.key)
		}
	}
	var b strings.Builder
	for j := len(parts) - 1; j >= 0; j-- {
		b.WriteString(parts[j])
	}
	return strings.TrimPrefix(b.String(), ".")
}

// find returns the node at path, or the nearest enclosing node the
// document has, and whether any was found.
func (ix *docIndex) find(path string) (int32, bool) {
	if len(ix.nodes) == 0 {
		return 0, false
	}
	cur, found := int32(0), false
	for rest := path; rest != ""; {
		var k childKey
		if rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				break
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil {
				break
			}
			k, rest = childKey{parent: cur, index: int32(i)}, rest[end+1:]
		} else {
			rest = strings.TrimPrefix(rest, ".")
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			k, rest = childKey{parent: cur, index: -1, key: rest[:end]}, rest[end:]
		}
		next, ok := ix.children[k]
		if !ok {
			break
		}
		cur, found = next, true
	}
	return cur, found
}

// maxFileErrors bounds the errors reported for one rule file: a file with
// thousands of bad values gets the first ones and a count of the rest, not
// a message of megabytes.
const maxFileErrors = 100

// annotate prefixes every field error with the line of its field (or of
// the nearest enclosing field the document has). It keeps the first
// maxFileErrors and ends with "… and N more" (rule "more") when there are
// more.
func (ix *docIndex) annotate(err error) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	fields := ve.Fields
	more := len(fields) - maxFileErrors
	if more > 0 {
		fields = fields[:maxFileErrors]
	}
	out := &ValidationError{Fields: make([]errs.FieldError, len(fields), len(fields)+1)}
	for i, f := range fields {
		if n, ok := ix.find(f.Field); ok {
			l := int(ix.nodes[n].line)
			f.Param = strconv.Itoa(l)
			f.Message = fmt.Sprintf("line %d: %s", l, f.Message)
		}
		out.Fields[i] = f
	}
	if more > 0 {
		out.Fields = append(out.Fields, errs.FieldError{Rule: "more", Param: strconv.Itoa(more), Message: fmt.Sprintf("… and %d more", more)})
	}
	return out
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// check walks the document against the Go type it must decode into, in
// document order, and returns the first value that cannot be decoded: a key
// the type does not have (matched exactly, where encoding/json would ignore
// case), a value of the wrong JSON type, or text its type refuses (an
// impossible date, ...). Each node's type follows from its parent's, so the
// walk is one pass with no recursion.
func (ix *docIndex) check(root reflect.Type) error {
	types := make([]reflect.Type, len(ix.nodes))
	for i := range ix.nodes {
		n := &ix.nodes[i]
		var t reflect.Type
		if n.parent < 0 {
			t = root
		} else if pt := types[n.parent]; pt != nil {
			var err error
			if t, err = ix.childType(int32(i), pt); err != nil {
				return err
			}
		}
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil || n.kind == docNull || t.Kind() == reflect.Interface {
			continue
		}
		if err := ix.checkValue(int32(i), t); err != nil {
			return err
		}
		types[i] = t
	}
	return nil
}

func (ix *docIndex) childType(i int32, pt reflect.Type) (reflect.Type, error) {
	n := &ix.nodes[i]
	switch pt.Kind() {
	case reflect.Slice, reflect.Array:
		return pt.Elem(), nil
	case reflect.Map:
		return pt.Elem(), nil
	case reflect.Struct:
		if f, ok := jsonField(pt, n.key); ok {
			return f.Type, nil
		}
		return nil, errs.Invalid(ix.path(i), "unknown", "line %d: unknown field %q", n.line, n.key)
	}
	return nil, nil
}

func (ix *docIndex) checkValue(i int32, t reflect.Type) error {
	n := &ix.nodes[i]
	want := docString
	switch {
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		if n.kind == docString {
			v := reflect.New(t).Interface().(encoding.TextUnmarshaler)
			if err := v.UnmarshalText([]byte(n.val)); err != nil {
				return errs.Invalid(ix.path(i), "format", "line %d: %v", n.line, err)
			}
			return nil
		}
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		want = docObject
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		want = docArray
	case t.Kind() == reflect.Bool:
		want = docBool
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		if n.kind == docNumber {
			if _, err := strconv.ParseInt(n.val, 10, t.Bits()); err != nil {
				return errs.Invalid(ix.path(i), "type", "line %d: %s must be a whole number, not %s", n.line, ix.path(i), n.val)
			}
			return nil
		}
		want = docNumber
	case t.Kind() == reflect.String:
		want = docString
	default:
		return nil
	}
	if n.kind != want {
		name := ix.path(i)
		if name == "" {
			name = "the document"
		}
		return errs.Invalid(ix.path(i), "type", "line %d: %s must be %s, not %s", n.line, name, docKindNames[want], docKindNames[n.kind])
	}
	return nil
}

// jsonField returns the field of struct type t whose JSON name is key.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

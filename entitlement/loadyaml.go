package entitlement

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ParsePolicyYAML reads a policy written in YAML, the same document as the
// JSON form with YAML syntax, which policy officers often find easier to
// edit. The limits of ParsePolicy apply; anchors and aliases may repeat a
// part of the document, but an alias inside the value it names is refused,
// and so is a document that aliases would expand beyond 65,536 values.
// Errors name the field by its path and the line in the YAML; an unknown
// key is reported on the key's line. The bytes are checked before the YAML
// library reads them (UTF-8, and the nesting of brackets and indentation),
// so those errors carry their line too.
func ParsePolicyYAML(data []byte) (Policy, *Ruleset, error) {
	if err := checkUTF8(data); err != nil {
		return Policy{}, nil, err
	}
	if line, ok := yamlDepthWithin(data, maxDocDepth); !ok {
		return Policy{}, nil, errs.Invalid("", "depth", "line %d: the document nests deeper than %d levels", line, maxDocDepth)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Policy{}, nil, yamlError(err)
	}
	if len(root.Content) == 0 {
		return Policy{}, nil, errs.Invalid("", "required", "the document is empty")
	}
	if n := yamlTooDeep(root.Content[0], maxDocDepth); n != nil {
		return Policy{}, nil, errs.Invalid("", "depth", "line %d: the document nests deeper than %d levels", n.Line, maxDocDepth)
	}
	y := &yamlReader{ix: newDocIndex(), expanding: map[*yaml.Node]bool{}}
	v, err := y.value(root.Content[0], -1, -1, "", 0, 1)
	if err != nil {
		return Policy{}, nil, err
	}
	if err := y.ix.check(reflect.TypeFor[Policy]()); err != nil {
		return Policy{}, nil, err
	}
	js, err := json.Marshal(v)
	if err != nil {
		return Policy{}, nil, errs.Invalid("", "yaml", "%v", err)
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, nil, errs.Invalid("", "decode", "%v", err)
	}
	rs, err := Compile(p)
	if err != nil {
		return Policy{}, nil, y.ix.annotate(err)
	}
	return p, rs, nil
}

// yamlLine finds the line the YAML library names in its messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError puts the line a YAML library error names (the library writes
// "yaml: line N: ...") in front of its message, as every rule-file error
// has it.
func yamlError(err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return errs.Invalid("", "syntax", "line %s: %s", m[1], m[2])
	}
	return errs.Invalid("", "yaml", "%v", err)
}

// yamlTooDeep returns the first node nested deeper than limit, not
// following aliases, or nil. It walks with an explicit stack, so a deep
// document costs no deep recursion.
func yamlTooDeep(root *yaml.Node, limit int) *yaml.Node {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{root, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > limit {
			return it.n
		}
		for _, c := range it.n.Content {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return nil
}

// Only these fields of a policy are not text; every other scalar is kept as
// written, so "value: 25000.00" stays the literal "25000.00".
var yamlNonText = map[string]bool{"notice_days": true, "example": true}

// yamlAliasBudget bounds the values aliases may add to a document, so a
// few bytes of anchors cannot expand into an enormous one ("billion laughs").
const yamlAliasBudget = 1 << 16

// yamlReader turns a YAML node tree into plain values for the JSON decoder
// and indexes it as it goes.
type yamlReader struct {
	ix        *docIndex
	expanding map[*yaml.Node]bool // anchors whose value is being expanded
	expanded  int                 // values added by aliases
}

// value converts n, found under parent at index or key (whose line is
// keyLine, or 0), at the given nesting depth.
func (y *yamlReader) value(n *yaml.Node, parent int32, index int, key string, keyLine, depth int) (any, error) {
	if depth > maxDocDepth {
		return nil, errs.Invalid(y.ix.path(parent), "depth", "line %d: the document nests deeper than %d levels once aliases are expanded", n.Line, maxDocDepth)
	}
	if len(y.expanding) > 0 {
		if y.expanded++; y.expanded > yamlAliasBudget {
			return nil, errs.Invalid(y.ix.path(parent), "size", "line %d: the document is too large once aliases are expanded (more than %d values added)", n.Line, yamlAliasBudget)
		}
	}
	if n.Kind == yaml.AliasNode {
		if y.expanding[n.Alias] {
			return nil, errs.Invalid(y.ix.path(parent), "alias", "line %d: alias *%s is inside the value it names", n.Line, n.Value)
		}
		y.expanding[n.Alias] = true
		defer delete(y.expanding, n.Alias)
		if keyLine == 0 {
			keyLine = n.Line
		}
		return y.value(n.Alias, parent, index, key, keyLine, depth)
	}
	line := keyLine
	if line == 0 {
		line = n.Line
	}
	var v any
	kind := docString
	switch {
	case n.Kind == yaml.MappingNode:
		kind = docObject
	case n.Kind == yaml.SequenceNode:
		kind = docArray
	case n.Tag == "!!null":
		kind = docNull
	case yamlNonText[key]:
		if b, err := strconv.ParseBool(n.Value); err == nil && key == "example" {
			kind, v = docBool, b
		} else if _, err := strconv.Atoi(n.Value); err == nil && key == "notice_days" {
			kind, v = docNumber, json.Number(n.Value)
		}
	}
	if kind == docString {
		v = n.Value
	}
	self, err := y.ix.add(parent, index, key, line, kind, n.Value)
	if err != nil {
		return nil, err
	}
	switch kind {
	case docObject:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			c, err := y.value(n.Content[i+1], self, -1, k.Value, k.Line, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = c
		}
		return m, nil
	case docArray:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			if out[i], err = y.value(c, self, i, "", 0, depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

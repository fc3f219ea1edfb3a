package entitlement

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ParsePolicyYAML reads a policy written in YAML, the same document as the
// JSON form with YAML syntax, which policy officers often find easier to
// edit. Errors name the field by its path and the line in the YAML.
func ParsePolicyYAML(data []byte) (Policy, *Ruleset, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Policy{}, nil, errs.Invalid("", "yaml", "%v", err)
	}
	if len(root.Content) == 0 {
		return Policy{}, nil, errs.Invalid("", "required", "the document is empty")
	}
	ix := &jsonIndex{lines: map[string]int{}, yaml: true}
	v, err := ix.yamlValue(root.Content[0], "")
	if err != nil {
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
		return Policy{}, nil, ix.decodeError(err)
	}
	rs, err := Compile(p)
	if err != nil {
		return Policy{}, nil, ix.annotate(err)
	}
	return p, rs, nil
}

// Only these fields of a policy are not text; every other scalar is kept as
// written, so "value: 25000.00" stays the literal "25000.00".
var yamlNonText = map[string]bool{"notice_days": true, "example": true}

// yamlBudget bounds the nodes visited, so aliases cannot expand a small
// document into an enormous one.
const yamlBudget = 1 << 17

func (ix *jsonIndex) yamlValue(n *yaml.Node, path string) (any, error) {
	ix.visited++
	if ix.visited > yamlBudget {
		return nil, errs.Invalid(path, "size", "line %d: the document is too large once aliases are expanded", n.Line)
	}
	if path != "" {
		ix.lines[path] = n.Line
		ix.paths = append(ix.paths, path)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return ix.yamlValue(n.Alias, path)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			child := k
			if path != "" {
				child = path + "." + k
			}
			ix.lines[child] = n.Content[i].Line
			v, err := ix.yamlValue(n.Content[i+1], child)
			if err != nil {
				return nil, err
			}
			if yamlNonText[k] {
				if s, ok := v.(string); ok {
					if b, err := strconv.ParseBool(s); err == nil && k == "example" {
						v = b
					} else if i, err := strconv.Atoi(s); err == nil && k == "notice_days" {
						v = i
					}
				}
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := ix.yamlValue(c, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	if n.Tag == "!!null" {
		return nil, nil
	}
	return n.Value, nil
}

var indexPart = regexp.MustCompile(`\[\d+\]`)

// lineOfField finds the line of a decoder's field path, which has no indices.
func (ix *jsonIndex) lineOfField(field string) (int, bool) {
	for _, p := range ix.paths {
		if indexPart.ReplaceAllString(p, "") == field {
			return ix.lines[p], true
		}
	}
	return 0, false
}

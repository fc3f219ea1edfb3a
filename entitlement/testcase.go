package entitlement

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Case is one test case a policy officer writes ("testgeval"), in the
// spirit of OpenFisca's YAML tests: the facts of a subject in, the expected
// outcome out. In YAML:
//
//   - name: Single parent with the increased allowance
//     benefit: uitpas-kansentarief
//     date: 2026-03-01
//     person:
//     resident: true
//     increased_allowance: true
//     household:
//     household_income: 18000.00
//     members:
//   - increased_allowance: false
//     expect: eligible        # eligible, not_eligible or unknown
//     missing: [household_income]   # optional: the facts an unknown outcome lacks
//
// A fact left out is unknown, as it would be in real data.
type Case struct {
	Name      string              `yaml:"name"`
	Benefit   string              `yaml:"benefit"`
	Date      string              `yaml:"date"`
	Person    map[string]string   `yaml:"person"`
	Household map[string]string   `yaml:"household"`
	Members   []map[string]string `yaml:"members"`
	Expect    string              `yaml:"expect"`
	Missing   []string            `yaml:"missing"`
	Line      int                 `yaml:"-"`
	node      *yaml.Node
}

// ParseCases reads a YAML list of cases. Errors name the case, the field
// and the line.
func ParseCases(data []byte) ([]Case, error) {
	var cases []Case
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cases); err != nil && !errors.Is(err, io.EOF) {
		return nil, errs.Invalid("", "yaml", "%v", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode {
		for i, n := range doc.Content[0].Content {
			if i < len(cases) {
				cases[i].Line, cases[i].node = n.Line, n
			}
		}
	}
	return cases, nil
}

// line returns the line of key in section of the case ("" for the case itself).
func (c *Case) line(section string, member int, key string) int {
	n := c.node
	if n == nil {
		return c.Line
	}
	find := func(m *yaml.Node, k string) *yaml.Node {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == k {
				return m.Content[i+1]
			}
		}
		return nil
	}
	s := find(n, section)
	if s != nil && member >= 0 && s.Kind == yaml.SequenceNode && member < len(s.Content) {
		s = s.Content[member]
	}
	if v := find(s, key); v != nil {
		return v.Line
	}
	if s != nil {
		return s.Line
	}
	return c.Line
}

// CaseResult is the outcome of running one case.
type CaseResult struct {
	Case   Case
	Result Result
	Passed bool
	// Problem says why the case failed, with the explanation, or why it could not run.
	Problem string
	Err     error
}

// Subject builds the case's subject for the rules' schema.
func (rs *Ruleset) caseSubject(c *Case, prefix string) (*Subject, error) {
	var col collector
	s := rs.schema.NewSubject(c.Name)
	p := Provenance{Source: "testcase"}
	set := func(section string, member int, f *Facts, facts map[string]string) {
		keys := make([]string, 0, len(facts))
		for k := range facts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			field := prefix + "." + section + "." + k
			if member >= 0 {
				field = fmt.Sprintf("%s.%s[%d].%s", prefix, section, member, k)
			}
			line := c.line(section, member, k)
			id, ok := rs.schema.ID(k)
			if !ok {
				col.add(field, "exists", "line %d: unknown fact %q", line, k)
				continue
			}
			def := rs.schema.Def(id)
			if (def.Scope == ScopeHousehold) != (section == "household") {
				col.add(field, "scope", "line %d: %q is a %s fact, it belongs under %s", line, k, scopeName(def.Scope), scopeSection(def.Scope))
				continue
			}
			_, raw, err := parseLiteral(def.Kind, facts[k], rs.schema.codes[id])
			if err != nil {
				col.add(field, "kind", "line %d: %v (%q is a %s)", line, err, k, def.Kind)
				continue
			}
			f.SetRaw(id, raw, &p)
		}
	}
	set("person", -1, &s.Person, c.Person)
	set("household", -1, &s.Household, c.Household)
	for i, m := range c.Members {
		set("members", i, s.AddMember(), m)
	}
	return s, col.err()
}

func scopeName(s Scope) string {
	if s == ScopeHousehold {
		return "household"
	}
	return "person"
}

func scopeSection(s Scope) string {
	if s == ScopeHousehold {
		return "household"
	}
	return "person or members"
}

// RunCase runs one case against the rules.
func (rs *Ruleset) RunCase(c Case) CaseResult {
	r := CaseResult{Case: c}
	prefix := fmt.Sprintf("case %q (line %d)", c.Name, c.Line)
	var col collector
	date, err := calendar.ParseDate(c.Date)
	if err != nil {
		col.add(prefix+".date", "date", "line %d: %v", c.line("date", -1, ""), err)
	}
	var want Outcome
	if err := want.UnmarshalText([]byte(c.Expect)); err != nil {
		col.add(prefix+".expect", "oneof", "line %d: %v", c.line("expect", -1, ""), err)
	}
	if _, ok := rs.Benefit(c.Benefit); !ok {
		col.add(prefix+".benefit", "exists", "line %d: unknown benefit %q", c.line("benefit", -1, ""), c.Benefit)
	}
	s, err := rs.caseSubject(&c, prefix)
	col.Merge("", err)
	if r.Err = col.err(); r.Err != nil {
		r.Problem = r.Err.Error()
		return r
	}
	res, err := rs.Evaluate(s, c.Benefit, date)
	if err != nil {
		r.Err, r.Problem = err, err.Error()
		return r
	}
	r.Result = res
	r.Passed = res.Outcome == want
	if r.Passed && c.Missing != nil {
		r.Passed = slices.Equal(slices.Sorted(slices.Values(c.Missing)), slices.Sorted(slices.Values(res.Missing)))
	}
	if !r.Passed {
		r.Problem = fmt.Sprintf("%s: expected %s (missing %v), got %s (missing %v)\n%s",
			prefix, c.Expect, c.Missing, res.Outcome, res.Missing, res.Text(English))
	}
	return r
}

// RunCases runs every case and returns a summary line and the results.
func (rs *Ruleset) RunCases(cases []Case) (string, []CaseResult) {
	out := make([]CaseResult, len(cases))
	passed := 0
	var failed []string
	for i, c := range cases {
		out[i] = rs.RunCase(c)
		if out[i].Passed {
			passed++
		} else {
			failed = append(failed, c.Name)
		}
	}
	sum := fmt.Sprintf("%d of %d cases passed", passed, len(cases))
	if len(failed) > 0 {
		sum += "; failed: " + strings.Join(failed, ", ")
	}
	return sum, out
}

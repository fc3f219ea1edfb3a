package casefile

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Label is a citizen-facing text in Dutch and English.
type Label struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// In returns the label in lang ("nl" or "en"); Dutch is the default.
func (l Label) In(lang string) string {
	if lang == "en" && l.EN != "" {
		return l.EN
	}
	return l.NL
}

// Role is what an actor acts as; transitions name the roles that may take them.
type Role string

// The roles the ready case types use. A municipality may declare its own.
const (
	RoleCitizen    Role = "citizen"    // the requester ("melder")
	RoleClerk      Role = "clerk"      // front office ("onthaal")
	RoleHandler    Role = "handler"    // a member of the team that works the case ("behandelaar")
	RoleSupervisor Role = "supervisor" // team lead ("teamverantwoordelijke")
	RoleSystem     Role = "system"     // the engine itself, e.g. when a merged case follows its parent
)

// Guard names a condition a transition needs besides its from-status.
// Guards are data so a case type can be loaded from JSON.
type Guard string

// The guards the engine knows.
const (
	GuardNone           Guard = ""
	GuardResultRecorded Guard = "result_recorded" // a result is given with the transition
	GuardAssigned       Guard = "assigned"        // the case has an assignee
)

func (g Guard) known() bool {
	return g == GuardNone || g == GuardResultRecorded || g == GuardAssigned
}

// Status is a status type ("statustype") of a case type.
type Status struct {
	Code     string `json:"code"`
	Label    Label  `json:"label"`
	Terminal bool   `json:"terminal"`
	// Waiting marks a status in which the municipality waits for the
	// citizen; where the case type says so, the deadline clock stops.
	Waiting bool `json:"waiting,omitempty"`
}

// Transition is an allowed step between statuses.
type Transition struct {
	Name  string   `json:"name"`
	From  []string `json:"from"`
	To    string   `json:"to"`
	Roles []Role   `json:"roles"`
	Guard Guard    `json:"guard,omitempty"`
	// RequireMessage makes the transition take a public message for the
	// citizen, written by whoever takes it (see CaseType.StartingText).
	RequireMessage bool `json:"require_message,omitempty"`
}

// Subcategory refines a category; a zero Deadline inherits the category's.
type Subcategory struct {
	Code     string            `json:"code"`
	Label    Label             `json:"label"`
	Deadline calendar.Deadline `json:"deadline,omitzero"`
}

// Category groups reports ("hoofdcategorie") and sets the handling deadline
// ("behandeltermijn").
type Category struct {
	Code          string            `json:"code"`
	Label         Label             `json:"label"`
	Deadline      calendar.Deadline `json:"deadline"`
	Subcategories []Subcategory     `json:"subcategories,omitempty"`
	// Attributes are the extra questions asked when a case of the
	// category (or one of its sub-categories) is filed ("extra vragen").
	Attributes []Attribute `json:"attributes,omitempty"`
}

// Result is a possible outcome ("resultaattype") of a case.
type Result struct {
	Code  string `json:"code"`
	Label Label  `json:"label"`
}

// CaseType is a case type ("zaaktype") declared as data. Load it with
// LoadCaseType, which checks it and indexes it; a CaseType that did not come
// from LoadCaseType is refused by the service.
type CaseType struct {
	Code        string       `json:"code"`
	Label       Label        `json:"label"`
	Initial     string       `json:"initial"`
	Statuses    []Status     `json:"statuses"`
	Transitions []Transition `json:"transitions"`
	Categories  []Category   `json:"categories"`
	Results     []Result     `json:"results"`
	// SuspendWhileWaiting stops the deadline clock while the case is in a
	// Waiting status, and moves the due date by the time spent there.
	SuspendWhileWaiting bool `json:"suspend_while_waiting"`
	// BelgianLocation requires every case to have a location in Belgium.
	BelgianLocation bool `json:"belgian_location"`
	// Version numbers the definitions of one code: a case keeps the
	// version it was created with, a new version applies to new cases.
	Version int `json:"version,omitempty"`
	// Reopen says which closed cases may be reopened and for how long.
	Reopen ReopenPolicy `json:"reopen,omitzero"`
	// Satisfaction configures the questionnaire after closing.
	Satisfaction SatisfactionPolicy `json:"satisfaction,omitzero"`
	// Retention says how long closed cases are kept ("bewaartermijn").
	Retention RetentionPolicy `json:"retention,omitzero"`
	// Templates are the starting texts of the clerk's public messages.
	Templates []MessageTemplate `json:"templates,omitempty"`
	// Questions names the transitions that ask the reporter a question and
	// take their answer.
	Questions ReporterQuestions `json:"questions,omitzero"`

	statuses    map[string]int
	transitions map[string]int
	results     map[string]int
	loaded      bool
}

// ParseCaseType decodes a case type from JSON and loads it.
func ParseCaseType(data []byte) (*CaseType, error) {
	var ct CaseType
	if err := json.Unmarshal(data, &ct); err != nil {
		return nil, errs.Invalid("case_type", "json", "not a valid case type document: %v", err)
	}
	return LoadCaseType(ct)
}

// LoadCaseType checks a definition and returns it ready for use. The error
// is a *ValidationError naming every problem: duplicate or unknown
// statuses, transitions to or from an unknown status, statuses no
// transition reaches, the absence of a terminal status, unknown guards and
// categories without a deadline.
func LoadCaseType(ct CaseType) (*CaseType, error) {
	var c errs.Collector
	if ct.Code == "" {
		c.Add("code", "required", "a case type needs a code")
	}
	ct.statuses = make(map[string]int, len(ct.Statuses))
	terminal := false
	for i, s := range ct.Statuses {
		f := fmt.Sprintf("statuses[%d]", i)
		switch {
		case s.Code == "":
			c.Add(f+".code", "required", "a status needs a code")
		case hasKey(ct.statuses, s.Code):
			c.Add(f+".code", "unique", "status %q is declared twice", s.Code)
		}
		if s.Label.NL == "" || s.Label.EN == "" {
			c.Add(f+".label", "required", "status %q needs a Dutch and an English label", s.Code)
		}
		ct.statuses[s.Code] = i
		terminal = terminal || s.Terminal
	}
	if !terminal {
		c.Add("statuses", "terminal", "no status is terminal, so no case could ever be closed")
	}
	if _, ok := ct.statuses[ct.Initial]; !ok {
		c.Add("initial", "unknown_status", "initial status %q is not declared", ct.Initial)
	}
	ct.transitions = make(map[string]int, len(ct.Transitions))
	for i, t := range ct.Transitions {
		f := fmt.Sprintf("transitions[%d]", i)
		switch {
		case t.Name == "":
			c.Add(f+".name", "required", "a transition needs a name")
		case hasKey(ct.transitions, t.Name):
			c.Add(f+".name", "unique", "transition %q is declared twice", t.Name)
		}
		ct.transitions[t.Name] = i
		if _, ok := ct.statuses[t.To]; !ok {
			c.Add(f+".to", "unknown_status", "transition %q goes to unknown status %q", t.Name, t.To)
		}
		if len(t.From) == 0 {
			c.Add(f+".from", "required", "transition %q has no from-status", t.Name)
		}
		for _, from := range t.From {
			if _, ok := ct.statuses[from]; !ok {
				c.Add(f+".from", "unknown_status", "transition %q starts from unknown status %q", t.Name, from)
			} else if ct.Statuses[ct.statuses[from]].Terminal {
				c.Add(f+".from", "terminal", "transition %q leaves terminal status %q", t.Name, from)
			}
		}
		if len(t.Roles) == 0 {
			c.Add(f+".roles", "required", "transition %q names no role that may take it", t.Name)
		}
		if !t.Guard.known() {
			c.Add(f+".guard", "oneof", "transition %q has unknown guard %q", t.Name, t.Guard)
		}
		if t.Guard == GuardResultRecorded && len(ct.Results) == 0 {
			c.Add(f+".guard", "results", "transition %q needs a result but the case type declares none", t.Name)
		}
	}
	for _, s := range unreachable(&ct) {
		c.Add("statuses", "unreachable", "status %q cannot be reached from initial status %q", s, ct.Initial)
	}
	if len(ct.Categories) == 0 {
		c.Add("categories", "required", "a case type needs at least one category")
	}
	cats := map[string]bool{}
	for i, cat := range ct.Categories {
		f := fmt.Sprintf("categories[%d]", i)
		if cat.Code == "" || cats[cat.Code] {
			c.Add(f+".code", "unique", "category code %q is empty or declared twice", cat.Code)
		}
		cats[cat.Code] = true
		if cat.Deadline.Days <= 0 {
			c.Add(f+".deadline", "gt", "category %q needs a deadline of at least one day", cat.Code)
		}
		checkAttributeDecl(&c, f+".attributes", cat.Attributes)
		subs := map[string]bool{}
		for j, sub := range cat.Subcategories {
			if sub.Code == "" || subs[sub.Code] {
				c.Add(fmt.Sprintf("%s.subcategories[%d].code", f, j), "unique", "sub-category code %q is empty or declared twice in %q", sub.Code, cat.Code)
			}
			subs[sub.Code] = true
			if sub.Deadline.Days < 0 {
				c.Add(fmt.Sprintf("%s.subcategories[%d].deadline", f, j), "gte", "sub-category %q has a negative deadline", sub.Code)
			}
		}
	}
	ct.results = make(map[string]int, len(ct.Results))
	for i, r := range ct.Results {
		if r.Code == "" || hasKey(ct.results, r.Code) {
			c.Add(fmt.Sprintf("results[%d].code", i), "unique", "result code %q is empty or declared twice", r.Code)
		}
		ct.results[r.Code] = i
	}
	checkPolicies(&c, &ct)
	if err := c.Err(); err != nil {
		return nil, err
	}
	ct.loaded = true
	return &ct, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// unreachable lists the statuses no path of transitions reaches from the
// initial status, in declaration order.
func unreachable(ct *CaseType) []string {
	if _, ok := ct.statuses[ct.Initial]; !ok {
		return nil // reported as an unknown initial status already
	}
	seen := map[string]bool{ct.Initial: true}
	queue := []string{ct.Initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range ct.Transitions {
			if slices.Contains(t.From, s) && !seen[t.To] {
				seen[t.To] = true
				queue = append(queue, t.To)
			}
		}
	}
	var out []string
	for _, s := range ct.Statuses {
		if s.Code != "" && !seen[s.Code] {
			out = append(out, s.Code)
		}
	}
	return out
}

// Status returns the status type with code.
func (ct *CaseType) Status(code string) (Status, bool) {
	i, ok := ct.statuses[code]
	if !ok {
		return Status{}, false
	}
	return ct.Statuses[i], true
}

// Transition returns the transition with name.
func (ct *CaseType) Transition(name string) (Transition, bool) {
	i, ok := ct.transitions[name]
	if !ok {
		return Transition{}, false
	}
	return ct.Transitions[i], true
}

// Result returns the result type with code.
func (ct *CaseType) Result(code string) (Result, bool) {
	i, ok := ct.results[code]
	if !ok {
		return Result{}, false
	}
	return ct.Results[i], true
}

// Deadline returns the handling deadline of a category and sub-category;
// ok is false when the pair is not declared.
func (ct *CaseType) Deadline(category, subcategory string) (calendar.Deadline, bool) {
	for _, c := range ct.Categories {
		if c.Code != category {
			continue
		}
		if subcategory == "" {
			return c.Deadline, true
		}
		for _, s := range c.Subcategories {
			if s.Code == subcategory {
				if s.Deadline.Days > 0 {
					return s.Deadline, true
				}
				return c.Deadline, true
			}
		}
		return calendar.Deadline{}, false
	}
	return calendar.Deadline{}, false
}

// CanTake reports why a transition named name cannot be taken by role from
// status from with the given facts, or nil when it can. The errors wrap
// ErrInvalidTransition or ErrForbidden.
func (ct *CaseType) CanTake(name, from string, role Role, result string, assigned bool) (Transition, error) {
	t, ok := ct.Transition(name)
	if !ok {
		return t, fmt.Errorf("%w: case type %q has no transition %q", ErrInvalidTransition, ct.Code, name)
	}
	if !slices.Contains(t.From, from) {
		return t, fmt.Errorf("%w: transition %q is not allowed from status %q", ErrInvalidTransition, name, from)
	}
	if !slices.Contains(t.Roles, role) {
		return t, fmt.Errorf("%w: role %q may not take transition %q", ErrForbidden, role, name)
	}
	switch t.Guard {
	case GuardResultRecorded:
		if result == "" {
			return t, fmt.Errorf("%w: transition %q needs a result", ErrInvalidTransition, name)
		}
		if _, ok := ct.Result(result); !ok {
			return t, errs.Invalid("result", "oneof", "case type %q has no result %q", ct.Code, result)
		}
	case GuardAssigned:
		if !assigned {
			return t, fmt.Errorf("%w: transition %q needs an assignee", ErrInvalidTransition, name)
		}
	}
	return t, nil
}

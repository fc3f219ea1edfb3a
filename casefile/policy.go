package casefile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ReopenPolicy says which closed cases may be reopened ("heropenen").
// A clerk may reopen a case in one of the From statuses at any time; the
// reporter may do so ("niet opgelost") only within ReporterWithin of the
// closing. The zero policy allows no reopening.
type ReopenPolicy struct {
	// From are the terminal statuses a case may be reopened from.
	From []string `json:"from,omitempty"`
	// To is the status a reopened case enters; the initial status when empty.
	To string `json:"to,omitempty"`
	// ReporterWithin is how long after closing the reporter may reopen;
	// zero means the reporter may not.
	ReporterWithin calendar.Deadline `json:"reporter_within,omitzero"`
}

// Allows reports whether a case in status may be reopened.
func (p ReopenPolicy) Allows(status string) bool { return slices.Contains(p.From, status) }

// SatisfactionPolicy configures the questionnaire after closing
// ("tevredenheidsbevraging").
type SatisfactionPolicy struct {
	// Ask turns the questionnaire on for the case type.
	Ask bool `json:"ask"`
	// Within is how long after closing the reporter may answer; zero
	// means any time.
	Within calendar.Deadline `json:"within,omitzero"`
	// ReopenAtOrBelow reopens the case when the score is at or below it
	// and the reopen policy allows it (status and reporter period); 0
	// never reopens.
	ReopenAtOrBelow int `json:"reopen_at_or_below,omitempty"`
}

// RetentionAction is what the purge does with a case past its retention.
type RetentionAction string

// The retention actions.
const (
	// RetainDelete deletes the case and its timeline ("vernietigen").
	RetainDelete RetentionAction = "delete"
	// RetainAnonymise strips personal data and keeps category, dates,
	// statuses and results for statistics ("anonimiseren").
	RetainAnonymise RetentionAction = "anonymise"
)

// RetentionPolicy says how long closed cases are kept ("bewaartermijn").
// The zero policy keeps them forever.
type RetentionPolicy struct {
	// Days is the number of calendar days after closing.
	Days   int             `json:"days"`
	Action RetentionAction `json:"action"`
}

// MessageTemplate is the starting text of the public message a clerk
// writes when a case enters Status, for one category or (Category empty)
// for all. The text may name {reference}, {category} and {status}.
type MessageTemplate struct {
	Status   string `json:"status"`
	Category string `json:"category,omitempty"`
	Text     Label  `json:"text"`
}

// ReporterQuestions names the transitions of asking the reporter a question
// ("vraag aan melder"): Ask goes to a waiting status, Answer leaves it and
// is the reporter's to take.
type ReporterQuestions struct {
	Ask    string `json:"ask,omitempty"`
	Answer string `json:"answer,omitempty"`
}

// checkPolicies adds the errors of the reopen, satisfaction, retention,
// template and question parts of ct to c.
func checkPolicies(c *errs.Collector, ct *CaseType) {
	if ct.Version < 0 {
		c.Add("version", "gte", "must not be negative")
	}
	status := func(code string) (Status, bool) {
		i, ok := ct.statuses[code]
		if !ok {
			return Status{}, false
		}
		return ct.Statuses[i], true
	}
	for i, from := range ct.Reopen.From {
		if s, ok := status(from); !ok || !s.Terminal {
			c.Add(fmt.Sprintf("reopen.from[%d]", i), "terminal", "status %q is not a terminal status of the case type", from)
		}
	}
	if ct.Reopen.To != "" {
		if s, ok := status(ct.Reopen.To); !ok || s.Terminal {
			c.Add("reopen.to", "open_status", "status %q is not an open status of the case type", ct.Reopen.To)
		}
	}
	if ct.Reopen.ReporterWithin.Days < 0 {
		c.Add("reopen.reporter_within", "gte", "must not be negative")
	}
	if sp := ct.Satisfaction; sp.Within.Days < 0 || sp.ReopenAtOrBelow < 0 || sp.ReopenAtOrBelow > MaxScore {
		c.Add("satisfaction", "range", "within must not be negative and reopen_at_or_below must be 0 to %d", MaxScore)
	}
	switch r := ct.Retention; {
	case r.Days < 0:
		c.Add("retention.days", "gte", "must not be negative")
	case r.Days > 0 && r.Action != RetainDelete && r.Action != RetainAnonymise:
		c.Add("retention.action", "oneof", "must be delete or anonymise")
	}
	for i, t := range ct.Templates {
		f := fmt.Sprintf("templates[%d]", i)
		if _, ok := status(t.Status); !ok {
			c.Add(f+".status", "unknown_status", "template for unknown status %q", t.Status)
		}
		if t.Category != "" && !slices.ContainsFunc(ct.Categories, func(x Category) bool { return x.Code == t.Category }) {
			c.Add(f+".category", "oneof", "template for unknown category %q", t.Category)
		}
		if t.Text.NL == "" {
			c.Add(f+".text", "required", "a template needs a Dutch text")
		}
	}
	q := ct.Questions
	if (q.Ask == "") != (q.Answer == "") {
		c.Add("questions", "required_with", "ask and answer are named together")
	}
	if q.Ask != "" {
		if i, ok := ct.transitions[q.Ask]; !ok {
			c.Add("questions.ask", "unknown_transition", "no transition %q", q.Ask)
		} else if s, ok := status(ct.Transitions[i].To); ok && !s.Waiting {
			c.Add("questions.ask", "waiting", "transition %q does not go to a waiting status", q.Ask)
		}
	}
	if q.Answer != "" {
		if i, ok := ct.transitions[q.Answer]; !ok {
			c.Add("questions.answer", "unknown_transition", "no transition %q", q.Answer)
		} else if !slices.Contains(ct.Transitions[i].Roles, RoleCitizen) {
			c.Add("questions.answer", "citizen", "transition %q is not the citizen's to take", q.Answer)
		}
	}
}

// StartingText returns the template text for a public message when c
// enters status, in lang, with its placeholders filled in: the template for
// c's category first, then the one for every category; empty when the case
// type has none. A template without text in lang is given in Dutch.
func (ct *CaseType) StartingText(c *Case, status, lang string) string {
	var found *MessageTemplate
	for i := range ct.Templates {
		t := &ct.Templates[i]
		if t.Status != status {
			continue
		}
		if t.Category == c.Category {
			found = t
			break
		}
		if t.Category == "" && found == nil {
			found = t
		}
	}
	if found == nil {
		return ""
	}
	if found.Text.In(lang) == found.Text.NL {
		lang = "nl" // a Dutch text gets Dutch labels
	}
	category := c.Category
	for _, cat := range ct.Categories {
		if cat.Code == c.Category {
			category = cat.Label.In(lang)
		}
	}
	statusLabel := status
	if s, ok := ct.Status(status); ok {
		statusLabel = s.Label.In(lang)
	}
	return strings.NewReplacer("{reference}", c.Reference, "{category}", category, "{status}", statusLabel).
		Replace(found.Text.In(lang))
}

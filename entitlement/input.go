package entitlement

import (
	"strconv"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// checkDate refuses a date that is not set, is not a day of the calendar
// (a calendar.Date built by hand can say 30 February) or lies outside the
// years calendar.MinYear to calendar.MaxYear.
func checkDate(field string, d calendar.Date) error {
	var c errs.Collector
	switch {
	case d.IsZero():
		c.Add(field, "required", "a date is needed")
	case !realDate(d):
		c.Add(field, "date", "%s is not a day of the calendar", d)
	}
	validate.CheckDate(&c, field, d)
	return c.Err()
}

// realDate reports whether d names a day of the calendar.
func realDate(d calendar.Date) bool {
	return d.Month >= 1 && d.Month <= 12 && calendar.NewDate(d.Year, d.Month, d.Day) == d
}

// checkGrant applies the shared input rule (text and dates, see
// validate.Input) to a grant and its audit entry before any store sees
// them, so the memory and PostgreSQL stores refuse the same grants. The
// explanation is walked node by node: it nests deeper than validate.Input
// follows.
func checkGrant(g *Grant, a *AuditEntry) error {
	var c errs.Collector
	top := *g
	top.Reason = nil
	c.Merge("", validate.Input(top))
	c.Merge("audit", validate.Input(a))
	if g.Reason != nil {
		r := *g.Reason
		r.Explanation = nil
		c.Merge("reason", validate.Input(r))
	}
	if g.Reason != nil && g.Reason.Explanation != nil {
		type item struct {
			e    *Explanation
			path string
		}
		stack := []item{{g.Reason.Explanation, "reason.explanation"}}
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			node := *it.e
			node.Children = nil
			c.Merge(it.path, validate.Input(node))
			for i, k := range it.e.Children {
				if k != nil {
					stack = append(stack, item{k, it.path + ".children[" + strconv.Itoa(i) + "]"})
				}
			}
		}
	}
	return c.Err()
}

package appointment

import (
	"fmt"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Counter is a desk or room where one clerk serves citizens ("loket"): the
// resource a booking occupies.
type Counter struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Services lists the ids of the services this counter can serve.
	Services []string `json:"services"`
	// Hours, when set, narrow the location's hours for this counter.
	Hours []OpeningHours `json:"hours,omitempty"`
}

// Offers reports whether the counter serves the service.
func (c Counter) Offers(serviceID string) bool { return slices.Contains(c.Services, serviceID) }

// Location is a building with counters ("vestiging", "dienstverleningscentrum").
type Location struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Address    string         `json:"address"`
	Counters   []Counter      `json:"counters"`
	Hours      []OpeningHours `json:"hours"`
	Exceptions []Exception    `json:"exceptions,omitempty"`
	// Quotas gives, per channel, the percentage of a slot's capacity that
	// may be booked through it; a channel without an entry may use it all.
	Quotas map[Channel]int `json:"quotas,omitempty"`
}

// Counter returns the counter with the given id.
func (l *Location) Counter(id string) (*Counter, bool) {
	for i := range l.Counters {
		if l.Counters[i].ID == id {
			return &l.Counters[i], true
		}
	}
	return nil, false
}

// Validate checks the location: ids, hours (no overlap, no reversed hours),
// exceptions and quotas.
func (l Location) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(l))
	if l.ID == "" {
		c.Add("id", "required", "a location needs an id")
	}
	if len(l.Counters) == 0 {
		c.Add("counters", "min", "a location needs at least one counter")
	}
	if len(l.Counters) > maxCounters {
		c.Add("counters", "max", "a location has at most %d counters", maxCounters)
	}
	c.Merge("", ValidateHours("hours", l.Hours))
	seen := map[string]bool{}
	for i, k := range l.Counters {
		f := fmt.Sprintf("counters[%d]", i)
		if k.ID == "" {
			c.Add(f+".id", "required", "a counter needs an id")
		} else if seen[k.ID] {
			c.Add(f+".id", "unique", "counter %q appears twice", k.ID)
		}
		seen[k.ID] = true
		c.Merge("", ValidateHours(f+".hours", k.Hours))
	}
	for i, e := range l.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		if e.Date.IsZero() {
			c.Add(f+".date", "required", "an exception needs a date")
		}
		switch e.Kind {
		case Closed:
		case ExtraOpening, ReducedHours:
			if !e.Open.valid() || !e.Close.valid() || e.Close <= e.Open {
				c.Add(f+".close", "gtfield", "closes at %s, not after it opens at %s", e.Close, e.Open)
			}
		default:
			c.Add(f+".kind", "oneof", "%q is not closed, extra_opening or reduced_hours", e.Kind)
		}
		if e.CounterID != "" && !seen[e.CounterID] {
			c.Add(f+".counter_id", "exists", "no counter %q at this location", e.CounterID)
		}
	}
	for ch, pct := range l.Quotas {
		if !ch.Valid() {
			c.Add("quotas", "oneof", "%q is not a channel", ch)
		}
		if pct < 0 || pct > 100 {
			c.Add("quotas."+string(ch), "range", "a quota is a percentage between 0 and 100")
		}
	}
	return c.Err()
}

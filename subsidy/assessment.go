package subsidy

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Score is one assessor's points on one criterion, with a motivation.
type Score struct {
	Assessor   string    `json:"assessor"`
	Criterion  string    `json:"criterion"`
	Points     float64   `json:"points"`
	Motivation string    `json:"motivation"`
	At         time.Time `json:"at,omitzero"`
}

// CheckScore validates a score against the call's criteria and the
// assessors who declared a conflict of interest for the application.
func (c *Call) CheckScore(s Score, conflicts []string) error {
	if slices.Contains(conflicts, s.Assessor) {
		return fmt.Errorf("%w: %s", ErrConflictOfInterest, s.Assessor)
	}
	var col errs.Collector
	if strings.TrimSpace(s.Assessor) == "" {
		col.Add("assessor", "required", "is required")
	}
	cr, ok := c.Criterion(s.Criterion)
	if !ok {
		col.Add("criterion", "oneof", "%q is not a criterion of this call", s.Criterion)
	} else if math.IsNaN(s.Points) || s.Points < 0 || s.Points > cr.MaxPoints {
		col.Add("points", "range", "must be between 0 and %g", cr.MaxPoints)
	}
	if strings.TrimSpace(s.Motivation) == "" {
		col.Add("motivation", "required", "a motivation is required")
	}
	return col.Err()
}

// Scorecard is what ranking needs of one application.
type Scorecard struct {
	ApplicationID uuid.UUID
	Requested     decimal.Decimal
	SubmittedAt   time.Time
	Scores        []Score
}

// Result is an application's place after aggregation.
type Result struct {
	ApplicationID uuid.UUID
	Requested     decimal.Decimal
	// Points holds the aggregated points per criterion, in the call's order.
	Points []float64
	// Total is the weighted sum of Points.
	Total float64
	// Rank starts at 1; 0 means the application dropped out, see Dropped.
	Rank    int
	Dropped string
	at      time.Time
}

// Rank aggregates each application's scores per criterion (mean or median,
// as the call says), drops those below a criterion's minimum or the call's
// minimum total, and ranks the rest by total, earliest submission first on a
// tie. Ranked results come first, in rank order, then the dropped ones.
func Rank(call *Call, cards []Scorecard) []Result {
	nc := len(call.Criteria)
	index := make(map[string]int, nc)
	for i, cr := range call.Criteria {
		index[cr.ID] = i
	}
	points := make([]float64, len(cards)*nc)
	buckets := make([][]float64, nc)
	out := make([]Result, len(cards))
	for i := range cards {
		card := &cards[i]
		for k := range buckets {
			buckets[k] = buckets[k][:0]
		}
		for _, s := range card.Scores {
			if k, ok := index[s.Criterion]; ok {
				buckets[k] = append(buckets[k], s.Points)
			}
		}
		r := Result{ApplicationID: card.ApplicationID, Requested: card.Requested, Points: points[i*nc : (i+1)*nc : (i+1)*nc], at: card.SubmittedAt}
		for k, cr := range call.Criteria {
			if len(buckets[k]) == 0 {
				if r.Dropped == "" {
					r.Dropped = "not scored on " + cr.Name
				}
				continue
			}
			p := aggregate(call.Aggregation, buckets[k])
			r.Points[k] = p
			r.Total += cr.Weight * p
			if p < cr.MinScore && r.Dropped == "" {
				r.Dropped = "below the minimum on " + cr.Name
			}
		}
		if r.Dropped == "" && r.Total < call.MinTotal {
			r.Dropped = "below the minimum total"
		}
		out[i] = r
	}
	slices.SortFunc(out, func(a, b Result) int {
		if (a.Dropped == "") != (b.Dropped == "") {
			if a.Dropped == "" {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return bytes.Compare(a.ApplicationID[:], b.ApplicationID[:])
	})
	for i := range out {
		if out[i].Dropped != "" {
			break
		}
		out[i].Rank = i + 1
	}
	return out
}

// aggregate combines points; it reorders xs.
func aggregate(a Aggregation, xs []float64) float64 {
	if a == Median {
		// insertion sort: a handful of assessors per criterion
		for i := 1; i < len(xs); i++ {
			for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		n := len(xs)
		if n%2 == 1 {
			return xs[n/2]
		}
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Allocation is the proposed amount for one application.
type Allocation struct {
	ApplicationID uuid.UUID
	Rank          int
	Requested     decimal.Decimal
	Proposed      decimal.Decimal
	Outcome       Outcome
}

// Allocate fills the budget in rank order ("toewijzingsvoorstel"). The first
// application that no longer fits is handled by the rule: PartialGrant gives
// it the remainder and stops, SkipToNext passes over it, StopAtFirst stops.
// Dropped results are refused.
func Allocate(budget decimal.Decimal, rule PartialRule, results []Result) []Allocation {
	out := make([]Allocation, len(results))
	left := budget
	stopped := false
	for i, r := range results {
		a := Allocation{ApplicationID: r.ApplicationID, Rank: r.Rank, Requested: r.Requested, Proposed: decimal.Zero, Outcome: Refused}
		switch {
		case r.Rank == 0 || stopped || !left.IsPositive():
		case r.Requested.LessThanOrEqual(left):
			a.Proposed, a.Outcome = r.Requested, Granted
			left = left.Sub(r.Requested)
		case rule == PartialGrant:
			a.Proposed, a.Outcome = left, GrantedPartially
			left = decimal.Zero
			stopped = true
		case rule == StopAtFirst:
			stopped = true
		}
		out[i] = a
	}
	return out
}

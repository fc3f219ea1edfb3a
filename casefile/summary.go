package casefile

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"
)

// Summary is a case as a list shows it ("mijn meldingen", a worklist):
// what names it, its type and category, whose it is and where it stands,
// without its description, location, attachments, answers or the
// requester's personal data. A store can read it without the whole case.
type Summary struct {
	ID          uuid.UUID `json:"id"`
	Reference   string    `json:"reference"`
	Type        string    `json:"type"`
	Category    string    `json:"category"`
	Subcategory string    `json:"subcategory,omitempty"`
	// RequesterKind tells a person's case from an enterprise's.
	RequesterKind PartyKind `json:"requester_kind,omitempty"`
	Status        string    `json:"status"`
	Closed        bool      `json:"closed"`
	// Due is when handling should be finished; zero when no deadline runs.
	Due time.Time `json:"due,omitzero"`
}

// SummaryOf returns the summary of c.
func SummaryOf(c *Case) Summary {
	return Summary{ID: c.ID, Reference: c.Reference, Type: c.Type, Category: c.Category, Subcategory: c.Subcategory,
		RequesterKind: c.Requester.Kind, Status: c.Status, Closed: c.Closed, Due: c.Due}
}

// SummaryPage is one page of summaries; Next is empty on the last page.
type SummaryPage struct {
	Summaries []Summary `json:"summaries"`
	Next      string    `json:"next,omitempty"`
}

// SummaryCursorAfter is CursorAfter for a page of summaries: the cursor
// of the page that follows s.
func SummaryCursorAfter(q Query, s Summary) string {
	return CursorAfter(q, &Case{ID: s.ID, Due: s.Due})
}

// ListSummaries returns a page of this municipality's cases as Summary
// values, selected, ordered and paged as List does; it checks q as List
// does.
func (s *Service) ListSummaries(ctx context.Context, q Query) (SummaryPage, error) {
	if err := s.checkQuery(&q); err != nil {
		return SummaryPage{}, err
	}
	q.Municipality = s.cfg.Municipality
	return s.cfg.Store.ListSummaries(ctx, q)
}

// Summaries iterates over the summaries of every case matching q, page by
// page: All for a list, which needs no more than Summary ("mijn
// meldingen": Summaries(ctx, Query{RequesterID: insz})).
func (s *Service) Summaries(ctx context.Context, q Query) iter.Seq2[Summary, error] {
	return func(yield func(Summary, error) bool) {
		for {
			p, err := s.ListSummaries(ctx, q)
			if err != nil {
				yield(Summary{}, err)
				return
			}
			for _, c := range p.Summaries {
				if !yield(c, nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			q.Cursor = p.Next
		}
	}
}

package delivery

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Query selects the documents of a front office's lists: those sent to any
// of Parties ("mijn post": a person and the enterprise they act for), or
// with no parties every document (a clerk's queue). Pages come newest
// first.
type Query struct {
	Parties []Party `json:"parties,omitempty"`
	// Limit is the page size: 50 when 0, at most MaxLimit.
	Limit int `json:"limit,omitempty"`
	// Cursor is Page.Next of the previous page; empty for the first page.
	Cursor string `json:"cursor,omitempty"`
}

// MaxLimit is the largest page a store returns.
const MaxLimit = 500

// MaxParties is the most parties one Query names.
const MaxParties = 32

// PageSize returns the effective page size of q.
func (q Query) PageSize() int {
	switch {
	case q.Limit <= 0:
		return 50
	case q.Limit > MaxLimit:
		return MaxLimit
	}
	return q.Limit
}

// Page is one page of a listing; Next is empty on the last page.
type Page struct {
	Deliveries []Delivery `json:"deliveries"`
	Next       string     `json:"next,omitempty"`
}

// Validate checks the parties (at most MaxParties) and the cursor of q.
func (q Query) Validate() error {
	var c errs.Collector
	if len(q.Parties) > MaxParties {
		c.Add("parties", "max", "at most %d parties", MaxParties)
	}
	for i, p := range q.Parties {
		var ve *ValidationError
		if errors.As(p.Validate(), &ve) {
			for _, f := range ve.Fields { // "party.id" is "parties[i].id" here
				c.Add("parties["+strconv.Itoa(i)+"]"+strings.TrimPrefix(f.Field, "party"), f.Rule, "%s", f.Message)
			}
		}
	}
	if _, err := q.After(); err != nil {
		c.Merge("", err)
	}
	return c.Err()
}

// After decodes q.Cursor: the position, in the store's order of enqueueing,
// before which the page starts; 0 for the first page. Stores number their
// deliveries from 1 in the order they enqueue them.
func (q Query) After() (int64, error) {
	if q.Cursor == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(q.Cursor, 10, 64)
	if err != nil || n < 1 {
		return 0, errs.Invalid("cursor", "cursor", "not a cursor this listing handed out")
	}
	return n, nil
}

// CursorAt encodes the position of the last delivery of a page, whose
// number in the store's order is seq.
func CursorAt(seq int64) string { return strconv.FormatInt(seq, 10) }

package assistant

import (
	"context"
	"slices"
)

// Generator drafts an answer from retrieved passages, for example with a
// language model. It is optional: without one the assistant answers
// extractively (the best section and its link). Every draft must say
// which passages it used; a draft citing anything that was not retrieved,
// or nothing at all, is discarded.
type Generator interface {
	Generate(ctx context.Context, r GenerateRequest) (Draft, error)
}

// GenerateRequest is the question and the passages a draft may use.
type GenerateRequest struct {
	Question string    `json:"question"`
	Language string    `json:"language"`
	Passages []Passage `json:"passages"`
}

// Passage is one section of one retrieved entry.
type Passage struct {
	EntryID string `json:"entry_id"`
	Title   string `json:"title"`
	Section string `json:"section"`
	Text    string `json:"text"`
	URL     string `json:"url,omitempty"`
}

// Draft is a generated answer and the entry IDs it cites.
type Draft struct {
	Text  string   `json:"text"`
	Cites []string `json:"cites"`
}

// grounded reports whether d cites at least one passage and only
// passages it was given, and says something.
func grounded(d Draft, passages []Passage) bool {
	if len(d.Cites) == 0 || d.Text == "" {
		return false
	}
	for _, c := range d.Cites {
		if !slices.ContainsFunc(passages, func(p Passage) bool { return p.EntryID == c }) {
			return false
		}
	}
	return true
}

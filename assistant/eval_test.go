package assistant_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/assistant/demo"
	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// evalItem is one question of testdata/eval.yaml with the entry that
// answers it, or "refuse" when none does.
type evalItem struct {
	Q      string `yaml:"q"`
	Expect string `yaml:"expect"`
	Lang   string `yaml:"lang"`
}

const refuse = "refuse"

// metrics are the retrieval quality figures the issue enforces.
type metrics struct {
	Questions, InScope, OutOfScope int
	// RecallAt1 and RecallAt3 are the shares of in-scope questions whose
	// expected entry is ranked first, or among the first three (whether
	// or not the question was refused: refusals are measured apart).
	RecallAt1, RecallAt3 float64
	// MRR10 is the mean reciprocal rank of the expected entry in the top
	// ten (0 when absent), over in-scope questions.
	MRR10 float64
	// RefusalPrecision is the share of refused questions that were out of
	// scope; RefusalRecall the share of out-of-scope questions refused.
	RefusalPrecision, RefusalRecall float64
	// Answered is the end-to-end share of in-scope questions answered
	// with the expected entry first and not refused.
	Answered float64
	misses   []string
}

func evaluate(t *testing.T, r assistant.Retriever, items []evalItem) metrics {
	t.Helper()
	var m metrics
	var r1, r3, answered, refused, refusedRight int
	var mrr float64
	for _, it := range items {
		res, err := r.Retrieve(context.Background(), it.Q, 10)
		require.NoError(t, err)
		m.Questions++
		if res.OutOfScope {
			refused++
		}
		if it.Expect == refuse {
			m.OutOfScope++
			if res.OutOfScope {
				refusedRight++
			} else {
				m.misses = append(m.misses, fmt.Sprintf("answered out-of-scope %q with %s (%.2f)", it.Q, res.Hits[0].EntryID, res.Hits[0].Coverage))
			}
			continue
		}
		m.InScope++
		rank := 0
		for i, h := range res.Hits {
			if h.EntryID == it.Expect {
				rank = i + 1
				break
			}
		}
		switch {
		case rank == 1:
			r1++
			if !res.OutOfScope {
				answered++
			}
		case len(res.Hits) > 0:
			m.misses = append(m.misses, fmt.Sprintf("rank %d for %q: want %s, got %s", rank, it.Q, it.Expect, res.Hits[0].EntryID))
		default:
			m.misses = append(m.misses, fmt.Sprintf("nothing for %q: want %s", it.Q, it.Expect))
		}
		if rank == 1 && res.OutOfScope {
			m.misses = append(m.misses, fmt.Sprintf("refused in-scope %q (%.2f)", it.Q, res.Hits[0].Coverage))
		}
		if rank >= 1 && rank <= 3 {
			r3++
		}
		if rank >= 1 {
			mrr += 1 / float64(rank)
		}
	}
	in := float64(max(m.InScope, 1))
	m.RecallAt1, m.RecallAt3, m.MRR10, m.Answered = float64(r1)/in, float64(r3)/in, mrr/in, float64(answered)/in
	if refused > 0 {
		m.RefusalPrecision = float64(refusedRight) / float64(refused)
	}
	if m.OutOfScope > 0 {
		m.RefusalRecall = float64(refusedRight) / float64(m.OutOfScope)
	}
	return m
}

func (m metrics) String() string {
	return fmt.Sprintf("questions %d (in scope %d, out of scope %d): recall@1 %.3f, recall@3 %.3f, MRR@10 %.3f, refusal precision %.3f, refusal recall %.3f, answered right %.3f",
		m.Questions, m.InScope, m.OutOfScope, m.RecallAt1, m.RecallAt3, m.MRR10, m.RefusalPrecision, m.RefusalRecall, m.Answered)
}

// loadEval returns the demo catalogue's entries valid today (those the
// Service indexes: an ended service is not answered) and the questions of
// testdata/eval.yaml.
func loadEval(t testing.TB) ([]assistant.Entry, []evalItem) {
	t.Helper()
	all, err := assistant.LoadCatalogue(demo.CatalogueYAML())
	require.NoError(t, err)
	today := calendar.DateIn(time.Now())
	var entries []assistant.Entry
	for _, e := range all {
		if e.Valid(today) {
			entries = append(entries, e)
		}
	}
	return entries, loadItems(t, "testdata/eval.yaml", all)
}

// loadItems reads an evaluation file and checks that every expected entry
// exists in the catalogue.
func loadItems(t testing.TB, path string, entries []assistant.Entry) []evalItem {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var items []evalItem
	require.NoError(t, yaml.Unmarshal(b, &items))
	ids := map[string]bool{}
	for _, e := range entries {
		ids[e.ID] = true
	}
	for _, it := range items {
		require.True(t, it.Expect == refuse || ids[it.Expect], "%s: question %q expects unknown entry %q", path, it.Q, it.Expect)
	}
	return items
}

// The thresholds, enforced on the union of the evaluation set and
// the three held-out sets (testdata/heldout.yaml and heldout2.yaml, each
// written before a round of tuning the out-of-scope decision and not
// used for it, and blind.yaml, written by a reviewer who never saw the
// code).
const (
	minRecallAt1         = 0.80
	minRecallAt3         = 0.95
	minRefusalPrecision  = 0.90
	minRefusalRecall     = 0.80
	minLeadOverPlainBM25 = 0.10
)

// TestQuality measures retrieval on the demo catalogue with the
// evaluation set and the held-out sets, and enforces on their union the
// thresholds above and that the Dutch analysis beats plain BM25 by at
// least ten points of recall@1.
func TestQuality(t *testing.T) {
	entries, evalItems := loadEval(t)
	heldout := loadItems(t, "testdata/heldout.yaml", entries)
	heldout2 := loadItems(t, "testdata/heldout2.yaml", entries)
	blind := loadItems(t, "testdata/blind.yaml", entries)
	ix := assistant.NewIndex(entries, assistant.Options{})
	plain := assistant.NewIndex(entries, assistant.Options{Plain: true})
	sets := []struct {
		name  string
		items []evalItem
	}{{"eval", evalItems}, {"held-out", heldout}, {"held-out 2", heldout2}, {"blind", blind}, {"union", slices.Concat(evalItems, heldout, heldout2, blind)}}
	var ours, base metrics
	for _, set := range sets {
		ours, base = evaluate(t, ix, set.items), evaluate(t, plain, set.items)
		t.Logf("%s, Dutch BM25F: %v", set.name, ours)
		t.Logf("%s, plain BM25:  %v", set.name, base)
		if testing.Verbose() && set.name != "union" {
			t.Logf("%s misses:\n%s", set.name, strings.Join(ours.misses, "\n"))
		}
	}
	// ours and base are the union's.
	assert.GreaterOrEqual(t, ours.RecallAt1, minRecallAt1, "recall@1")
	assert.GreaterOrEqual(t, ours.RecallAt3, minRecallAt3, "recall@3")
	assert.GreaterOrEqual(t, ours.RefusalPrecision, minRefusalPrecision, "refusal precision")
	assert.GreaterOrEqual(t, ours.RefusalRecall, minRefusalRecall, "refusal recall")
	assert.GreaterOrEqual(t, ours.RecallAt1-base.RecallAt1, minLeadOverPlainBM25, "lead over plain BM25 in recall@1")
}

// TestOneWordQuestions: a question of one common catalogue word has a low
// BM25 score (the word is in many entries) but is plainly in scope.
func TestOneWordQuestions(t *testing.T) {
	entries, _ := loadEval(t)
	ix := assistant.NewIndex(entries, assistant.Options{})
	for _, q := range []string{"identiteitskaart", "rijbewijs", "grofvuil", "huwelijk", "Identiteitskaart?"} {
		r, err := ix.Retrieve(context.Background(), q, 3)
		require.NoError(t, err)
		require.NotEmpty(t, r.Hits, q)
		assert.False(t, r.OutOfScope, q)
		assert.Equal(t, strings.TrimSuffix(strings.ToLower(q), "?"), r.Hits[0].EntryID, q)
	}
}

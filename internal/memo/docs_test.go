package memo_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/memo"
)

type line struct {
	Amount decimal.Decimal `json:"amount"`
	Tags   []string        `json:"tags"`
}

type doc struct {
	ID      uuid.UUID         `json:"id"`
	Name    string            `json:"name"`
	At      time.Time         `json:"at"`
	Lines   []line            `json:"lines"`
	Meta    map[string]string `json:"meta"`
	Next    *line             `json:"next"`
	Any     any               `json:"any"`
	Grid    [2][]int          `json:"grid"`
	Missing *line             `json:"missing"`
}

func sampleDoc() doc {
	return doc{
		ID: uuid.MustParse("0192f7c4-8d2a-7c3e-9a4b-0123456789ab"), Name: "a",
		At:    time.Date(2026, 3, 29, 2, 30, 0, 0, time.FixedZone("CET", 3600)),
		Lines: []line{{Amount: decimal.RequireFromString("12.34"), Tags: []string{"x"}}},
		Meta:  map[string]string{"k": "v"}, Next: &line{Tags: []string{"n"}},
		Any:  map[string]any{"list": []any{"1", map[string]any{"deep": "yes"}}},
		Grid: [2][]int{{1}, {2}},
	}
}

// change changes everything of d that a copy must not share.
func change(d *doc) {
	d.Name = "changed"
	d.Lines[0].Tags[0] = "changed"
	d.Lines[0].Amount = decimal.NewFromInt(1)
	d.Meta["k"] = "changed"
	d.Next.Tags[0] = "changed"
	d.Any.(map[string]any)["list"].([]any)[1].(map[string]any)["deep"] = "changed"
	d.Grid[0][0] = 99
}

func TestCopySharesNothingReachable(t *testing.T) {
	orig := sampleDoc()
	c := memo.Copy(orig)
	require.Equal(t, orig, c)
	change(&c)
	assert.Equal(t, sampleDoc(), orig)
}

func TestDocsDecodeOnceAndHandOutCopies(t *testing.T) {
	raw, err := json.Marshal(sampleDoc())
	require.NoError(t, err)
	var want doc
	require.NoError(t, json.Unmarshal(raw, &want))

	docs := memo.NewDocs[doc](8)
	first, err := docs.Decode(raw)
	require.NoError(t, err)
	assert.Equal(t, want, first)
	change(&first) // the caller's copy
	again, err := docs.Decode(raw)
	require.NoError(t, err)
	assert.Equal(t, want, again, "what is remembered did not change with the caller's value")
	change(&again)
	third, err := docs.Decode(raw)
	require.NoError(t, err)
	assert.Equal(t, want, third)
	assert.Equal(t, 1, docs.Len())

	_, err = docs.Decode([]byte(`{"name": 1}`))
	assert.Error(t, err, "a document that does not decode is an error")
	assert.Equal(t, 1, docs.Len(), "and is not remembered")
}

func TestDocsStayBounded(t *testing.T) {
	docs := memo.NewDocs[doc](4)
	for i := range 20 {
		d, err := docs.Decode(fmt.Appendf(nil, `{"name": "%d"}`, i))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(i), d.Name)
	}
	assert.Equal(t, 4, docs.Len())
}

func TestDocsConcurrently(t *testing.T) {
	docs := memo.NewDocs[doc](16)
	raw, err := json.Marshal(sampleDoc())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				d, err := docs.Decode(raw)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, "a", d.Name)
				change(&d)
			}
		})
	}
	wg.Wait()
}

func BenchmarkDocs(b *testing.B) {
	raw, err := json.Marshal(sampleDoc())
	require.NoError(b, err)
	b.Run("json.Unmarshal", func(b *testing.B) {
		for b.Loop() {
			var d doc
			if err := json.Unmarshal(raw, &d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("memo", func(b *testing.B) {
		docs := memo.NewDocs[doc](16)
		for b.Loop() {
			if _, err := docs.Decode(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

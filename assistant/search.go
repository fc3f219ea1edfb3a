package assistant

import (
	"context"
	"sort"
	"sync"
)

// scratch is the per-question working memory, pooled so a question
// allocates little.
type scratch struct {
	score   []float64
	matched []uint64
	touched []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Retrieve implements Retriever. Scores are BM25F; the question is out of
// scope when the best entry covers less than Options.MinCoverage of the
// question's words, weighted by rarity (a word the catalogue does not know
// weighs as much as the rarest word it does).
func (ix *Index) Retrieve(ctx context.Context, question string, limit int) (Retrieval, error) {
	if err := ctx.Err(); err != nil {
		return Retrieval{}, err
	}
	if limit <= 0 {
		limit = 10
	}
	terms, mass := ix.query(question)
	total := 0.0
	for _, m := range mass {
		total += m
	}
	if len(terms) == 0 || total == 0 {
		return Retrieval{OutOfScope: true}, nil
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	n := len(ix.ids)
	if cap(sc.score) < n {
		sc.score = make([]float64, n)
		sc.matched = make([]uint64, n)
	}
	sc.score, sc.matched, sc.touched = sc.score[:n], sc.matched[:n], sc.touched[:0]
	for _, qt := range terms {
		idf := ix.idf[qt.id] * qt.weight
		bit := uint64(1) << uint(qt.group)
		for _, p := range ix.postings[qt.id] {
			if sc.matched[p.doc] == 0 {
				sc.touched = append(sc.touched, p.doc)
			}
			tf := float64(p.tf)
			sc.score[p.doc] += idf * tf * (k1 + 1) / (tf + k1)
			sc.matched[p.doc] |= bit
		}
	}
	hits := make([]Hit, 0, len(sc.touched))
	for _, d := range sc.touched {
		cov := 0.0
		for g, m := range mass {
			if sc.matched[d]&(1<<uint(g)) != 0 {
				cov += m
			}
		}
		hits = append(hits, Hit{EntryID: ix.ids[d], Score: sc.score[d], Coverage: cov / total})
		sc.score[d], sc.matched[d] = 0, 0
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].EntryID < hits[j].EntryID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return Retrieval{Hits: hits, OutOfScope: hits[0].Coverage < ix.opts.MinCoverage}, nil
}

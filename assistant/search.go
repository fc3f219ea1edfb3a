package assistant

import (
	"context"
	"slices"
	"sort"
	"sync"
)

// scratch is the per-question working memory, pooled so a question
// allocates little.
type scratch struct {
	score   []float64
	seen    []bool
	touched []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Retrieve implements Retriever. Scores are BM25F. The question is out of
// scope when it names another municipality, when the best entry covers
// less than Options.MinCoverage of its words (see coverage), or when the
// best entry's score stays under Options.MinScore without covering every
// word.
func (ix *Index) Retrieve(ctx context.Context, question string, limit int) (Retrieval, error) {
	if err := ctx.Err(); err != nil {
		return Retrieval{}, err
	}
	if limit <= 0 {
		limit = 10
	}
	terms, mass, elsewhere := ix.query(question)
	if len(terms) == 0 {
		return Retrieval{OutOfScope: true}, nil
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	n := len(ix.ids)
	if cap(sc.score) < n {
		sc.score = make([]float64, n)
		sc.seen = make([]bool, n)
	}
	sc.score, sc.seen, sc.touched = sc.score[:n], sc.seen[:n], sc.touched[:0]
	for _, qt := range terms {
		idf := ix.idf[qt.id] * qt.weight
		for _, p := range ix.postings[qt.id] {
			if !sc.seen[p.doc] {
				sc.seen[p.doc] = true
				sc.touched = append(sc.touched, p.doc)
			}
			tf := float64(p.tf)
			sc.score[p.doc] += idf * tf * (k1 + 1) / (tf + k1)
		}
	}
	type ranked struct {
		doc   int32
		score float64
	}
	all := make([]ranked, len(sc.touched))
	for i, d := range sc.touched {
		all[i] = ranked{d, sc.score[d]}
		sc.score[d], sc.seen[d] = 0, false
	}
	less := func(a, b ranked) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return ix.ids[a.doc] < ix.ids[b.doc]
	}
	top := topK(all, limit, less)
	hits := make([]Hit, len(top))
	for i, r := range top {
		hits[i] = Hit{EntryID: ix.ids[r.doc], Score: r.score, Coverage: ix.coverage(r.doc, terms, mass)}
	}
	oos := elsewhere || hits[0].Coverage < ix.opts.MinCoverage || (hits[0].Score < ix.opts.MinScore*ix.maxIDF && hits[0].Coverage < fullCoverage)
	return Retrieval{Hits: hits, OutOfScope: oos}, nil
}

// fullCoverage is the coverage of an entry that contains every word of
// the question; such a question is in scope however low its score (a
// single common word: "identiteitskaart").
const fullCoverage = 0.999

// topK returns the k best of all in order, without sorting all of them.
func topK[T any](all []T, k int, less func(a, b T) bool) []T {
	if len(all) > 4*k {
		// Partial selection: keep a sorted window of the best k.
		best := make([]T, 0, k+1)
		for _, x := range all {
			if len(best) == k && !less(x, best[k-1]) {
				continue
			}
			i := sort.Search(len(best), func(i int) bool { return less(x, best[i]) })
			best = slices.Insert(best, i, x)
			if len(best) > k {
				best = best[:k]
			}
		}
		return best
	}
	sort.Slice(all, func(i, j int) bool { return less(all[i], all[j]) })
	return all[:min(k, len(all))]
}

// coverage is the rarity-weighted share of the question's words that
// entry doc contains (see queryTerm.share), where a known word the entry
// lacks weighs unmatchedWeight.
func (ix *Index) coverage(doc int32, terms []queryTerm, words []queryWord) float64 {
	got := make([]float64, len(words))
	for _, qt := range terms {
		ps := ix.postings[qt.id]
		if _, ok := slices.BinarySearchFunc(ps, doc, func(p posting, d int32) int { return int(p.doc - d) }); ok {
			got[qt.group] += qt.share
		}
	}
	num, den := 0.0, 0.0
	for g, w := range words {
		if !w.known {
			den += w.mass
			continue
		}
		c := min(got[g], 1)
		num += w.mass * c
		den += w.mass * (c + unmatchedWeight*(1-c))
	}
	if den == 0 {
		return 0
	}
	return num / den
}

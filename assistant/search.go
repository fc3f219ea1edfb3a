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
// scope when it names another municipality that the best entry does not
// name (otherPlaces), when it is written in another
// language than Dutch or English, when the best entry matches only
// everyday words ("twee kinderen"), when the best entry covers less than
// Options.MinCoverage of its words (see coverage; an off-topic word such
// as "huisarts" or "weerbericht" weighs as the rarest word the entry
// lacks), or when the best entry's score stays under Options.MinScore
// without covering every word. A question using one of a municipality's
// generic words ("vergunning", "tuin", "gemeente") needs civicFactor of
// that coverage and score: it is about the municipality even when the
// catalogue words it differently, unless it has an off-topic word the
// best entry does not mention ("mijn hond heeft vlooien") or a content
// word the catalogue does not know ("inverkeerstellingstaks": the
// meaning-carrying word; see Index.query).
func (ix *Index) Retrieve(ctx context.Context, question string, limit int) (Retrieval, error) {
	if err := ctx.Err(); err != nil {
		return Retrieval{}, err
	}
	if limit <= 0 {
		limit = 10
	}
	terms, mass, civic, unknown := ix.query(question)
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
	var best match
	for i, r := range top {
		m := ix.coverage(r.doc, terms, mass)
		hits[i] = Hit{EntryID: ix.ids[r.doc], Score: r.score, Coverage: m.coverage}
		if i == 0 {
			best = m
		}
	}
	minCoverage, minScore := ix.opts.MinCoverage, ix.opts.MinScore
	if civic && !best.offTopic && !unknown {
		minCoverage, minScore = minCoverage*civicFactor, minScore*civicFactor
	}
	oos := best.elsewhere || (!ix.opts.Plain && otherLanguage(question)) || !best.subject ||
		best.coverage < minCoverage ||
		(hits[0].Score < minScore*ix.maxIDF && !best.all)
	return Retrieval{Hits: hits, OutOfScope: oos}, nil
}

// civicFactor lowers the coverage and score a question needs to be in
// scope when it uses one of municipalWords. It was chosen on the
// evaluation set (eval_test.go) and checked on the held-out set.
const civicFactor = 0.7

// offTopicContext is the share of an off-topic word's weight that an
// entry mentioning it in passing takes off.
const offTopicContext = 0.5

// match is how well one entry matches a question's words.
type match struct {
	// coverage is the rarity-weighted share of the question's words the
	// entry contains.
	coverage float64
	// all reports that the question has no word the catalogue does not
	// know and the entry contains every other word (a typo's correction
	// counts); such a question is in scope however low its score (a
	// single common word: "identiteitskaart").
	all bool
	// subject reports that the entry matches a word other than the
	// everyday ones (generalWords): "twee kinderen" alone names no
	// service.
	subject bool
	// offTopic reports that the question has an off-topic word the entry
	// does not mention.
	offTopic bool
	// elsewhere reports that the question names another municipality the
	// entry does not name.
	elsewhere bool
}

// fullMatch is the share of a question word an entry must contain to
// count as containing it for match.all: a typo's correction (0.8 for one
// edit, 0.7 for two) does.
const fullMatch = 0.7

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

// coverage measures how entry doc matches the question's words: the
// rarity-weighted share it contains (see queryTerm.share), where a known
// word the entry lacks weighs unmatchedWeight, and the flags of match.
func (ix *Index) coverage(doc int32, terms []queryTerm, words []queryWord) match {
	var got [maxQueryWords + 1]float64
	for _, qt := range terms {
		ps := ix.postings[qt.id]
		if _, ok := slices.BinarySearchFunc(ps, doc, func(p posting, d int32) int { return int(p.doc - d) }); ok {
			got[qt.group] += qt.share
		}
	}
	m := match{all: true}
	num, den := 0.0, 0.0
	for g, w := range words {
		if w.hint {
			continue
		}
		if w.place {
			// A place the entry names is context ("de ambassade in
			// Brussel"); one it does not is another municipality's
			// service.
			if got[g] > 0 {
				num += w.mass
				den += w.mass
			} else {
				m.elsewhere = true
				m.all = false
			}
			continue
		}
		if w.offTopic {
			// An off-topic word the entry names is its context and costs
			// nothing ("the family certificate for your study grant");
			// one it mentions in passing costs half; one it never
			// mentions says the question is about something else.
			m.all = false
			mentioned, named := ix.mentions(doc, w.self)
			switch {
			case named:
			case mentioned:
				den += w.mass * (1 - offTopicContext)
			default:
				den += w.mass
				m.offTopic = true
			}
			continue
		}
		if !w.known {
			den += w.mass
			m.all = false
			continue
		}
		c := min(got[g], 1)
		num += w.mass * c
		den += w.mass * (c + unmatchedWeight*(1-c))
		if c < fullMatch {
			m.all = false
		}
		if c > 0 && !w.general {
			m.subject = true
		}
	}
	if den > 0 {
		m.coverage = num / den
	}
	return m
}

// mentions reports whether entry doc has term, and whether it names it
// where it says what it is about (posting.named). term -1 is none.
func (ix *Index) mentions(doc, term int32) (mentioned, named bool) {
	if term < 0 {
		return false, false
	}
	ps := ix.postings[term]
	i, ok := slices.BinarySearchFunc(ps, doc, func(p posting, d int32) int { return int(p.doc - d) })
	if !ok {
		return false, false
	}
	return true, ps[i].named
}

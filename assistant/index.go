package assistant

import (
	"context"
	"math"
	"slices"
	"strings"
)

// Retriever finds the catalogue entries that answer a question. The
// default is the offline Index; a municipality can plug in another
// (embeddings, a search server) behind this interface.
type Retriever interface {
	// Retrieve returns at most limit hits, best first, and whether the
	// question lies outside the catalogue.
	Retrieve(ctx context.Context, question string, limit int) (Retrieval, error)
}

// Retrieval is a Retriever's answer.
type Retrieval struct {
	// Hits are the best entries, best first.
	Hits []Hit `json:"hits"`
	// OutOfScope reports that no entry answers the question well enough.
	OutOfScope bool `json:"out_of_scope"`
}

// Hit is one retrieved entry.
type Hit struct {
	EntryID string  `json:"entry_id"`
	Score   float64 `json:"score"`
	// Coverage is the share (0..1, weighted by rarity) of the question's
	// words that the entry contains.
	Coverage float64 `json:"coverage"`
}

// field is one weighted part of an entry.
type field struct {
	weight float64
	texts  func(e *Entry) []string
}

// dutchFields weigh what names a product (title, keywords) above what
// explains it: citizens ask for the thing, the procedure merely mentions
// other things.
var dutchFields = []field{
	{3.0, func(e *Entry) []string { return []string{e.Title} }},
	{2.5, func(e *Entry) []string { return e.Keywords }},
	{1.0, func(e *Entry) []string { return []string{e.Description} }},
	{0.4, func(e *Entry) []string { return []string{e.Conditions, e.Procedure, e.Costs, e.Exceptions} }},
	{0.3, func(e *Entry) []string { return append(slices.Clone(e.Themes), e.Type) }},
}

// namingFields is the number of dutchFields, from the first, that say
// what an entry is about (see posting.named).
const namingFields = 3

var plainFields = []field{
	{1.0, func(e *Entry) []string {
		return append([]string{e.Title, e.Description, e.Conditions, e.Procedure, e.Costs, e.Exceptions, e.Type}, append(slices.Clone(e.Keywords), e.Themes...)...)
	}},
}

// BM25 parameters: k1 saturates repeated words, b normalises for length.
const (
	k1 = 1.2
	b  = 0.75
	// partWeight is what a compound's part counts in an entry, against 1
	// for a whole word.
	partWeight = 0.5
	// maxQueryWords bounds the words of a question that are used.
	maxQueryWords = 64
)

// Options tune an Index. The zero value is the Dutch analysis.
type Options struct {
	// Plain turns the Dutch analysis off: lowercase words of all fields
	// in one, no accent folding, stop words, stemming, compounds, typo
	// tolerance or English glossary. It is the baseline the evaluation
	// compares with.
	Plain bool
	// MinCoverage is the rarity-weighted share of a question's words the
	// best entry must contain for the question to count as in scope;
	// 0 means DefaultMinCoverage.
	MinCoverage float64
	// MinScore is the BM25F score the best entry must reach, in units of
	// the IDF of a word only one entry has (so it holds for catalogues of
	// any size); 0 means DefaultMinScore, negative means none.
	MinScore float64
	// Home names the municipality itself and its former municipalities
	// (deelgemeenten), in any spelling ("Sint-Niklaas", "Sinaai"): a
	// question naming one is about this municipality, where another
	// Belgian place name makes it out of scope.
	Home []string
}

// DefaultMinCoverage and DefaultMinScore are calibrated on the evaluation
// set (see eval_test.go).
const (
	DefaultMinCoverage = 0.55
	DefaultMinScore    = 1.1
)

type posting struct {
	doc int32
	tf  float32 // weighted, length-normalised term frequency (BM25F)
	// named reports that the entry names the term in a field that says
	// what it is about (title, keywords, description), not only in
	// passing (conditions, procedure, costs).
	named bool
}

// Index is the default Retriever: BM25F over an in-memory inverted index
// of the catalogue, with Dutch analysis (accent folding, stop words, the
// Snowball Dutch stemmer, compound splitting against the index's own
// vocabulary, one-typo tolerance for words of five letters or more, and
// an English–Dutch glossary). It is immutable and safe for concurrent use;
// build a new one when the catalogue changes.
type Index struct {
	opts     Options
	ids      []string
	terms    map[string]int32
	postings [][]posting
	idf      []float64
	maxIDF   float64
	// surface maps each folded word of the catalogue to its stem, and
	// near maps each word with one letter removed to the words it came
	// from, for typo tolerance.
	surface map[string]string
	near    map[string][]string
	// sorted and reversed list the catalogue's words in order and spelled
	// backwards in order, to find the compounds a word begins or ends.
	sorted, reversed []string
	// home holds Options.Home, folded and joined as otherPlaces are.
	home map[string]bool
}

var _ Retriever = (*Index)(nil)

// NewIndex builds an index of entries.
func NewIndex(entries []Entry, opts Options) *Index {
	if opts.MinCoverage == 0 {
		opts.MinCoverage = DefaultMinCoverage
	}
	if opts.MinScore == 0 {
		opts.MinScore = DefaultMinScore
	}
	ix := &Index{opts: opts, terms: map[string]int32{}, surface: map[string]string{}, near: map[string][]string{}, home: map[string]bool{}}
	for _, h := range opts.Home {
		ix.home[joinName(h)] = true
	}
	fields := dutchFields
	if opts.Plain {
		fields = plainFields
	}
	n := len(entries)
	ix.ids = make([]string, n)
	// Pass 1: the words of every field, their stems, and field lengths.
	docWords := make([][][]string, n)
	avg := make([]float64, len(fields))
	for d := range entries {
		e := &entries[d]
		ix.ids[d] = e.ID
		docWords[d] = make([][]string, len(fields))
		for f, fl := range fields {
			var ws []string
			for _, t := range fl.texts(e) {
				ix.analyze(t, func(w string) { ws = append(ws, w) })
			}
			docWords[d][f] = ws
			avg[f] += float64(len(ws))
		}
	}
	for f := range avg {
		avg[f] = max(avg[f]/math.Max(float64(n), 1), 1)
	}
	if !opts.Plain {
		for _, fs := range docWords {
			for _, ws := range fs {
				for _, w := range ws {
					if _, ok := ix.surface[w]; !ok {
						ix.surface[w] = stem(w)
					}
				}
			}
		}
		for w := range ix.surface {
			if len(w) >= minFuzzy {
				ix.sorted = append(ix.sorted, w)
				ix.reversed = append(ix.reversed, reverse(w))
			}
		}
		slices.Sort(ix.sorted)
		slices.Sort(ix.reversed)
		stems := make(map[string]bool, len(ix.surface))
		for _, s := range ix.surface {
			stems[s] = true
		}
		known := func(s string) bool { return stems[s] }
		parts := make(map[string][]string, len(ix.surface))
		for w := range ix.surface {
			if p := splitCompound(w, known); p != nil {
				parts[w] = p
			}
			if len(w) >= minFuzzy {
				deletes(w, func(v string) { ix.near[v] = append(ix.near[v], w) })
			}
		}
		// Pass 2 (Dutch): stems and compound parts.
		tf := map[string]float64{}
		named := map[string]bool{}
		for d, fs := range docWords {
			clear(tf)
			clear(named)
			for f, ws := range fs {
				norm := fields[f].weight / (1 - b + b*float64(len(ws))/avg[f])
				for _, w := range ws {
					if f < namingFields {
						named[ix.surface[w]] = true
					}
					tf[ix.surface[w]] += norm
					for _, p := range parts[w] {
						tf[p] += norm * partWeight
					}
				}
			}
			ix.add(int32(d), tf, named)
		}
	} else {
		tf := map[string]float64{}
		for d, fs := range docWords {
			clear(tf)
			for f, ws := range fs {
				norm := fields[f].weight / (1 - b + b*float64(len(ws))/avg[f])
				for _, w := range ws {
					tf[w] += norm
				}
			}
			ix.add(int32(d), tf, nil)
		}
	}
	ix.idf = make([]float64, len(ix.postings))
	for t, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf[t] = math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	}
	ix.maxIDF = math.Log(1 + (float64(n)+0.5)/0.5)
	return ix
}

func (ix *Index) add(doc int32, tf map[string]float64, named map[string]bool) {
	for t, v := range tf {
		id, ok := ix.terms[t]
		if !ok {
			id = int32(len(ix.postings))
			ix.terms[t] = id
			ix.postings = append(ix.postings, nil)
		}
		ix.postings[id] = append(ix.postings[id], posting{doc: doc, tf: float32(v), named: named[t]})
	}
}

// analyze emits the words of text the index keeps.
func (ix *Index) analyze(text string, emit func(string)) {
	if ix.opts.Plain {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
			emit(w)
		}
		return
	}
	tokens(text, emit)
}

// Len returns the number of entries indexed.
func (ix *Index) Len() int { return len(ix.ids) }

// queryTerm is one index term a question's word stands for.
type queryTerm struct {
	id     int32
	weight float64
	// share is how much of its question word the term covers when an
	// entry contains it: 1 for the word itself, less for a compound's
	// part, a typo's correction or a longer compound.
	share float64
	group int // the question word it came from
}

// queryWord is one word of a question: its rarity mass (the IDF of its
// best term; for a word the catalogue does not know, a share of the
// highest IDF) and whether the catalogue knows it.
type queryWord struct {
	mass  float64
	known bool
	// general marks an everyday word (generalWords) the catalogue knows:
	// it counts, but an entry that matches only such words does not
	// answer the question.
	general bool
	// offTopic marks an off-topic word or phrase (offTopicWords,
	// offTopicPhrases).
	offTopic bool
	// place marks the name of another municipality (otherPlaces): the
	// question is out of scope unless the entry names the place too.
	place bool
	// self is the index term of the word itself, or -1: an off-topic
	// word is context only where an entry has the word itself, not its
	// compound's parts ("verkeersbelasting" is not "verkeer" and
	// "belasting").
	self int32
	// hint marks the terms of a phrase that says what kind of service is
	// asked for ("krijg ik daar iets voor": a grant): they rank, but do
	// not count in coverage.
	hint bool
}

// The weights of the out-of-scope decision, calibrated on the evaluation
// set (eval_test.go): a known word an entry lacks counts a third, as
// questions carry context words ("regelen", "aangeven") that other
// entries use; an unknown word counts half the rarest word, an unknown
// short one (a verb form, a name) less.
const (
	unmatchedWeight    = 0.3
	unknownWeight      = 0.5
	unknownShortWeight = 0.15
	// offTopicWeight is what an off-topic word (offTopicWords) weighs,
	// in units of the rarest word's IDF: it says what the question is
	// about, and the catalogue does not answer it.
	offTopicWeight = 1.0
	shortWord      = 6
	// modifierWeight is what the unknown modifier of a compound whose
	// head is known weighs ("kebab" in "kebabzaak").
	modifierWeight = 0.25
)

// query turns a question into weighted terms grouped by question word,
// and reports whether it uses one of municipalWords as a word the
// catalogue knows whole (civic) and whether it has a content word the
// catalogue does not know (unknown): a word of shortWord letters or more
// that is not an everyday one, or the unknown modifier of a compound whose
// head alone is known ("motorrijtuigenbelasting").
func (ix *Index) query(question string) (terms []queryTerm, mass []queryWord, civic, unknown bool) {
	seen := map[string]bool{}
	var placeWords map[string]bool
	if !ix.opts.Plain {
		placeWords = ix.places(fold(question))
	}
	addWord := func(w string) {
		if len(mass) >= maxQueryWords || seen[w] {
			return
		}
		seen[w] = true
		g := len(mass)
		best := 0.0
		add := func(term string, weight, share float64) bool {
			id, ok := ix.terms[term]
			if !ok {
				return false
			}
			terms = append(terms, queryTerm{id: id, weight: weight, share: share, group: g})
			best = max(best, ix.idf[id])
			return true
		}
		if ix.opts.Plain {
			found := add(w, 1, 1)
			if !found {
				best = ix.maxIDF
			}
			mass = append(mass, queryWord{mass: best, known: found})
			return
		}
		if other, ok := placeWords[w]; ok && !other {
			// The municipality's own name says nothing of the service.
			delete(seen, w)
			return
		}
		if placeWords[w] {
			// Another municipality's name is looked up as written, never
			// corrected into a catalogue word ("leuven" is not "leven"):
			// an entry naming the place lifts the rule, so it weighs
			// nothing in the ranking.
			if _, ok := ix.surface[w]; ok {
				add(ix.surface[w], 0, 1)
			}
			mass = append(mass, queryWord{mass: ix.maxIDF * unknownWeight, place: true})
			return
		}
		found, whole := ix.expand(w, add)
		civic = civic || (whole && municipal(w))
		if offTopic(w) {
			// Ranked as any word, but counted as one the catalogue does
			// not know: the catalogue only mentions it in passing.
			self, ok := ix.terms[stem(w)]
			if !ok {
				self = -1
			}
			mass = append(mass, queryWord{mass: ix.maxIDF * offTopicWeight, offTopic: true, self: self})
			return
		}
		if !found {
			if generalWords[w] {
				delete(seen, w)
				return
			}
			best = ix.maxIDF * unknownWeight
			if len(w) < shortWord {
				best = ix.maxIDF * unknownShortWeight
			} else {
				unknown = true
			}
		}
		mass = append(mass, queryWord{mass: best, known: found, general: found && generalWords[w]})
		if found && !whole {
			// Only the head of an unknown compound is known: its
			// modifier, which says what the question is about, counts
			// as a word the catalogue does not know.
			mass = append(mass, queryWord{mass: ix.maxIDF * modifierWeight})
		}
	}
	if ix.opts.Plain {
		ix.analyze(question, addWord)
		return terms, mass, false, false
	}
	// Aspect words ("wat kost", "hoe lang duurt") do not say which entry
	// is meant, unless the question has nothing else.
	var aspects []string
	tokens(question, func(w string) {
		if _, ok := aspectWords[w]; ok {
			aspects = append(aspects, w)
			return
		}
		addWord(w)
	})
	if len(mass) == 0 {
		for _, w := range aspects {
			addWord(w)
		}
	}
	f := fold(question)
	// A phrasing that asks for what a municipality does not answer
	// weighs as an off-topic word.
	if offTopicPhrases.MatchString(f) {
		mass = append(mass, queryWord{mass: ix.maxIDF * offTopicWeight, offTopic: true, self: -1})
	}
	// A phrasing that says what kind of service is meant ("waarom moet
	// ik ... betalen": a tax) adds its words to the ranking.
	for _, h := range intentHints {
		if len(mass) < maxQueryWords && h.re.MatchString(f) {
			g := len(mass)
			tokens(h.words, func(w string) {
				if id, ok := ix.terms[stem(w)]; ok {
					terms = append(terms, queryTerm{id: id, weight: hintWeight, group: g})
				}
			})
			mass = append(mass, queryWord{hint: true})
		}
	}
	return terms, mass, civic, unknown
}

// hintWeight is what a word of an intent hint weighs in the ranking,
// against 1 for a word of the question.
const hintWeight = 0.5

// places returns the words of a folded question that name a place:
// true for another municipality's (otherPlaces), false for the
// municipality's own (Options.Home), written in one word, with hyphens or
// with spaces ("sint niklaas").
func (ix *Index) places(folded string) map[string]bool {
	var out map[string]bool
	var ws []string
	words(folded, func(w string) { ws = append(ws, w) })
	for i := range ws {
		joined := ""
		for j := i; j < len(ws) && j < i+maxPlaceWords; j++ {
			joined += ws[j]
			home := ix.home[joined]
			if !home && !otherPlaces[joined] {
				continue
			}
			if out == nil {
				out = map[string]bool{}
			}
			for _, w := range ws[i : j+1] {
				if other, seen := out[w]; !seen || other {
					out[w] = !home
				}
			}
		}
	}
	return out
}

// expand finds the index terms a folded question word stands for: its
// stem, its compound parts, a spoken form's or an English word's Dutch,
// a country's "buitenland", or the words one typo away. whole reports
// that the word was found as a whole, not only as the head of a compound
// whose modifier the catalogue does not know.
func (ix *Index) expand(w string, add func(term string, weight, share float64) bool) (found, whole bool) {
	return ix.expandDepth(w, add, 1)
}

func (ix *Index) expandDepth(w string, add func(term string, weight, share float64) bool, depth int) (found, whole bool) {
	if nl, ok := spoken[w]; ok {
		// A Flemish spoken form ("omdoen", "kinders") is its standard
		// Dutch word.
		w = nl
	}
	s := stem(w)
	exact := add(s, 1, 1)
	if _, ok := ix.surface[w]; ok && exact {
		// A catalogue word: its own compound parts are already indexed
		// with it.
		if len(w) < 2*minPart {
			return true, true
		}
	}
	if abroad[w] {
		// A country or a nationality says "from or to abroad", whatever
		// else its stem matches ("polen" is not "pool").
		for _, t := range []string{"buitenland", "buitenlands"} {
			found = add(stem(t), 1, 1) || found
		}
		return found || exact, found || exact
	}
	known := func(t string) bool { _, ok := ix.terms[t]; return ok }
	found = exact
	if parts := splitCompound(w, known); parts != nil {
		weight, share := 1.0, 1/float64(len(parts))
		if exact {
			weight, share = 0.5, 0.5
		}
		for _, p := range parts {
			found = add(p, weight, share) || found
		}
	}
	if found {
		return true, true
	}
	// A diminutive ("kaartje", "pleintje", "bewonerskaartje") means its
	// noun.
	if base := diminutive(w); base != "" && depth > 0 {
		if f, wh := ix.expandDepth(base, add, depth-1); f {
			return f, wh
		}
	}
	if nl, ok := glossary[w]; ok {
		tokens(nl, func(t string) {
			found = add(stem(t), 1, 1) || found
		})
		if found {
			return true, true
		}
	}
	// An everyday word is spelled right: correcting it finds another
	// word ("morgen" is not "zorgen").
	if len(w) >= minFuzzy && !generalWords[w] {
		var cands []string
		check := func(v string) {
			for _, c := range ix.near[v] {
				if editDistance1(w, c) && !slices.Contains(cands, c) {
					cands = append(cands, c)
				}
			}
		}
		check(w)
		deletes(w, func(v string) {
			check(v)
			// w may be a catalogue word with one letter too many.
			if _, ok := ix.surface[v]; ok && len(v) >= minFuzzy && !slices.Contains(cands, v) {
				cands = append(cands, v)
			}
		})
		for _, c := range cands {
			found = add(ix.surface[c], 0.8, 0.8) || found
		}
		if found {
			return true, true
		}
		if len(w) >= minFuzzy2 {
			for _, c := range ix.near2(w) {
				found = add(ix.surface[c], 0.7, 0.7) || found
			}
			if found {
				return true, true
			}
		}
		// An unknown compound with a known head: "kebabzaak" is a "zaak".
		if h := head(w, known); h != "" {
			return add(h, 0.5, 0.5), false
		}
		// A word the catalogue only has inside compounds: "regenput" in
		// "regenwaterput", "vrijwilliger" in "vrijwilligerswerk".
		for _, c := range ix.affixed(w) {
			found = add(ix.surface[c], 0.6, 0.6) || found
		}
	}
	return found, found
}

// maxAffixed bounds the compounds one word expands to.
const maxAffixed = 8

// affixed returns catalogue words that begin with w's stem or end with w,
// up to maxAffixed of each.
func (ix *Index) affixed(w string) []string {
	var out []string
	if p := stem(w); len(p) >= minFuzzy {
		i, _ := slices.BinarySearch(ix.sorted, p)
		for j := i; j < len(ix.sorted) && j < i+maxAffixed && strings.HasPrefix(ix.sorted[j], p); j++ {
			out = append(out, ix.sorted[j])
		}
	}
	r := reverse(w)
	i, _ := slices.BinarySearch(ix.reversed, r)
	for j := i; j < len(ix.reversed) && j < i+maxAffixed && strings.HasPrefix(ix.reversed[j], r); j++ {
		out = append(out, reverse(ix.reversed[j]))
	}
	return out
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

func notWordRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
}

// diminutive returns the noun of a Dutch diminutive ("kaartje" → "kaart",
// "pleintje" → "plein", "bloempje" → "bloem", "balletje" → "bal"), or "".
func diminutive(w string) string {
	for _, suf := range []string{"etje", "tje", "pje", "je"} {
		if base, ok := strings.CutSuffix(w, suf); ok && len(base) >= 3 {
			if suf == "etje" && len(base) >= 2 && base[len(base)-1] == base[len(base)-2] {
				base = base[:len(base)-1] // balletje → bal
			}
			return base
		}
	}
	return ""
}

// minFuzzy2 is the shortest word corrected for two typos.
const minFuzzy2 = 9

// near2 returns catalogue words two edits from w, among those of about
// its length that share its first letter (typos rarely hit the first).
func (ix *Index) near2(w string) []string {
	var out []string
	lo, _ := slices.BinarySearch(ix.sorted, w[:1])
	for i := lo; i < len(ix.sorted) && ix.sorted[i][0] == w[0]; i++ {
		c := ix.sorted[i]
		if d := len(c) - len(w); d >= -2 && d <= 2 && levenshtein2(w, c) {
			out = append(out, c)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

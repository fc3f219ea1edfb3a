package entitlement

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"sync"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// ChangeKind classifies a subject's assessment against the grants it holds.
type ChangeKind uint8

// The kinds of change a batch finds.
const (
	NotEntitled      ChangeKind = iota // does not qualify and holds no grant: nothing to do
	NewlyEntitled                      // qualifies and holds no grant: grant it
	StillEntitled                      // qualifies and holds a grant: unchanged
	NoLongerEntitled                   // holds a grant but no longer qualifies: end it after the notice period
	MissingData                        // facts are missing: nothing changes; the missing facts are listed
	Faulty                             // the subject could not be assessed (contradictory facts, bad date)
)

var changeNames = [...]string{"not_entitled", "newly_entitled", "still_entitled", "no_longer_entitled", "unknown", "faulty"}

// String returns the change kind's name.
func (k ChangeKind) String() string { return changeNames[k] }

// Change is one subject's assessment for one benefit in a batch.
type Change struct {
	Kind      ChangeKind
	SubjectID string
	Benefit   string
	Held      bool // the subject held an active grant before the run
	// Missing lists the facts that made the outcome unknown. The slice is
	// reused after the callback returns; copy it to keep it.
	Missing []string
	Err     error
	// Subject is the worker's copy of the subject, valid only during the
	// callback; use it to build an explanation.
	Subject *Subject
}

// Holdings tells a batch which rights subjects already hold.
type Holdings interface {
	Holds(subjectID string, benefit string) bool
}

// GrantSet is an in-memory Holdings, built from a store's active grants.
type GrantSet map[string]map[string]bool // benefit -> subject -> held

// Holds reports whether the subject holds the benefit.
func (g GrantSet) Holds(subjectID, benefit string) bool { return g[benefit][subjectID] }

// Add records that the subject holds the benefit.
func (g GrantSet) Add(subjectID, benefit string) {
	m, ok := g[benefit]
	if !ok {
		m = map[string]bool{}
		g[benefit] = m
	}
	m[subjectID] = true
}

// BatchOptions configures a batch run.
type BatchOptions struct {
	Date     calendar.Date
	Benefits []string // empty means every benefit
	Holdings Holdings // nil means nobody holds anything
	Workers  int      // 0 means GOMAXPROCS
	// OnChange receives every assessment except NotEntitled (and
	// StillEntitled unless ReportUnchanged). It is called from several
	// workers at once and must be safe for that.
	OnChange        func(Change)
	ReportUnchanged bool
	// OnProgress is called, one call at a time, with the number of
	// subjects done so far, for a progress bar.
	OnProgress func(done int)
}

// BatchReport counts the outcomes of a batch per benefit.
type BatchReport struct {
	Subjects int
	Faulty   int
	Counts   map[string]*Counts
}

// Counts are the numbers of each change kind for one benefit.
type Counts [len(changeNames)]int

const chunkSize = 512

type chunk struct {
	subjects []*Subject
	n        int
}

// Batch assesses every subject of a population for every benefit, in
// parallel, and classifies each against the grants already held. Subjects
// are copied into reused buffers as they are read, so the iterator may
// reuse one Subject for all; nothing is allocated per subject when no
// change needs reporting. A faulty subject is reported and the batch goes on.
func (rs *Ruleset) Batch(ctx context.Context, population iter.Seq[*Subject], opt BatchOptions) (BatchReport, error) {
	if err := checkDate("date", opt.Date); err != nil {
		return BatchReport{}, err
	}
	p := rs.At(opt.Date)
	benefits := make([]int, 0, len(rs.benefits))
	if len(opt.Benefits) == 0 {
		for i := range rs.benefits {
			benefits = append(benefits, i)
		}
	}
	for _, id := range opt.Benefits {
		i, ok := rs.benefitIdx[id]
		if !ok {
			return BatchReport{}, fmt.Errorf("%w: %q", ErrUnknownBenefit, id)
		}
		benefits = append(benefits, i)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	free := make(chan *chunk, 2*workers+1)
	for range cap(free) {
		c := &chunk{subjects: make([]*Subject, chunkSize)}
		for i := range c.subjects {
			c.subjects[i] = rs.schema.NewSubject("")
		}
		free <- c
	}
	work := make(chan *chunk, cap(free))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		done    int
		results = make([]Counts, workers*len(rs.benefits))
		faulty  = make([]int, workers)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := results[w*len(rs.benefits) : (w+1)*len(rs.benefits)]
			var missing []string
			out := make([]Outcome, len(rs.benefits))
			errs := make([]error, len(rs.benefits))
			for c := range work {
				for _, s := range c.subjects[:c.n] {
					serr := p.Outcomes(s, out, errs)
					if serr != nil {
						faulty[w]++
					}
					for _, b := range benefits {
						kind, err := classify(out[b], serr, errs[b], s.ID, rs.benefits[b].def.ID, opt.Holdings)
						counts[b][kind]++
						if kind == Faulty && serr == nil {
							faulty[w]++
						}
						if opt.OnChange == nil || kind == NotEntitled || (kind == StillEntitled && !opt.ReportUnchanged) {
							continue
						}
						ch := Change{Kind: kind, SubjectID: s.ID, Benefit: rs.benefits[b].def.ID, Err: err, Subject: s}
						ch.Held = kind == StillEntitled || kind == NoLongerEntitled || (kind == MissingData && opt.Holdings != nil && opt.Holdings.Holds(s.ID, ch.Benefit))
						if kind == MissingData {
							missing = p.AppendMissing(missing[:0], s, b)
							ch.Missing = missing
						}
						opt.OnChange(ch)
					}
				}
				if opt.OnProgress != nil {
					mu.Lock()
					done += c.n
					opt.OnProgress(done)
					mu.Unlock()
				}
				free <- c
			}
		}()
	}
	total, foreign := 0, 0
	var cur *chunk
	var err error
	for s := range population {
		if s.schema != rs.schema {
			// Copying would mix slot layouts; report it and go on.
			total++
			foreign++
			if opt.OnChange != nil {
				ferr := fmt.Errorf("%w: subject %s was built for another schema", ErrValidation, maskedID(s.ID))
				for _, b := range benefits {
					opt.OnChange(Change{Kind: Faulty, SubjectID: s.ID, Benefit: rs.benefits[b].def.ID, Err: ferr})
				}
			}
			continue
		}
		if cur == nil {
			if err = ctx.Err(); err != nil {
				break
			}
			cur = <-free
			cur.n = 0
		}
		cur.subjects[cur.n].copyFrom(s)
		cur.n++
		total++
		if cur.n == chunkSize {
			work <- cur
			cur = nil
		}
	}
	if cur != nil {
		work <- cur
	}
	close(work)
	wg.Wait()
	rep := BatchReport{Subjects: total, Faulty: foreign, Counts: map[string]*Counts{}}
	for _, b := range benefits {
		var c Counts
		c[Faulty] = foreign
		for w := range workers {
			for k, n := range results[w*len(rs.benefits)+b] {
				c[k] += n
			}
		}
		rep.Counts[rs.benefits[b].def.ID] = &c
	}
	for _, f := range faulty {
		rep.Faulty += f
	}
	return rep, err
}

func classify(o Outcome, serr, berr error, subjectID, benefit string, h Holdings) (ChangeKind, error) {
	if serr != nil {
		return Faulty, serr
	}
	if berr != nil {
		return Faulty, berr
	}
	if o == Undecided {
		return MissingData, nil
	}
	held := h != nil && h.Holds(subjectID, benefit)
	switch {
	case o == Eligible && held:
		return StillEntitled, nil
	case o == Eligible:
		return NewlyEntitled, nil
	case held:
		return NoLongerEntitled, nil
	}
	return NotEntitled, nil
}

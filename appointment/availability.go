package appointment

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Busy is the part of a counter's time an active booking or hold takes,
// buffers included.
type Busy struct {
	CounterID string    `json:"counter_id"`
	ServiceID string    `json:"service_id"`
	Start     time.Time `json:"start"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Channel   Channel   `json:"channel"`
}

// Slot is a moment a citizen can book.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Counters lists the counters that can still take a booking.
	Counters []string `json:"counters"`
	// Remaining is the number of bookings the slot can still take through
	// the channel asked for.
	Remaining int `json:"remaining"`
}

// Schedule is everything availability depends on. Busy holds the active
// bookings and unexpired holds of the location; it need not be sorted.
type Schedule struct {
	Service  Service
	Location Location
	Calendar *calendar.Calendar
	Busy     []Busy
	Now      time.Time
	// Channel selects the quota; empty means a clerk, to whom no quota applies.
	Channel Channel
	// CounterID restricts the slots to one counter when set.
	CounterID string
}

// span is a Busy reduced to what the planner compares, without pointers so
// that grouping and sorting 20,000 of them stays cheap.
type span struct {
	from, to, start int64 // Unix nanoseconds
	sameService     bool
	sameChannel     bool
}

// maxCounters bounds the counters of a location, so a slot's free counters
// fit a fixed bitset.
const maxCounters = 256

// planner holds the per-query state: busy spans per counter (sorted) and a
// cursor per counter, since candidate starts only move forward.
type planner struct {
	s        *Schedule
	counters []*Counter
	busy     [][]span
	cursor   []int
	earliest time.Time
	latest   time.Time // zero: no horizon
	quota    int       // percent, -1 none
	winBuf   []window
	names    []string // backing array for Slot.Counters
	// plain marks counters without hours or exceptions of their own: they
	// share the location's windows, computed once per day.
	plain      []bool
	sharedDay  calendar.Date
	shared     []instants
	ownWindows []instants
}

// instants is an opening window as Unix nanoseconds.
type instants struct{ open, close int64 }

// windows returns counter i's opening windows on d as instants.
func (p *planner) windows(i int, d calendar.Date) []instants {
	if p.plain[i] && p.sharedDay == d && p.shared != nil {
		return p.shared
	}
	p.winBuf = dayWindows(&p.s.Location, p.counters[i], p.s.Calendar, d, p.winBuf)
	out := p.ownWindows[:0]
	if p.plain[i] {
		out = p.shared[:0]
	}
	for _, w := range p.winBuf {
		out = append(out, w.on(d))
	}
	if p.plain[i] {
		if out == nil {
			out = []instants{}
		}
		p.shared, p.sharedDay = out, d
	} else {
		p.ownWindows = out
	}
	return out
}

func newPlanner(s *Schedule) *planner {
	p := &planner{s: s, quota: -1, earliest: s.Now.Add(s.Service.Notice.Book)}
	if s.Service.Horizon > 0 {
		p.latest = s.Now.Add(s.Service.Horizon)
	}
	if s.Channel != "" {
		if q, ok := s.Location.Quotas[s.Channel]; ok {
			p.quota = q
		}
	}
	for i := range s.Location.Counters {
		c := &s.Location.Counters[i]
		if !c.Offers(s.Service.ID) || (s.CounterID != "" && c.ID != s.CounterID) || len(p.counters) == maxCounters {
			continue
		}
		p.counters = append(p.counters, c)
	}
	// A map pays off for a long range; a booking's few neighbours are
	// matched faster by a scan.
	var idx map[string]int
	if len(s.Busy) > 64 {
		idx = make(map[string]int, len(p.counters))
		for i, c := range p.counters {
			idx[c.ID] = i
		}
	}
	lookup := func(id string) (int, bool) {
		if idx != nil {
			i, ok := idx[id]
			return i, ok
		}
		for i, c := range p.counters {
			if c.ID == id {
				return i, true
			}
		}
		return 0, false
	}
	// Two passes: count, then fill one backing array cut per counter.
	counts := make([]int, len(p.counters))
	which := make([]int32, len(s.Busy))
	lastID, lastI, lastOK := "", 0, false
	for k := range s.Busy {
		// Stores return the busy times grouped by counter: most lookups
		// repeat the previous one.
		id := s.Busy[k].CounterID
		if id != lastID || k == 0 {
			lastID = id
			lastI, lastOK = lookup(id)
		}
		i, ok := lastI, lastOK
		if !ok {
			which[k] = -1
			continue
		}
		which[k] = int32(i)
		counts[i]++
	}
	all := make([]span, len(s.Busy))
	p.busy = make([][]span, len(p.counters))
	off := 0
	for i, n := range counts {
		p.busy[i] = all[off : off : off+n]
		off += n
	}
	for k := range s.Busy {
		if which[k] < 0 {
			continue
		}
		b := &s.Busy[k]
		p.busy[which[k]] = append(p.busy[which[k]], span{
			from: b.From.UnixNano(), to: b.To.UnixNano(), start: b.Start.UnixNano(),
			sameService: b.ServiceID == s.Service.ID, sameChannel: s.Channel != "" && b.Channel == s.Channel,
		})
	}
	for _, bs := range p.busy {
		byFrom := func(a, b span) int { return cmp.Compare(a.from, b.from) }
		if !slices.IsSortedFunc(bs, byFrom) {
			slices.SortFunc(bs, byFrom)
		}
	}
	p.cursor = make([]int, len(p.counters))
	p.plain = make([]bool, len(p.counters))
	for i, c := range p.counters {
		p.plain[i] = len(c.Hours) == 0
		for _, e := range s.Location.Exceptions {
			if e.CounterID == c.ID {
				p.plain[i] = false
			}
		}
	}
	return p
}

// probe says what counter i can offer at t: the free capacity, and how much
// of the slot the query's channel already uses.
func (p *planner) probe(i int, t int64) (free, used int) {
	svc := &p.s.Service
	from, to := t-int64(svc.BufferBefore), t+int64(svc.Duration+svc.BufferAfter)
	bs := p.busy[i]
	j := p.cursor[i]
	for j < len(bs) && bs[j].to <= from {
		j++
	}
	p.cursor[i] = j
	same := 0
	blocked := false
	for k := j; k < len(bs) && bs[k].from < to; k++ {
		b := &bs[k]
		if b.to <= from {
			continue
		}
		if b.start == t && b.sameChannel {
			used++
		}
		if b.sameService && b.start == t {
			same++
			continue
		}
		blocked = true
	}
	if blocked || same >= svc.Capacity {
		return 0, used
	}
	return svc.Capacity - same, used
}

// cand is a slot start on a day with the totals over its counters.
type cand struct {
	start     int64
	free      [maxCounters / 64]uint64
	remaining int
	capacity  int
	used      int
}

// day appends the candidate slots of d (all counters, free or not) to out in
// start order.
func (p *planner) day(d calendar.Date, out []cand) []cand {
	svc := &p.s.Service
	step, dur := int64(svc.Step()), int64(svc.Duration)
	earliest := p.earliest.UnixNano()
	latest := int64(math.MaxInt64)
	if !p.latest.IsZero() {
		latest = p.latest.UnixNano()
	}
	for ci := range p.counters {
		k := 0 // merge cursor into out, which is sorted by start
		for _, w := range p.windows(ci, d) {
			for t := w.open; t+dur <= w.close; t += step {
				if t < earliest || t > latest {
					continue
				}
				free, used := p.probe(ci, t)
				for k < len(out) && out[k].start < t {
					k++
				}
				if k == len(out) || out[k].start != t {
					out = slices.Insert(out, k, cand{start: t})
				}
				o := &out[k]
				o.capacity += svc.Capacity
				o.used += used
				if free > 0 {
					o.remaining += free
					o.free[ci/64] |= 1 << (ci % 64)
				}
			}
		}
	}
	return out
}

// slot applies the channel quota to c and, if anything is left, returns the
// slot.
func (p *planner) slot(c *cand) (Slot, bool) {
	rem := c.remaining
	if p.quota >= 0 {
		rem = max(0, min(rem, c.capacity*p.quota/100-c.used))
	}
	if rem <= 0 {
		return Slot{}, false
	}
	if len(p.names)+len(p.counters) > cap(p.names) {
		// A fresh chunk, not a grown copy: earlier slots keep theirs.
		p.names = make([]string, 0, max(1024, 2*cap(p.names)))
	}
	first := len(p.names)
	for ci, k := range p.counters {
		if c.free[ci/64]&(1<<(ci%64)) != 0 {
			p.names = append(p.names, k.ID)
		}
	}
	start := time.Unix(0, c.start).In(clock.Brussels)
	return Slot{Start: start, End: start.Add(p.s.Service.Duration), Counters: p.names[first:len(p.names):len(p.names)], Remaining: rem}, true
}

// each yields the free slots between from and to (inclusive dates) in order.
func (p *planner) each(from, to calendar.Date, yield func(Slot) bool) {
	first := calendar.DateIn(p.earliest)
	if from.Before(first) {
		from = first
	}
	if !p.latest.IsZero() {
		if last := calendar.DateIn(p.latest); to.After(last) {
			to = last
		}
	}
	var buf []cand
	for d := from; !d.After(to); d = d.AddDays(1) {
		buf = p.day(d, buf[:0])
		for i := range buf {
			if sl, ok := p.slot(&buf[i]); ok && !yield(sl) {
				return
			}
		}
	}
}

// FreeSlots returns the free slots of the schedule's service at its location
// from one date to another, inclusive, honouring opening hours, exceptions,
// public holidays and closing days, bookings and holds with their buffers,
// the minimum notice, the horizon and the channel quota.
func FreeSlots(s Schedule, from, to calendar.Date) []Slot {
	p := newPlanner(&s)
	var out []Slot
	p.each(from, to, func(sl Slot) bool {
		out = append(out, sl)
		return true
	})
	return out
}

// maxSearchDays bounds searches without a horizon.
const maxSearchDays = 366

// NextFreeSlot returns the first free slot from now on.
func NextFreeSlot(s Schedule) (Slot, bool) {
	p := newPlanner(&s)
	from := calendar.DateIn(s.Now)
	var found Slot
	ok := false
	p.each(from, from.AddDays(maxSearchDays), func(sl Slot) bool {
		found, ok = sl, true
		return false
	})
	return found, ok
}

// FirstFreeDay returns the first day from now on with a free slot.
func FirstFreeDay(s Schedule) (calendar.Date, bool) {
	sl, ok := NextFreeSlot(s)
	if !ok {
		return calendar.Date{}, false
	}
	return calendar.DateIn(sl.Start), true
}

package casefile

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/btree"
	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// idKey is an entry of the ID index: a case ID as two big-endian words,
// which compare faster than 16 bytes, and where the case is kept.
type idKey struct {
	hi, lo uint64
	slot   uint32 // not part of the order
}

func idKeyOf(id uuid.UUID) idKey {
	return idKey{hi: binary.BigEndian.Uint64(id[:8]), lo: binary.BigEndian.Uint64(id[8:])}
}

func idLess(a, b idKey) bool {
	return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo
}

// dueKey is an entry of the deadline index: earliest due first, ties by ID.
type dueKey struct {
	due int64 // Unix microseconds, the precision every store keeps
	idKey
}

func dueLess(a, b dueKey) bool {
	if a.due != b.due {
		return a.due < b.due
	}
	return idLess(a.idKey, b.idKey)
}

// reqKey is an entry of the requester index: a hash of the requester's ID
// and the case's ID key, ordered by hash, then ID. Holding a hash rather
// than the ID itself keeps the entry free of pointers and requester IDs
// out of the symbol table (there are about as many requesters as cases);
// cases of another requester whose ID hashes alike share the run and are
// told apart by the listing's filter, which compares the ID itself.
type reqKey struct {
	req uint64
	idKey
}

func reqLess(a, b reqKey) bool {
	if a.req != b.req {
		return a.req < b.req
	}
	return idLess(a.idKey, b.idKey)
}

// yearKey names a run of reference numbers: a municipality (its symbol)
// and a year.
type yearKey struct {
	municipality uint32
	year         int
}

// MemStore is the in-memory Store: the reference implementation, used by
// tests and examples. It keeps three ordered indexes (creation order, by
// requester in creation order and, for cases whose deadline runs, due
// date) so listings, overdue ones and a requester's own included, cost the
// size of the page rather than the number of cases.
// Events go to the sink while the lock that commits the change is held;
// when the sink fails, nothing changes.
//
// Cases and timeline entries are kept packed (see caseRec, entryRec and
// textArena) in append-only chunked tables, and the indexes hold positions
// in them, so a case costs the garbage collector no pointer to follow: a
// store of a million cases is marked in milliseconds. Every read builds a
// fresh Case or Entry, so what the store hands out is always a copy.
type MemStore struct {
	mu   sync.RWMutex
	sink event.Sink

	cases       chunked[caseRec]
	entries     chunked[entryRec]
	extras      chunked[entryExtra]
	attachments chunked[[]Attachment]
	loops       chunked[caseLoop]
	purges      []PurgeRun
	texts       textArena
	syms        symbols
	locs        locations

	byID  *btree.BTreeG[idKey]
	byDue *btree.BTreeG[dueKey]
	// byReq holds the cases with a requester ID; reqSeed hashes the IDs.
	byReq   *btree.BTreeG[reqKey]
	reqSeed maphash.Seed
	// numbered holds, per municipality and year, the cases in the order
	// of their reference numbers: number n is at index n-1, and the
	// next number to hand out is one more than the count.
	numbered map[yearKey]*chunked[uint32]
	// keys finds a case by municipality and idempotency key.
	keys     map[idemKey]uint32
	thisYear struct {
		year     int
		from, to int64 // Unix seconds: [from, to)
	}

	// extras holds the seldom-set parts of the cases that have any
	// (answers to extra questions, an address ID, a media URL); nil until
	// one has.
	extraParts map[uuid.UUID]caseExtra
	// near is the spatial index of open cases with a point (see Nearby).
	near nearIndex
}

// NewMemStore returns an empty store that publishes to sink (event.Discard
// when nil).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{
		sink:     sink,
		syms:     newSymbols(),
		byID:     btree.NewG(32, idLess),
		byDue:    btree.NewG(32, dueLess),
		byReq:    btree.NewG(32, reqLess),
		reqSeed:  maphash.MakeSeed(),
		numbered: map[yearKey]*chunked[uint32]{},
		keys:     map[idemKey]uint32{},
	}
}

var _ Store = (*MemStore)(nil)

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, c *Case, build Mutation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Inserting the ID is also the check that it is new; a failed build
	// takes it out again. The case will be kept at the next slot.
	var ik idemKey
	if c.IdempotencyKey != "" {
		ik = idemKey{s.syms.intern(c.Municipality), c.IdempotencyKey}
		if slot, ok := s.keys[ik]; ok {
			return &DuplicateError{Key: c.IdempotencyKey, ID: s.cases.at(slot).id}
		}
	}
	key := idKeyOf(c.ID)
	key.slot = s.cases.n
	if old, dup := s.byID.ReplaceOrInsert(key); dup {
		s.byID.ReplaceOrInsert(old)
		return fmt.Errorf("%w: case %s exists", ErrConflict, c.ID)
	}
	year := s.year(c.CreatedAt)
	yk := yearKey{s.syms.intern(c.Municipality), year}
	numbers := s.numbered[yk]
	if numbers == nil {
		numbers = new(chunked[uint32])
		s.numbered[yk] = numbers
	}
	// The reference is written straight into the case's packed text, and
	// c gets it from there.
	var ref [48]byte
	fields := caseTexts(c)
	text := s.texts.put(&fields, appendReference(ref[:0], year, int64(numbers.n)+1))
	c.Reference = textField(s.texts.get(text), textReference)
	fields[textReference] = c.Reference
	c.Version = 1
	id, municipality := c.ID, c.Municipality
	rec, err := build(c)
	if err == nil {
		err = s.publish(ctx, rec.Events)
	}
	if err != nil {
		s.byID.Delete(key)
		return err
	}
	c.ID, c.Reference, c.Municipality = id, fields[textReference], municipality // as numbered and indexed
	slot, r := s.cases.add()
	r.text = text
	s.pack(r, c, &fields)
	_, n := numbers.add()
	*n = slot
	if r.running() {
		s.byDue.ReplaceOrInsert(dueKey{r.due.micro(), key})
	}
	if c.Requester.ID != "" {
		s.byReq.ReplaceOrInsert(reqKey{s.reqHash(c.Requester.ID), key})
	}
	if c.IdempotencyKey != "" {
		s.keys[ik] = slot
	}
	s.near.update(nil, r, slot)
	s.appendEntries(r, rec.Entries)
	return nil
}

// idemKey is a municipality (as a symbol) and an idempotency key.
type idemKey struct {
	municipality uint32
	key          string
}

// year returns the year of t in Brussels, which numbers references. The
// bounds of the last year asked for are kept: nearly every case falls in it.
func (s *MemStore) year(t time.Time) int {
	if u := t.Unix(); s.thisYear.from <= u && u < s.thisYear.to {
		return s.thisYear.year
	}
	y := calendar.DateIn(t).Year
	from := time.Date(y, time.January, 1, 0, 0, 0, 0, clock.Brussels)
	s.thisYear.year, s.thisYear.from, s.thisYear.to = y, from.Unix(), from.AddDate(1, 0, 0).Unix()
	return y
}

func (s *MemStore) publish(ctx context.Context, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := s.sink.Publish(ctx, events...); err != nil {
		return fmt.Errorf("casefile: publish events: %w", err)
	}
	return nil
}

// pack stores c into r, reusing what did not change. texts are the text
// fields r holds, as strings of the store's text arena: a field the
// mutation left alone is the very same string, which compares in an
// instant.
func (s *MemStore) pack(r *caseRec, c *Case, texts *[textFields]string) {
	t := &s.syms
	r.id, r.mergedInto, r.point = c.ID, c.MergedInto, c.Location.Point
	r.due, r.suspended = s.locs.stamp(c.Due), s.locs.stamp(c.SuspendedAt)
	r.created, r.updated = s.locs.stamp(c.CreatedAt), s.locs.stamp(c.UpdatedAt)
	r.version, r.closed = c.Version, c.Closed
	if fields := caseTexts(c); fields != *texts {
		r.text = s.texts.put(&fields, nil)
	}
	r.municipality = t.keep(c.Municipality, r.municipality)
	r.typ = t.keep(c.Type, r.typ)
	r.category = t.keep(c.Category, r.category)
	r.subcategory = t.keep(c.Subcategory, r.subcategory)
	r.channel = t.keep(string(c.Channel), r.channel)
	r.requesterKind = t.keep(string(c.Requester.Kind), r.requesterKind)
	r.status = t.keep(c.Status, r.status)
	r.result = t.keep(c.Result, r.result)
	r.team = t.keep(c.Team, r.team)
	r.assignee = t.keep(c.Assignee, r.assignee)
	r.priority = t.keep(string(c.Priority), r.priority)
	s.packAttachments(r, c.Attachments)
	s.packLoop(r, c)
	s.packExtra(r.id, c)
}

func (s *MemStore) packAttachments(r *caseRec, as []Attachment) {
	switch {
	case len(as) == 0:
		if r.attachments != 0 {
			*s.attachments.at(r.attachments - 1) = nil
			r.attachments = 0
		}
	case r.attachments == 0:
		i, kept := s.attachments.add()
		*kept = slices.Clone(as)
		r.attachments = i + 1
	case !slices.Equal(*s.attachments.at(r.attachments - 1), as):
		*s.attachments.at(r.attachments - 1) = slices.Clone(as)
	}
}

// load fills c, a zero Case, from r; c shares nothing mutable with the
// store. Assigning field by field spares building the case on the stack
// and copying it over.
func (s *MemStore) load(r *caseRec, c *Case) {
	n := s.syms.names
	c.ID, c.MergedInto, c.Location.Point = r.id, r.mergedInto, r.point
	c.Municipality, c.Type, c.Category, c.Subcategory = n[r.municipality], n[r.typ], n[r.category], n[r.subcategory]
	c.Requester.Kind, c.Channel, c.Priority = PartyKind(n[r.requesterKind]), Channel(n[r.channel]), Priority(n[r.priority])
	c.Status, c.Result, c.Team, c.Assignee = n[r.status], n[r.result], n[r.team], n[r.assignee]
	c.Due, c.SuspendedAt = s.locs.time(r.due), s.locs.time(r.suspended)
	c.CreatedAt, c.UpdatedAt = s.locs.time(r.created), s.locs.time(r.updated)
	c.Closed, c.Version = r.closed, r.version
	unpackText(s.texts.get(r.text), c)
	if r.attachments != 0 {
		c.Attachments = slices.Clone(*s.attachments.at(r.attachments - 1))
	}
	s.loadLoop(r, c)
	if len(s.extraParts) > 0 {
		s.loadExtra(r.id, c)
	}
}

// appendEntries adds the entries of one change to r's timeline.
func (s *MemStore) appendEntries(r *caseRec, entries []Entry) {
	t := &s.syms
	for i := range entries {
		e := &entries[i]
		idx, er := s.entries.add()
		*er = entryRec{id: e.ID, at: s.locs.stamp(e.At), version: e.Version, prev: r.lastEntry,
			kind: t.intern(string(e.Kind)), actorID: t.intern(e.Actor.ID), actorRole: t.intern(string(e.Actor.Role)),
			transition: t.intern(e.Transition), from: t.keep(e.FromStatus, r.status), to: t.keep(e.ToStatus, r.status),
			result: t.keep(e.Result, r.result), team: t.keep(e.Team, r.team), assignee: t.keep(e.Assignee, r.assignee),
			public: e.Public}
		if e.CaseID != r.id || e.Text != "" || e.Attachment != "" || e.Related != uuid.Nil {
			i, x := s.extras.add()
			*x = entryExtra{caseID: e.CaseID, related: e.Related, text: e.Text, attachment: e.Attachment}
			er.extra = i + 1
		}
		r.lastEntry = idx + 1
	}
}

func (s *MemStore) entry(er *entryRec, caseID uuid.UUID) Entry {
	n := s.syms.names
	e := Entry{ID: er.id, CaseID: caseID, Kind: EntryKind(n[er.kind]), Actor: Actor{ID: n[er.actorID], Role: Role(n[er.actorRole])},
		At: s.locs.time(er.at), Public: er.public, Transition: n[er.transition], FromStatus: n[er.from], ToStatus: n[er.to],
		Result: n[er.result], Team: n[er.team], Assignee: n[er.assignee], Version: er.version}
	if er.extra != 0 {
		x := s.extras.at(er.extra - 1)
		e.CaseID, e.Related, e.Text, e.Attachment = x.caseID, x.related, x.text, x.attachment
	}
	return e
}

// reqHash is the requester index's hash of a requester ID.
func (s *MemStore) reqHash(id string) uint64 {
	return maphash.String(s.reqSeed, id)
}

// slot returns where the case with id is kept.
func (s *MemStore) slot(id uuid.UUID) (uint32, bool) {
	k, ok := s.byID.Get(idKeyOf(id))
	return k.slot, ok
}

// Get implements Store.
func (s *MemStore) Get(_ context.Context, id uuid.UUID) (*Case, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	slot, ok := s.slot(id)
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	c := new(Case)
	s.load(s.cases.at(slot), c)
	return c, nil
}

// GetByReference implements Store.
func (s *MemStore) GetByReference(_ context.Context, municipality, reference string) (*Case, error) {
	year, n, ok := parseReference(reference)
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, known := s.syms.lookup(municipality)
	numbers := s.numbered[yearKey{m, year}]
	if !ok || !known || numbers == nil || n < 1 || n > int64(numbers.n) || s.deleted(s.cases.at(*numbers.at(uint32(n - 1)))) {
		return nil, fmt.Errorf("%w: case %s of %s", ErrNotFound, reference, municipality)
	}
	c := new(Case)
	s.load(s.cases.at(*numbers.at(uint32(n - 1))), c)
	return c, nil
}

// parseReference undoes FormatReference.
func parseReference(ref string) (year int, n int64, ok bool) {
	i := strings.LastIndexByte(ref, '-')
	if i <= 0 {
		return 0, 0, false
	}
	y, err := strconv.Atoi(ref[:i])
	if err != nil {
		return 0, 0, false
	}
	if n, err = strconv.ParseInt(ref[i+1:], 10, 64); err != nil {
		return 0, 0, false
	}
	var b [48]byte
	return y, n, string(appendReference(b[:0], y, n)) == ref
}

// Update implements Store.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, fn Mutation) (*Case, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	slot, ok := s.slot(id)
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	r := s.cases.at(slot)
	c := new(Case) // fn's working copy, handed back to the caller
	s.load(r, c)
	c.Version = r.version + 1
	ref, municipality := c.Reference, c.Municipality
	texts := caseTexts(c)
	rec, err := fn(c)
	if err != nil {
		return nil, err
	}
	if err := s.publish(ctx, rec.Events); err != nil {
		return nil, err
	}
	c.ID, c.Reference, c.Municipality = id, ref, municipality // identity never changes
	c.IdempotencyKey, c.RequestDigest = texts[textIdempotencyKey], texts[textRequestDigest]
	if rec.Delete {
		s.remove(id, slot, r, &texts)
		return c, nil
	}
	if rec.RedactTimeline {
		s.redact(r)
	}
	wasRunning, oldDue := r.running(), r.due.micro()
	before := *r
	s.pack(r, c, &texts)
	s.near.update(&before, r, slot)
	if running := r.running(); !wasRunning || !running || oldDue != r.due.micro() {
		key := idKeyOf(id)
		key.slot = slot
		if wasRunning {
			s.byDue.Delete(dueKey{oldDue, key})
		}
		if running {
			s.byDue.ReplaceOrInsert(dueKey{r.due.micro(), key})
		}
	}
	if old, now := texts[textRequesterID], c.Requester.ID; old != now {
		key := idKeyOf(id)
		key.slot = slot
		if old != "" {
			s.byReq.Delete(reqKey{s.reqHash(old), key})
		}
		if now != "" {
			s.byReq.ReplaceOrInsert(reqKey{s.reqHash(now), key})
		}
	}
	s.appendEntries(r, rec.Entries)
	return c, nil
}

// Timeline implements Store.
func (s *MemStore) Timeline(_ context.Context, id uuid.UUID) ([]Entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	slot, ok := s.slot(id)
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	r := s.cases.at(slot)
	n := 0
	for i := r.lastEntry; i != 0; i = s.entries.at(i - 1).prev {
		n++
	}
	out := make([]Entry, n)
	for i := r.lastEntry; i != 0; i = s.entries.at(i - 1).prev {
		n--
		out[n] = s.entry(s.entries.at(i-1), id)
	}
	return out, nil
}

// packedQuery is a Query in the store's symbols.
type packedQuery struct {
	q                                                   *Query
	texts                                               *textArena
	store                                               *MemStore
	municipality, typ, status, team, assignee, category uint32
	// none is set when a filter names a string no case holds.
	none bool
}

func (s *MemStore) packQuery(q *Query) packedQuery {
	p := packedQuery{q: q, texts: &s.texts, store: s}
	for _, f := range [...]struct {
		s  string
		to *uint32
	}{{q.Municipality, &p.municipality}, {q.Type, &p.typ}, {q.Status, &p.status}, {q.Team, &p.team},
		{q.Assignee, &p.assignee}, {q.Category, &p.category}} {
		n, ok := s.syms.lookup(f.s)
		*f.to = n
		p.none = p.none || !ok
	}
	return p
}

// matches is Query.Matches on a packed case.
func (p *packedQuery) matches(r *caseRec) bool {
	q := p.q
	return (p.municipality == 0 || p.municipality == r.municipality) &&
		(p.typ == 0 || p.typ == r.typ) &&
		(p.status == 0 || p.status == r.status) &&
		(p.team == 0 || p.team == r.team) &&
		(p.assignee == 0 || p.assignee == r.assignee) &&
		(p.category == 0 || p.category == r.category) &&
		(q.MergedInto == uuid.Nil || q.MergedInto == r.mergedInto) &&
		(!q.OpenOnly || !r.closed) &&
		(q.DueBefore.IsZero() || (r.running() && r.due.before(q.DueBefore))) &&
		(q.RequesterID == "" || q.RequesterID == textField(p.texts.get(r.text), textRequesterID)) &&
		(q.PurgeableBefore.IsZero() || p.store.purgeable(r, q.PurgeableBefore))
}

// List implements Store.
func (s *MemStore) List(_ context.Context, q Query) (Page, error) {
	cur, err := ParseCursor(q)
	if err != nil {
		return Page{}, err
	}
	size := q.PageSize()
	page := Page{Cases: make([]*Case, 0, min(size, 64))}
	// The copies handed out are carved from blocks of up to 16 cases: one
	// allocation per block instead of one per case. A caller keeping one
	// case of a page keeps its block alive, a fair price for a page.
	var block []Case
	s.mu.RLock()
	defer s.mu.RUnlock()
	var last *Case
	s.walk(&q, cur, func(r *caseRec) bool {
		if len(page.Cases) == size {
			page.Next = CursorAfter(q, last)
			return false
		}
		if len(block) == cap(block) {
			block = make([]Case, 0, min(size-len(page.Cases), 16))
		}
		block = block[:len(block)+1]
		last = &block[len(block)-1]
		s.load(r, last)
		page.Cases = append(page.Cases, last)
		return true
	})
	return page, nil
}

// ListSummaries implements Store: List's walk, each case summarised from
// its packed record without unpacking the rest of it.
func (s *MemStore) ListSummaries(_ context.Context, q Query) (SummaryPage, error) {
	cur, err := ParseCursor(q)
	if err != nil {
		return SummaryPage{}, err
	}
	size := q.PageSize()
	page := SummaryPage{Summaries: make([]Summary, 0, min(size, 64))}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.syms.names
	s.walk(&q, cur, func(r *caseRec) bool {
		if len(page.Summaries) == size {
			page.Next = SummaryCursorAfter(q, page.Summaries[size-1])
			return false
		}
		page.Summaries = append(page.Summaries, Summary{ID: r.id, Reference: textField(s.texts.get(r.text), textReference),
			Type: n[r.typ], Category: n[r.category], Subcategory: n[r.subcategory], RequesterKind: PartyKind(n[r.requesterKind]),
			Status: n[r.status], Closed: r.closed, Due: s.locs.time(r.due)})
		return true
	})
	return page, nil
}

// walk calls visit with the records of the cases q selects, in the
// listing's order and after cur, until visit returns false. The caller
// holds the read lock.
func (s *MemStore) walk(q *Query, cur Cursor, visit func(*caseRec) bool) {
	pq := s.packQuery(q)
	if pq.none {
		return
	}
	match := func(k idKey) bool {
		r := s.cases.at(k.slot)
		if !pq.matches(r) {
			return true
		}
		return visit(r)
	}
	if q.RequesterID != "" {
		s.listRequester(q, cur, match)
		return
	}
	if !q.DueBefore.IsZero() {
		end := q.DueBefore.UnixMicro()
		after := dueKey{cur.Due.UnixMicro(), idKeyOf(cur.ID)}
		walk := func(k dueKey) bool {
			if k.due >= end {
				return false
			}
			if q.Cursor != "" && k.due == after.due && k.hi == after.hi && k.lo == after.lo {
				return true
			}
			return match(k.idKey)
		}
		if q.Cursor == "" {
			s.byDue.Ascend(walk)
		} else {
			s.byDue.AscendGreaterOrEqual(after, walk)
		}
		return
	}
	after := idKeyOf(cur.ID)
	walk := func(k idKey) bool {
		if q.Cursor != "" && k.hi == after.hi && k.lo == after.lo {
			return true
		}
		return match(k)
	}
	if q.Cursor == "" {
		s.byID.Ascend(walk)
	} else {
		s.byID.AscendGreaterOrEqual(after, walk)
	}
}

// listRequester visits, in the listing's order and after its cursor, the
// cases of q.RequesterID, until visit returns false. In creation order it
// walks the requester's run of the index; in due order it sorts the
// requester's running cases by due date, which costs the number of cases
// one requester filed, not the number of cases due.
func (s *MemStore) listRequester(q *Query, cur Cursor, visit func(idKey) bool) {
	req := s.reqHash(q.RequesterID)
	from := reqKey{req: req}
	if q.Cursor != "" {
		from.idKey = idKeyOf(cur.ID)
	}
	if q.DueBefore.IsZero() {
		s.byReq.AscendGreaterOrEqual(from, func(k reqKey) bool {
			if k.req != req {
				return false
			}
			if q.Cursor != "" && k.hi == from.hi && k.lo == from.lo {
				return true
			}
			return visit(k.idKey)
		})
		return
	}
	var due []dueKey
	s.byReq.AscendGreaterOrEqual(reqKey{req: req}, func(k reqKey) bool {
		if k.req != req {
			return false
		}
		if r := s.cases.at(k.slot); r.running() && r.due.before(q.DueBefore) {
			due = append(due, dueKey{r.due.micro(), k.idKey})
		}
		return true
	})
	slices.SortFunc(due, func(a, b dueKey) int {
		switch {
		case dueLess(a, b):
			return -1
		case dueLess(b, a):
			return 1
		}
		return 0
	})
	i := 0
	if q.Cursor != "" {
		after := dueKey{cur.Due.UnixMicro(), idKeyOf(cur.ID)}
		i, _ = slices.BinarySearchFunc(due, after, func(k, after dueKey) int {
			if dueLess(after, k) {
				return 1
			}
			return -1 // k is at or before the cursor
		})
	}
	for _, k := range due[i:] {
		if !visit(k.idKey) {
			return
		}
	}
}

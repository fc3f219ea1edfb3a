package casefile

import (
	"encoding/binary"
	"strings"
	"time"
	"unsafe"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// This file holds the packed form in which MemStore keeps cases and
// timeline entries. A Case is some 600 bytes with thirty-odd string
// headers; a store of a million cases would give the garbage collector
// tens of millions of pointers to follow on every cycle, and that, not the
// engine's own work, dominated the cost of filing a case. Packed, neither
// a case nor a timeline entry holds a pointer (free text lives in a byte
// arena, see textArena): a million cases take a third of the memory, and
// a full collection with them went from over half a second to about 12 ms.

// symbols interns the short strings that repeat from case to case
// (municipality, case type, category, status, team, assignee, actor,
// transition): a packed record holds a 4-byte number where a Case holds a
// 16-byte string header. Number 0 is the empty string.
type symbols struct {
	ids   map[string]uint32
	names []string
	// recent remembers numbers by a cheap hash of the string's length and
	// a few of its bytes, so the same few statuses, teams and actors are
	// found without hashing them in full.
	recent [256]uint32
}

func newSymbols() symbols {
	return symbols{ids: map[string]uint32{}, names: []string{""}}
}

// intern returns the number of s, giving it one if it has none. The string
// is copied, so a symbol never keeps a caller's larger buffer alive.
func (t *symbols) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	h := uint8(len(s)*31 + int(s[0])*7 + int(s[len(s)/2])*3 + int(s[len(s)-1]))
	if n := t.recent[h]; t.names[n] == s {
		return n
	}
	n, ok := t.ids[s]
	if !ok {
		s = strings.Clone(s)
		n = uint32(len(t.names))
		t.names = append(t.names, s)
		t.ids[s] = n
	}
	t.recent[h] = n
	return n
}

// keep returns old when it still names s (the common case when a field
// did not change: comparing a string with itself costs a pointer check),
// and interns s otherwise.
func (t *symbols) keep(s string, old uint32) uint32 {
	if t.names[old] == s {
		return old
	}
	return t.intern(s)
}

// lookup returns the number of s without interning it.
func (t *symbols) lookup(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	n, ok := t.ids[s]
	return n, ok
}

// stamp is a time.Time without the pointer: Unix seconds, nanoseconds and
// an index into the store's locations. It keeps the wall clock and the
// location exactly; a monotonic clock reading, which no store can keep,
// is dropped.
type stamp struct {
	sec  int64
	nsec int32
	loc  uint32
}

// zeroUnix is the Unix second of the zero time.Time.
var zeroUnix = time.Time{}.Unix()

func (st stamp) isZero() bool { return st.sec == zeroUnix && st.nsec == 0 }

// micro is time.Time.UnixMicro of the stamp.
func (st stamp) micro() int64 { return st.sec*1e6 + int64(st.nsec)/1e3 }

// before reports whether st lies before t.
func (st stamp) before(t time.Time) bool {
	sec := t.Unix()
	return st.sec < sec || st.sec == sec && st.nsec < int32(t.Nanosecond())
}

// locations numbers the time zones of stored times. The service only
// ever uses its clock's zone, so the first few are searched in a line; a
// caller storing parsed times may bring a zone per time, which the map
// then finds.
type locations struct {
	list []*time.Location
	more map[*time.Location]uint32 // those after the first few
}

const fewLocations = 8

func (l *locations) stamp(t time.Time) stamp {
	return stamp{sec: t.Unix(), nsec: int32(t.Nanosecond()), loc: l.index(t.Location())}
}

func (l *locations) index(loc *time.Location) uint32 {
	for i, x := range l.list[:min(len(l.list), fewLocations)] {
		if x == loc {
			return uint32(i)
		}
	}
	if i, ok := l.more[loc]; ok {
		return i
	}
	i := uint32(len(l.list))
	l.list = append(l.list, loc)
	if i >= fewLocations {
		if l.more == nil {
			l.more = map[*time.Location]uint32{}
		}
		l.more[loc] = i
	}
	return i
}

func (l *locations) time(st stamp) time.Time {
	return time.Unix(st.sec, int64(st.nsec)).In(l.list[st.loc])
}

// caseRec is a packed case. Its free-text fields are one run of bytes in
// the store's textArena; the rest are numbers.
type caseRec struct {
	id, mergedInto uuid.UUID
	point          Point
	due, suspended stamp
	created        stamp
	updated        stamp
	version        int
	text           textRef
	// attachments is 1 + an index into MemStore.attachments, 0 for none.
	attachments uint32
	// lastEntry is 1 + the index of the case's newest timeline entry.
	lastEntry uint32
	// loop is 1 + an index into MemStore.loops, 0 for none.
	loop uint32
	municipality, typ, category, subcategory, channel, requesterKind,
	status, result, team, assignee, priority uint32
	closed bool
}

// running is Case.DeadlineRunning of the packed case.
func (r *caseRec) running() bool {
	return !r.closed && !r.due.isZero() && r.suspended.isZero() && r.mergedInto == uuid.Nil
}

// The free-text fields of a case, in the order appendText writes them.
const (
	textReference = iota
	textRequesterID
	textIdempotencyKey = 14
	textRequestDigest  = 15
	textFields         = 16
)

func caseTexts(c *Case) [textFields]string {
	r, a := &c.Requester, &c.Location.Address
	return [textFields]string{c.Reference, r.ID, r.Name.Given, r.Name.Family, string(r.Email), string(r.Phone),
		a.Street, a.Number, a.Box, a.PostalCode, a.Municipality, a.Country, c.Location.Text, c.Description,
		c.IdempotencyKey, c.RequestDigest}
}

// appendText appends the free-text fields to b, each preceded by its
// length as a uvarint. A non-nil ref stands in for the reference, so a new
// case's reference need not be a string of its own.
func appendText(b []byte, fields *[textFields]string, ref []byte) []byte {
	for i, f := range fields {
		if i == textReference && ref != nil {
			b = binary.AppendUvarint(b, uint64(len(ref)))
			b = append(b, ref...)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// textLen is the length of what appendText appends.
func textLen(fields *[textFields]string, ref []byte) int {
	n := 0
	for i, f := range fields {
		l := len(f)
		if i == textReference && ref != nil {
			l = len(ref)
		}
		n += l + 1
		for ; l >= 0x80; l >>= 7 {
			n++
		}
	}
	return n
}

// textRef locates a case's packed text in the store's textArena.
type textRef struct{ chunk, off, n uint32 }

// textArena keeps the packed texts of every case (the fourteen free-text
// fields, see caseTexts) in large byte chunks: no allocation per case, and
// no object the collector must mark per case. Bytes once written are never
// changed, so strings made from them stay valid; a case read back gets
// substrings of its text, which keep their chunk alive. A text that
// changes is written anew and the old bytes are left behind: the service
// never changes these fields, so that is rare.
type textArena struct {
	chunks [][]byte
	cur    int // the chunk being filled, when there are chunks
	next   int // the size of the next chunk
}

const (
	firstTextChunk = 1 << 10 // a store with a few cases stays small
	maxTextChunk   = 64 << 10
)

// put packs fields into the arena; a non-nil ref stands in for the reference.
func (a *textArena) put(fields *[textFields]string, ref []byte) textRef {
	n := textLen(fields, ref)
	if n > maxTextChunk/4 {
		// A long text gets a chunk of its own; the current one stays open.
		a.chunks = append(a.chunks, appendText(make([]byte, 0, n), fields, ref))
		return textRef{uint32(len(a.chunks) - 1), 0, uint32(n)}
	}
	if len(a.chunks) == 0 || len(a.chunks[a.cur])+n > cap(a.chunks[a.cur]) {
		a.next = min(max(2*a.next, firstTextChunk), maxTextChunk)
		a.chunks = append(a.chunks, make([]byte, 0, a.next))
		a.cur = len(a.chunks) - 1
	}
	ch := a.chunks[a.cur]
	off := len(ch)
	a.chunks[a.cur] = appendText(ch, fields, ref) // within capacity: nothing moves
	return textRef{uint32(a.cur), uint32(off), uint32(n)}
}

// get returns the text at ref.
func (a *textArena) get(ref textRef) string {
	if ref.n == 0 {
		return ""
	}
	return unsafe.String(&a.chunks[ref.chunk][ref.off], ref.n)
}

// textReader reads the fields appendText wrote.
type textReader struct{ s string }

func (r *textReader) next() string {
	if n := int(r.s[0]); n < 0x80 { // nearly every field is shorter than 128 bytes
		f := r.s[1 : 1+n]
		r.s = r.s[1+n:]
		return f
	}
	n, i := 0, 0
	for shift := 0; ; shift += 7 {
		b := r.s[i]
		i++
		n |= int(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	f := r.s[i : i+n]
	r.s = r.s[i+n:]
	return f
}

// textField returns field i of a packed text.
func textField(text string, i int) string {
	r := textReader{text}
	for range i {
		r.next()
	}
	return r.next()
}

func unpackText(text string, c *Case) {
	r := textReader{text}
	c.Reference = r.next()
	q := &c.Requester
	q.ID, q.Name.Given, q.Name.Family = r.next(), r.next(), r.next()
	q.Email, q.Phone = pii.Email(r.next()), pii.Phone(r.next())
	a := &c.Location.Address
	a.Street, a.Number, a.Box, a.PostalCode, a.Municipality, a.Country = r.next(), r.next(), r.next(), r.next(), r.next(), r.next()
	c.Location.Text, c.Description = r.next(), r.next()
	c.IdempotencyKey, c.RequestDigest = r.next(), r.next()
}

// entryRec is a packed timeline entry. It holds no pointer: the rare
// free-text parts live in MemStore.extras.
type entryRec struct {
	id      uuid.UUID
	at      stamp
	version int
	// prev is 1 + the index of the case's previous entry, 0 for its first:
	// a case's timeline is a chain through the store's one entry log.
	prev uint32
	// extra is 1 + an index into MemStore.extras, 0 when the entry has no
	// text, attachment, related case, or case ID other than its case's.
	extra                                                                  uint32
	kind, actorID, actorRole, transition, from, to, result, team, assignee uint32
	public                                                                 bool
}

// entryExtra holds the parts of an entry that are seldom set.
type entryExtra struct {
	caseID, related  uuid.UUID
	text, attachment string
}

// chunkSize is the number of records per chunk of a chunked table.
const chunkSize = 1024

// chunked is an append-only table of records in fixed chunks, so growing
// it never copies what it holds and a record's index stays valid. The
// first chunk starts small and doubles, so a store with a handful of
// cases stays small too.
type chunked[T any] struct {
	chunks [][]T
	n      uint32
}

// add appends a zero record and returns its index and address. The
// address is valid until the next add.
func (t *chunked[T]) add() (uint32, *T) {
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last]) == chunkSize {
		size := chunkSize
		if last < 0 {
			size = 8
		}
		t.chunks = append(t.chunks, make([]T, 0, size))
		last++
	}
	ch := t.chunks[last]
	if len(ch) == cap(ch) {
		grown := make([]T, len(ch), min(2*cap(ch), chunkSize))
		copy(grown, ch)
		ch = grown
	}
	ch = ch[:len(ch)+1]
	t.chunks[last] = ch
	i := t.n
	t.n++
	return i, &ch[len(ch)-1]
}

// at returns the address of record i, valid until the next add.
func (t *chunked[T]) at(i uint32) *T {
	return &t.chunks[i/chunkSize][i%chunkSize]
}

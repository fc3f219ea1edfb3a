package delivery

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// State is where a delivery as a whole stands.
type State string

// Delivery states.
const (
	// StateActive: a send is pending, or a read or fallback timer runs.
	StateActive    State = "active"
	StateCompleted State = "completed"
	StateFailed    State = "failed"
	// StateNoChannel: routing found no channel; a clerk must act.
	StateNoChannel State = "no_channel"
)

// Attempt is one channel's try at a document. A delivery has at most one
// attempt per channel, which is what "never twice on the same channel" means.
type Attempt struct {
	Channel     ChannelKind `json:"channel"`
	Key         string      `json:"key"`
	Status      Status      `json:"status"`
	ProviderRef string      `json:"provider_ref,omitempty"`
	Tries       int         `json:"tries"`
	StartedAt   time.Time   `json:"started_at"`
	SentAt      time.Time   `json:"sent_at,omitzero"`
	UpdatedAt   time.Time   `json:"updated_at"`
	LastError   string      `json:"last_error,omitempty"`
}

// Delivery ("verzending") is one document on its way to its recipient, and
// the queue entry the Dispatcher works on.
type Delivery struct {
	ID            uuid.UUID `json:"id"` // the document ID
	Document      Document  `json:"document"`
	ContentSHA256 string    `json:"content_sha256"`
	Recipient     Recipient `json:"recipient"`
	// Rule is the rule as it was when routed; later rule changes do not
	// alter a delivery under way.
	Rule     Rule      `json:"rule"`
	Decision Decision  `json:"decision"`
	Attempts []Attempt `json:"attempts"`
	State    State     `json:"state"`
	// NextAt is when the dispatcher must look again; zero when it need not.
	NextAt time.Time `json:"next_at,omitzero"`
	// LeaseID and LeaseUntil mark a claim by a dispatcher. An expired lease
	// makes the delivery due again, which is how a crash is recovered.
	LeaseID      uuid.UUID `json:"lease_id"`
	LeaseUntil   time.Time `json:"lease_until,omitzero"`
	EvidenceSeq  int       `json:"evidence_seq"`
	EvidenceHead string    `json:"evidence_head"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
}

// Change is what one state change writes besides the delivery itself:
// evidence entries to append and events to publish, both atomically with it.
type Change struct {
	Evidence []Evidence
	Events   []event.Event
}

// DueAt is when the delivery is next due for the dispatcher, or zero.
func (d *Delivery) DueAt() time.Time {
	if d.NextAt.IsZero() {
		return time.Time{}
	}
	if d.LeaseUntil.After(d.NextAt) {
		return d.LeaseUntil
	}
	return d.NextAt
}

// Current returns the latest attempt, or nil.
func (d *Delivery) Current() *Attempt {
	if len(d.Attempts) == 0 {
		return nil
	}
	return &d.Attempts[len(d.Attempts)-1]
}

func (d *Delivery) attempt(key string) *Attempt {
	for i := range d.Attempts {
		if d.Attempts[i].Key == key {
			return &d.Attempts[i]
		}
	}
	return nil
}

func (d *Delivery) tried(ch ChannelKind) bool {
	for _, a := range d.Attempts {
		if a.Channel == ch {
			return true
		}
	}
	return false
}

func (d *Delivery) record(c *Change, e Evidence) {
	e.DocumentID = d.ID
	e.Seq = d.EvidenceSeq + 1
	e.PrevHash = d.EvidenceHead
	e.Hash = e.ComputeHash()
	d.EvidenceSeq, d.EvidenceHead = e.Seq, e.Hash
	c.Evidence = append(c.Evidence, e)
}

func (d *Delivery) emit(c *Change, typ string, now time.Time, ch ChannelKind, st Status) {
	// The payload names no personal data: document, channel and status only.
	c.Events = append(c.Events, event.Event{ID: id.New(), Type: typ, AggregateID: d.ID, Time: now,
		Payload: StatusChanged{DocumentID: d.ID, Channel: ch, Status: st, State: d.State}})
}

// StatusChanged is the payload of the delivery events.
type StatusChanged struct {
	DocumentID uuid.UUID   `json:"document_id"`
	Channel    ChannelKind `json:"channel,omitempty"`
	Status     Status      `json:"status,omitempty"`
	State      State       `json:"state"`
}

// Event types.
const (
	EventQueued        = "delivery.queued"
	EventStatusChanged = "delivery.status_changed"
	EventCompleted     = "delivery.completed"
	EventFailed        = "delivery.failed"
	EventNoChannel     = "delivery.no_channel"
)

// recipientFor is "to whom" in the evidence: the party and the contact used
// on the channel, the address in the Belgian postal format. It is built in
// one allocation because every routed document needs it.
func (d *Delivery) recipientFor(ch ChannelKind) string {
	p := d.Recipient.Party
	var b strings.Builder
	b.Grow(96)
	b.WriteString(string(p.Kind))
	b.WriteByte(':')
	b.WriteString(p.ID)
	switch a := d.Recipient.Address; {
	case ch == ChannelEmail:
		b.WriteString(" <")
		b.WriteString(string(d.Recipient.Email))
		b.WriteByte('>')
	case ch == ChannelPaper && a != nil:
		b.WriteString(" / ")
		b.WriteString(a.Street)
		b.WriteByte(' ')
		b.WriteString(a.Number)
		if a.Box != "" {
			b.WriteString(" bus ")
			b.WriteString(a.Box)
		}
		b.WriteString(" / ")
		b.WriteString(a.PostalCode)
		b.WriteByte(' ')
		for _, r := range a.Municipality {
			b.WriteRune(unicode.ToUpper(r))
		}
		if a.Country != "" && a.Country != "BE" {
			b.WriteString(" / ")
			b.WriteString(a.Country)
		}
	}
	return b.String()
}

// startAttempt queues the document on a channel. kind is the evidence
// entry: EvidenceRouted for the first channel, EvidenceQueued for a fallback.
func (d *Delivery) startAttempt(c *Change, kind string, ch ChannelKind, now time.Time, detail string) {
	d.Attempts = append(d.Attempts, Attempt{Channel: ch, Key: IdempotencyKey(d.ID, ch), Status: StatusQueued, StartedAt: now, UpdatedAt: now})
	d.State = StateActive
	d.NextAt = now
	d.record(c, Evidence{At: now, Kind: kind, Channel: ch, Status: StatusQueued, ContentSHA256: d.ContentSHA256, Recipient: d.recipientFor(ch), Detail: detail})
	d.emit(c, EventQueued, now, ch, StatusQueued)
}

func (d *Delivery) finish(c *Change, st State, now time.Time, detail string) {
	d.State = st
	d.NextAt = time.Time{}
	kind, typ := EvidenceCompleted, EventCompleted
	if st == StateFailed {
		kind, typ = EvidenceFailed, EventFailed
	}
	d.record(c, Evidence{At: now, Kind: kind, Detail: detail})
	d.emit(c, typ, now, "", "")
}

// sent applies a successful send of the current attempt.
func (d *Delivery) sent(c *Change, r Receipt, now time.Time) {
	a := d.Current()
	st := r.Status
	if st != StatusDelivered && st != StatusRead {
		st = StatusSent
	}
	a.Status, a.ProviderRef, a.SentAt, a.UpdatedAt, a.LastError = st, r.ProviderRef, now, now, ""
	d.record(c, Evidence{At: now, Kind: EvidenceSent, Channel: a.Channel, Status: st, ContentSHA256: d.ContentSHA256, Recipient: d.recipientFor(a.Channel), Detail: r.ProviderRef})
	d.emit(c, EventStatusChanged, now, a.Channel, st)
	d.afterProgress(c, a, now)
}

// afterProgress decides what the delivery waits for once a message is out.
func (d *Delivery) afterProgress(c *Change, a *Attempt, now time.Time) {
	if a != d.Current() || d.State != StateActive {
		return
	}
	switch {
	case a.Status == StatusRead || !a.Channel.Digital():
		d.finish(c, StateCompleted, now, string(a.Status)+" on "+string(a.Channel))
	case d.Rule.Fallback.AfterDaysUnread > 0 && !d.tried(d.Rule.FallbackChannel()):
		if d.NextAt.IsZero() || !d.NextAt.After(a.SentAt) {
			d.NextAt = a.SentAt.In(clock.Brussels).AddDate(0, 0, d.Rule.Fallback.AfterDaysUnread)
		}
	case d.Rule.ReadConfirmation:
		d.NextAt = time.Time{} // wait for a read signal; nothing to schedule
	default:
		d.finish(c, StateCompleted, now, string(a.Status)+" on "+string(a.Channel))
	}
}

// sendFailed applies a failed send of the current attempt.
func (d *Delivery) sendFailed(c *Change, err error, now time.Time, maxTries int, backoff func(int) time.Duration) {
	a := d.Current()
	a.Tries++
	a.UpdatedAt = now
	a.LastError = errorText(err)
	if !errors.Is(err, ErrPermanent) && a.Tries < maxTries {
		a.Status = StatusFailedTemporary
		d.NextAt = now.Add(backoff(a.Tries))
		d.record(c, Evidence{At: now, Kind: EvidenceSendFailed, Channel: a.Channel, Status: StatusFailedTemporary, Detail: a.LastError})
		return
	}
	a.Status = StatusFailedPermanent
	d.record(c, Evidence{At: now, Kind: EvidenceSendFailed, Channel: a.Channel, Status: StatusFailedPermanent, Detail: a.LastError})
	d.emit(c, EventStatusChanged, now, a.Channel, StatusFailedPermanent)
	d.failedFor(c, now, "permanent failure on "+string(a.Channel))
}

func (d *Delivery) failedFor(c *Change, now time.Time, why string) {
	if d.Rule.Fallback.OnPermanentFailure {
		d.fallback(c, now, why)
		return
	}
	d.finish(c, StateFailed, now, why)
}

// fallback moves to the rule's fallback channel, once.
func (d *Delivery) fallback(c *Change, now time.Time, why string) {
	to := d.Rule.FallbackChannel()
	switch {
	case d.tried(to):
		d.finish(c, StateFailed, now, why+"; fallback channel "+string(to)+" already used")
	case to == ChannelPaper && d.Recipient.Address == nil:
		d.finish(c, StateFailed, now, why+"; no postal address for paper")
	default:
		d.record(c, Evidence{At: now, Kind: EvidenceFallback, Channel: to, Detail: why})
		d.startAttempt(c, EvidenceQueued, to, now, "fallback: "+why)
	}
}

// timerDue applies the fallback timer: read means done, else fall back.
func (d *Delivery) timerDue(c *Change, read bool, now time.Time) {
	a := d.Current()
	if read {
		if a.Status.CanBecome(StatusRead) {
			a.Status, a.UpdatedAt = StatusRead, now
			d.record(c, Evidence{At: now, Kind: EvidenceStatus, Channel: a.Channel, Status: StatusRead, Detail: "read signal"})
		}
		d.finish(c, StateCompleted, now, "read on "+string(a.Channel))
		return
	}
	d.fallback(c, now, "unread after "+strconv.Itoa(d.Rule.Fallback.AfterDaysUnread)+" days on "+string(a.Channel))
}

// applyStatus applies a status reported by a channel for one attempt. It
// returns ignored=true for an exact duplicate.
func (d *Delivery) applyStatus(c *Change, key string, st Status, at, now time.Time) (ignored bool, err error) {
	a := d.attempt(key)
	if a == nil {
		return false, ErrUnknownMessage
	}
	if a.Status == st {
		return true, nil
	}
	if !a.Status.CanBecome(st) {
		return false, ErrOutOfOrder
	}
	a.Status, a.UpdatedAt = st, now
	d.record(c, Evidence{At: at, Kind: EvidenceStatus, Channel: a.Channel, Status: st})
	d.emit(c, EventStatusChanged, now, a.Channel, st)
	if a != d.Current() {
		return false, nil
	}
	if d.State == StateCompleted && (st == StatusFailedPermanent || st == StatusReturned) {
		// A late bounce or a returned letter undoes "completed": the
		// fallback policy decides what happens next.
		d.State = StateActive
	}
	if d.State != StateActive {
		return false, nil
	}
	switch st {
	case StatusRead:
		d.finish(c, StateCompleted, now, "read on "+string(a.Channel))
	case StatusFailedPermanent, StatusReturned:
		d.failedFor(c, now, string(st)+" on "+string(a.Channel))
	case StatusDelivered:
		if a.SentAt.IsZero() {
			a.SentAt = at
		}
		d.afterProgress(c, a, now)
	}
	return false, nil
}

func errorText(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// Summary returns d as a list shows it ("mijn post", a clerk's queue):
// its ID, its document without the body and the attachments, its state,
// its attempts, when it is next due, its evidence chain's length and head,
// its version, its lease and when it was created. The rest (the rule, the
// routing decision, the recipient's contact, the content hash) is left
// zero. Store.Summaries lists deliveries so.
func (d Delivery) Summary() Delivery {
	doc := d.Document
	doc.Body, doc.Attachments = "", nil
	return Delivery{ID: d.ID, Document: doc, State: d.State, Attempts: d.Attempts, NextAt: d.NextAt,
		EvidenceSeq: d.EvidenceSeq, EvidenceHead: d.EvidenceHead,
		LeaseID: d.LeaseID, LeaseUntil: d.LeaseUntil, Version: d.Version, CreatedAt: d.CreatedAt}
}

// Clone returns a copy of d that shares no slice or map with it.
func (d Delivery) Clone() Delivery { return d.clone() }

func (d Delivery) clone() Delivery {
	d.Document.Attachments = slices.Clone(d.Document.Attachments)
	for i := range d.Document.Attachments {
		d.Document.Attachments[i].Data = slices.Clone(d.Document.Attachments[i].Data)
	}
	d.Document.Metadata = maps.Clone(d.Document.Metadata)
	if d.Recipient.Address != nil {
		a := *d.Recipient.Address
		d.Recipient.Address = &a
	}
	d.Rule.Allowed = slices.Clone(d.Rule.Allowed)
	if d.Decision.Consent != nil {
		c := *d.Decision.Consent
		d.Decision.Consent = &c
	}
	d.Attempts = append([]Attempt(nil), d.Attempts...)
	d.Decision.Rejected = append([]Rejection(nil), d.Decision.Rejected...)
	return d
}

// RetainUntil is the end of the retention period ("bewaartermijn") of the
// document and its evidence: the rule's days from submission, in Brussels.
func (d *Delivery) RetainUntil() time.Time {
	return d.CreatedAt.In(clock.Brussels).AddDate(0, 0, d.Rule.RetentionDays)
}

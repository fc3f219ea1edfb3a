package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ChannelKind names a delivery channel.
type ChannelKind string

// The channels a municipality can use.
const (
	// ChannelBurgerprofiel is the message box of Mijn Burgerprofiel (persons).
	ChannelBurgerprofiel ChannelKind = "burgerprofiel"
	// ChannelEBox is the federal eBox (persons and enterprises), a qualified
	// digital channel for registered documents.
	ChannelEBox ChannelKind = "ebox"
	// ChannelEmail is plain e-mail over SMTP.
	ChannelEmail ChannelKind = "email"
	// ChannelPaper is a letter printed and posted by a mail provider.
	ChannelPaper ChannelKind = "paper"
)

// Valid reports whether k is a known channel.
func (k ChannelKind) Valid() bool {
	switch k {
	case ChannelBurgerprofiel, ChannelEBox, ChannelEmail, ChannelPaper:
		return true
	}
	return false
}

// Digital reports whether the channel is digital and so needs consent.
func (k ChannelKind) Digital() bool { return k.Valid() && k != ChannelPaper }

// Status is where a message stands on its channel.
type Status string

// Message statuses, after GOV.UK Notify's model plus "returned" for paper.
const (
	StatusQueued          Status = "queued"
	StatusSent            Status = "sent"
	StatusDelivered       Status = "delivered"
	StatusRead            Status = "read"
	StatusFailedTemporary Status = "failed_temporary"
	StatusFailedPermanent Status = "failed_permanent"
	StatusReturned        Status = "returned" // paper: returned to sender ("retour afzender")
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.rank() >= 0 }

// Final reports whether no later status can follow.
func (s Status) Final() bool {
	return s == StatusRead || s == StatusFailedPermanent || s == StatusReturned
}

func (s Status) rank() int {
	switch s {
	case StatusQueued:
		return 0
	case StatusFailedTemporary:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered:
		return 3
	case StatusRead, StatusFailedPermanent, StatusReturned:
		return 4
	}
	return -1
}

// CanBecome reports whether a message in status s may move to next. Statuses
// only move forward; a final status never changes.
func (s Status) CanBecome(next Status) bool {
	if !next.Valid() || s.Final() {
		return false
	}
	return next.rank() > s.rank()
}

// Attachment is a file sent with a document.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Recipient is the contact the message is addressed to on its channel.
type Recipient struct {
	Party   Party        `json:"party"`
	Email   pii.Email    `json:"email,omitempty"`
	Address *pii.Address `json:"address,omitempty"`
	Name    pii.Name     `json:"name"`
}

// Message is what a channel sends: one document to one recipient.
type Message struct {
	DocumentID uuid.UUID `json:"document_id"`
	// IdempotencyKey is stable for a document on a channel; a channel that
	// receives the same key twice must not deliver twice.
	IdempotencyKey string       `json:"idempotency_key"`
	Recipient      Recipient    `json:"recipient"`
	Subject        string       `json:"subject"`
	Body           string       `json:"body"`
	Attachments    []Attachment `json:"attachments,omitempty"`
	Registered     bool         `json:"registered"` // aangetekend
}

// Receipt is a channel's answer to a send.
type Receipt struct {
	// ProviderRef is the channel's own reference, e.g. the Message-ID.
	ProviderRef string `json:"provider_ref"`
	// Status is at least StatusSent; a synchronous channel may report
	// StatusDelivered at once.
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
}

// Channel sends messages on one delivery channel. It is the small interface
// an adapter implements; the Dispatcher does the rest.
//
// Send must be idempotent by Message.IdempotencyKey: a second call with a key
// already accepted returns the first receipt without sending again. Errors
// wrap ErrTemporary (retry later) or ErrPermanent (give up on this channel);
// other errors count as temporary.
type Channel interface {
	Kind() ChannelKind
	Send(ctx context.Context, m Message) (Receipt, error)
	// Status asks the channel where a message stands. Channels that only
	// push callbacks return the last status they know.
	Status(ctx context.Context, idempotencyKey string) (Status, error)
}

// Send error classes.
var (
	ErrTemporary = fmt.Errorf("temporary delivery failure")
	ErrPermanent = fmt.Errorf("permanent delivery failure")
)

// IdempotencyKey is the key for a document on a channel. It is derived, not
// random, so a resend after a crash carries the same key.
func IdempotencyKey(doc uuid.UUID, ch ChannelKind) string {
	var buf [64]byte
	b := append(encodeUUID(buf[:36], doc), '.')
	return string(append(b, ch...))
}

// ParseIdempotencyKey splits a key made by IdempotencyKey.
func ParseIdempotencyKey(key string) (uuid.UUID, ChannelKind, bool) {
	if len(key) < 38 || key[36] != '.' {
		return uuid.Nil, "", false
	}
	d, err := uuid.Parse(key[:36])
	ch := ChannelKind(key[37:])
	if err != nil || !ch.Valid() || d.String() != key[:36] {
		return uuid.Nil, "", false
	}
	return d, ch, true
}

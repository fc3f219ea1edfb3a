package delivery

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Document is what a municipality wants to send.
type Document struct {
	// ID is chosen by the sender; submitting the same ID twice is idempotent.
	ID          uuid.UUID    `json:"id"`
	Party       Party        `json:"party"`
	Name        pii.Name     `json:"name"`
	Category    Category     `json:"category"`
	Subject     string       `json:"subject"`
	Body        string       `json:"body"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Metadata is the sender's own key-value pairs (a dossier reference,
	// a link), stored with the delivery and listed with it so the sending
	// application needs no register of its own; never sent to the
	// recipient. At most MaxMetadata keys of 40 bytes, values of 500.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// MaxMetadata is the most metadata keys a document carries.
const MaxMetadata = 20

// ContentSHA256 is the hex SHA-256 over subject, body and attachments, each
// length-prefixed so no two documents share an encoding.
func (d Document) ContentSHA256() string {
	h := sha256.New()
	var n [8]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	put([]byte(d.Subject))
	put([]byte(d.Body))
	for _, a := range d.Attachments {
		put([]byte(a.Name))
		put([]byte(a.ContentType))
		put(a.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ValidateDocument checks a document against its category's rule.
func ValidateDocument(d Document, r Rule) error {
	var c errs.Collector
	c.Merge("", validate.Input(d))
	if d.ID == uuid.Nil {
		c.Add("id", "required", "a document ID is required")
	}
	c.Merge("", d.Party.Validate())
	if d.Category == "" || d.Category != r.Category {
		c.Add("category", "rule", "no rule for category %q", d.Category)
	}
	if d.Subject == "" || len(d.Subject) > 200 {
		c.Add("subject", "required", "a subject of at most 200 characters is required")
	}
	if len(d.Metadata) > MaxMetadata {
		c.Add("metadata", "max", "at most %d keys", MaxMetadata)
	}
	for k, v := range d.Metadata {
		if k == "" || len(k) > 40 {
			c.Add("metadata", "key", "a key of 1 to 40 bytes is required, not %q", k)
		}
		if len(v) > 500 {
			c.Add("metadata."+k, "max", "a value of at most 500 bytes")
		}
	}
	tooLarge := false
	for i, a := range d.Attachments {
		if a.Name == "" {
			c.Add(fmt.Sprintf("attachments[%d].name", i), "required", "an attachment needs a name")
		}
		if len(a.Data) > r.maxAttachment() {
			tooLarge = true
			c.Add(fmt.Sprintf("attachments[%d].data", i), "max", "attachment is %d bytes, the limit is %d", len(a.Data), r.maxAttachment())
		}
	}
	if err := c.Err(); err != nil {
		if tooLarge {
			return fmt.Errorf("%w: %w", ErrAttachmentTooLarge, err)
		}
		return err
	}
	return nil
}

// Outcome is the result of routing.
type Outcome string

// Routing outcomes.
const (
	OutcomeRouted    Outcome = "routed"
	OutcomeNoChannel Outcome = "no_channel"
)

// Rejection records why a candidate channel was not used.
type Rejection struct {
	Channel ChannelKind `json:"channel"`
	Reason  string      `json:"reason"`
}

// Decision ("routeringsbeslissing") is the recorded result of routing one
// document: what was decided and on what grounds.
type Decision struct {
	Outcome Outcome     `json:"outcome"`
	Channel ChannelKind `json:"channel,omitempty"`
	// PreferenceVersion is 0 when the party has no stored preference.
	PreferenceVersion int `json:"preference_version"`
	// Consent is the consent relied on for a digital channel.
	Consent     *Consent    `json:"consent,omitempty"`
	RuleVersion int         `json:"rule_version"`
	Rejected    []Rejection `json:"rejected,omitempty"`
	DecidedAt   time.Time   `json:"decided_at"`
}

// CheckChannel says whether channel ch can carry a document of rule r to the
// party described by pref, and if not, why, as one of the typed errors
// (ErrChannelNotAllowed, ErrNoConsent, ErrNoEmail, ErrEmailUnverified,
// ErrNoPostalAddress).
func CheckChannel(pref Preference, r Rule, ch ChannelKind) error {
	if !r.Allows(ch) {
		return ErrChannelNotAllowed
	}
	if ch.Digital() {
		if c, ok := pref.ConsentFor(ch); !ok || !c.Given {
			return ErrNoConsent
		}
	}
	switch ch {
	case ChannelEmail:
		if pref.Email == "" {
			return ErrNoEmail
		}
		if r.RequireVerifiedEmail && !pref.EmailVerified {
			return ErrEmailUnverified
		}
	case ChannelPaper:
		if pref.Address == nil {
			return ErrNoPostalAddress
		}
	case ChannelBurgerprofiel:
		if pref.Party.Kind != Person {
			return ErrChannelNotAllowed
		}
	}
	return nil
}

// Route decides the channel for a document. It is pure: the same preference,
// rule and time always give the same decision. The party's choice for the
// category comes first; when it cannot be used, paper is the legal default.
// When neither fits, the outcome is OutcomeNoChannel with every rejection
// recorded, never an error: the decision itself is the record.
func Route(pref Preference, r Rule, now time.Time) Decision {
	d := Decision{PreferenceVersion: pref.Version, RuleVersion: r.Version, DecidedAt: now}
	var cands [2]ChannelKind
	n := 0
	if ch := pref.ChannelFor(r.Category); ch != "" {
		cands[n] = ch
		n++
	}
	if n == 0 || cands[0] != ChannelPaper {
		cands[n] = ChannelPaper
		n++
	}
	for _, ch := range cands[:n] {
		err := CheckChannel(pref, r, ch)
		if err == nil {
			d.Outcome, d.Channel = OutcomeRouted, ch
			if ch.Digital() {
				c, _ := pref.ConsentFor(ch)
				d.Consent = &c
			}
			return d
		}
		d.Rejected = append(d.Rejected, Rejection{Channel: ch, Reason: reason(err)})
	}
	d.Outcome = OutcomeNoChannel
	return d
}

func reason(err error) string {
	switch {
	case errors.Is(err, ErrChannelNotAllowed):
		return "channel_not_allowed"
	case errors.Is(err, ErrNoConsent):
		return "no_consent"
	case errors.Is(err, ErrNoEmail):
		return "no_email"
	case errors.Is(err, ErrEmailUnverified):
		return "email_unverified"
	case errors.Is(err, ErrNoPostalAddress):
		return "no_postal_address"
	}
	return "other"
}

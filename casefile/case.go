package casefile

import (
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// MaxDescription is the longest description accepted, in characters.
const MaxDescription = 10000

// Channel is how a case reached the municipality ("kanaal").
type Channel string

// The channels a case can come in through.
const (
	ChannelWeb     Channel = "web"
	ChannelApp     Channel = "app"
	ChannelPhone   Channel = "phone"
	ChannelCounter Channel = "counter" // "loket"
	ChannelEmail   Channel = "email"
)

func (c Channel) valid() bool {
	switch c {
	case ChannelWeb, ChannelApp, ChannelPhone, ChannelCounter, ChannelEmail:
		return true
	}
	return false
}

// Priority orders the work of a team ("prioriteit").
type Priority string

// The priorities; normal is the default.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
)

func (p Priority) valid() bool {
	return p == PriorityLow || p == PriorityNormal || p == PriorityHigh
}

// PartyKind says what a requester reference points to.
type PartyKind string

// The kinds of requester.
const (
	PartyPerson     PartyKind = "person"     // ID is an INSZ ("rijksregisternummer")
	PartyEnterprise PartyKind = "enterprise" // ID is a KBO number ("ondernemingsnummer")
)

// Requester is who filed the case ("melder", "aanvrager"): a reference to a
// person or enterprise, and how to reach them. Every part is optional, since
// anonymous reports are common.
type Requester struct {
	Kind  PartyKind `json:"kind,omitempty"`
	ID    string    `json:"id,omitempty"`
	Name  pii.Name  `json:"name,omitzero"`
	Email pii.Email `json:"email,omitempty"`
	Phone pii.Phone `json:"phone,omitempty"`
}

// LogValue keeps personal data out of logs.
func (r Requester) LogValue() slog.Value {
	id := r.ID
	if len(id) > 2 {
		id = "***" + id[len(id)-2:]
	}
	return slog.GroupValue(slog.String("kind", string(r.Kind)), slog.String("id", id),
		slog.Any("name", r.Name), slog.Any("email", r.Email), slog.Any("phone", r.Phone))
}

// Contactable reports whether the requester can be informed.
func (r Requester) Contactable() bool { return r.Email != "" || r.Phone != "" }

// Point is a WGS84 position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Belgium's bounding box, a little generous so border addresses pass.
const (
	belgiumMinLat, belgiumMaxLat = 49.49, 51.51
	belgiumMinLon, belgiumMaxLon = 2.54, 6.41
)

// InBelgium reports whether p lies inside Belgium's bounding box.
func (p Point) InBelgium() bool {
	return p.Lat >= belgiumMinLat && p.Lat <= belgiumMaxLat && p.Lon >= belgiumMinLon && p.Lon <= belgiumMaxLon
}

// Location is where the case is about: an address, a point, or both. The
// parts are values, not pointers, so a copied case shares nothing; a zero
// part means "not given" (0°N 0°E is in the Gulf of Guinea, not in a
// municipality).
type Location struct {
	Address pii.Address `json:"address,omitzero"`
	Point   Point       `json:"point,omitzero"`
	// Text is the place in the reporter's own words ("aan de kerk"), e.g.
	// an Open311 address_string that could not be split into an address.
	Text string `json:"text,omitempty"`
	// AddressID identifies the address in an address register, e.g. the
	// Flemish one (Adressenregister) or an Open311 client's address_id.
	AddressID string `json:"address_id,omitempty"`
}

// HasAddress reports whether an address is given.
func (l Location) HasAddress() bool { return l.Address != pii.Address{} }

// HasPoint reports whether a point is given.
func (l Location) HasPoint() bool { return l.Point != Point{} }

// IsZero reports whether no location is given.
func (l Location) IsZero() bool {
	return !l.HasAddress() && !l.HasPoint() && l.Text == "" && l.AddressID == ""
}

// Attachment is the metadata of a file ("bijlage"); the bytes live in
// storage the municipality owns, at URI.
type Attachment struct {
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	URI       string    `json:"uri"`
	AddedAt   time.Time `json:"added_at"`
}

// Case is one case ("zaak", "melding"). Treat a *Case you get from the
// service or a store as a copy: changing it changes nothing stored.
type Case struct {
	ID           uuid.UUID    `json:"id"`
	Reference    string       `json:"reference"`
	Municipality string       `json:"municipality"`
	Type         string       `json:"type"`
	Category     string       `json:"category"`
	Subcategory  string       `json:"subcategory,omitempty"`
	Requester    Requester    `json:"requester"`
	Channel      Channel      `json:"channel"`
	Location     Location     `json:"location"`
	Description  string       `json:"description"`
	Attachments  []Attachment `json:"attachments,omitempty"`
	Status       string       `json:"status"`
	Result       string       `json:"result,omitempty"`
	Team         string       `json:"team,omitempty"`
	Assignee     string       `json:"assignee,omitempty"`
	Priority     Priority     `json:"priority"`
	// Due is when handling should be finished; zero when no deadline runs.
	Due time.Time `json:"due,omitzero"`
	// SuspendedAt is set while the deadline clock is stopped.
	SuspendedAt time.Time `json:"suspended_at,omitzero"`
	// MergedInto is the parent of a duplicate.
	MergedInto uuid.UUID `json:"merged_into,omitzero"`
	Closed     bool      `json:"closed"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// IdempotencyKey is the key the case was created with, if any; a store
	// keeps it unique per municipality.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// RequestDigest fingerprints the create request, so a repeat with the
	// same key is told apart from a different request.
	RequestDigest string `json:"request_digest,omitempty"`
	// TypeVersion is the version of the case type the case was created
	// with; its rules (deadlines, reopening, templates, retention) stay
	// those of that version for the case's whole life.
	TypeVersion int `json:"type_version,omitempty"`
	// ClosedAt is when the case last entered a terminal status; zero while
	// it is open. Retention and the reopening period count from it.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Reopened counts how often the case was reopened ("heropend");
	// ReopenedAt is the last time, from which a recomputed deadline runs.
	Reopened   int       `json:"reopened,omitempty"`
	ReopenedAt time.Time `json:"reopened_at,omitzero"`
	// Satisfaction is the reporter's answer to the satisfaction
	// questionnaire ("tevredenheid"), zero when not given.
	Satisfaction Satisfaction `json:"satisfaction,omitzero"`
	// AnonymisedAt is set when retention stripped the case of personal
	// data; only category, dates, statuses and results remain.
	AnonymisedAt time.Time `json:"anonymised_at,omitzero"`
	// Attributes are the answers to the category's extra questions
	// ("extra vragen"), in canonical form (see CheckAttributes).
	Attributes []AttributeValue `json:"attributes,omitempty"`
	// MediaURL is a picture the reporter's app hosts elsewhere (Open311
	// media_url): a link, not an attachment, since nothing vouches for
	// its size or content.
	MediaURL string `json:"media_url,omitempty"`
}

// Satisfaction is the reporter's short questionnaire after closing: a
// score from 1 (very unhappy) to 5 (very happy) and an optional comment.
type Satisfaction struct {
	Score   int       `json:"score"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// IsZero reports whether no answer is given.
func (s Satisfaction) IsZero() bool { return s.Score == 0 }

// Clone returns a deep copy.
func (c *Case) Clone() *Case {
	d := *c
	d.Attachments = slices.Clone(c.Attachments)
	d.Attributes = cloneAttributes(c.Attributes)
	return &d
}

// Overdue reports whether the case is open, running and past its due date at now.
func (c *Case) Overdue(now time.Time) bool {
	return c.DeadlineRunning() && now.After(c.Due)
}

// DeadlineRunning reports whether the case has a due date that counts: it
// is open, not suspended, and not merged into another case.
func (c *Case) DeadlineRunning() bool {
	return !c.Closed && !c.Due.IsZero() && c.SuspendedAt.IsZero() && c.MergedInto == uuid.Nil
}

// FormatReference renders the human reference: year, dash, six digits
// ("2026-000123"); numbers above 999999 simply get more digits.
func FormatReference(year int, n int64) string {
	var b [48]byte
	return string(appendReference(b[:0], year, n))
}

func appendReference(b []byte, year int, n int64) []byte {
	b = strconv.AppendInt(b, int64(year), 10)
	b = append(b, '-')
	var nb [20]byte
	digits := strconv.AppendInt(nb[:0], n, 10)
	for i := len(digits); i < 6; i++ {
		b = append(b, '0')
	}
	return append(b, digits...)
}

func cloneAttributes(as []AttributeValue) []AttributeValue {
	if as == nil {
		return nil
	}
	out := make([]AttributeValue, len(as))
	for i, a := range as {
		out[i] = AttributeValue{Code: a.Code, Values: slices.Clone(a.Values)}
	}
	return out
}

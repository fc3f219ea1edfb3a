package delivery

import (
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Category is a document category ("documentcategorie"), e.g. "tax-assessment".
type Category string

// Fallback is the fallback policy ("terugvalbeleid") of a category.
type Fallback struct {
	// AfterDaysUnread starts the fallback when a digital message is not read
	// within this many calendar days; 0 disables it.
	AfterDaysUnread int `json:"after_days_unread"`
	// OnPermanentFailure starts the fallback when a channel fails for good.
	OnPermanentFailure bool `json:"on_permanent_failure"`
	// To is the channel to fall back to, paper when empty.
	To ChannelKind `json:"to,omitempty"`
}

// Rule ("verzendregel") governs how documents of one category travel.
type Rule struct {
	Category Category `json:"category"`
	// Version increases with every change; a decision cites it.
	Version int           `json:"version"`
	Allowed []ChannelKind `json:"allowed"`
	// RequireVerifiedEmail refuses e-mail addresses the party never confirmed.
	RequireVerifiedEmail bool `json:"require_verified_email"`
	// ReadConfirmation means delivery alone is not enough: the document must
	// be read, else the fallback applies.
	ReadConfirmation bool `json:"read_confirmation"`
	// Registered marks registered mail ("aangetekende zending").
	Registered bool     `json:"registered"`
	Fallback   Fallback `json:"fallback"`
	// RetentionDays is how long the document and its evidence are kept.
	RetentionDays int `json:"retention_days"`
	// MaxAttachmentBytes bounds each attachment; 0 means 10 MiB.
	MaxAttachmentBytes int `json:"max_attachment_bytes"`
}

// DefaultMaxAttachmentBytes is the attachment limit when a rule sets none.
const DefaultMaxAttachmentBytes = 10 << 20

// Allows reports whether the rule allows channel ch.
func (r Rule) Allows(ch ChannelKind) bool { return slices.Contains(r.Allowed, ch) }

// FallbackChannel is the channel the fallback policy uses.
func (r Rule) FallbackChannel() ChannelKind {
	if r.Fallback.To != "" {
		return r.Fallback.To
	}
	return ChannelPaper
}

func (r Rule) maxAttachment() int {
	if r.MaxAttachmentBytes > 0 {
		return r.MaxAttachmentBytes
	}
	return DefaultMaxAttachmentBytes
}

// Validate checks a rule before it is stored.
func (r Rule) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(r))
	if r.Category == "" {
		c.Add("category", "required", "a category is required")
	}
	if len(r.Allowed) == 0 {
		c.Add("allowed", "required", "at least one channel must be allowed")
	}
	for _, ch := range r.Allowed {
		if !ch.Valid() {
			c.Add("allowed", "oneof", "unknown channel %q", ch)
		}
	}
	if r.Registered {
		for _, ch := range r.Allowed {
			if ch != ChannelPaper && ch != ChannelEBox {
				c.Add("allowed", "registered", "registered mail only on paper or a qualified digital channel (eBox), not %q", ch)
			}
		}
	}
	if r.Fallback.AfterDaysUnread < 0 {
		c.Add("fallback.after_days_unread", "min", "must not be negative")
	}
	if (r.Fallback.AfterDaysUnread > 0 || r.Fallback.OnPermanentFailure) && !r.Allows(r.FallbackChannel()) {
		c.Add("fallback.to", "allowed", "fallback channel %q is not allowed for the category", r.FallbackChannel())
	}
	if r.RetentionDays <= 0 {
		c.Add("retention_days", "min", "a retention period is required")
	}
	if r.MaxAttachmentBytes < 0 {
		c.Add("max_attachment_bytes", "min", "must not be negative")
	}
	return c.Err()
}

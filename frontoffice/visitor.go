package frontoffice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Visitor is who is signed in ("aangemelde gebruiker"): a citizen, a
// person acting for an enterprise, or a clerk ("medewerker").
type Visitor struct {
	// Subject is the stable subject from sign-in (the identity provider's "sub").
	Subject string
	// INSZ is the national register number ("rijksregisternummer"); it is
	// never logged in clear (see LogValue).
	INSZ pii.INSZ
	// GivenName and FamilyName are the visitor's first and last name
	// ("voornaam", "familienaam").
	GivenName, FamilyName string
	// Enterprise is non-nil when the visitor acts for an enterprise
	// ("namens een onderneming").
	Enterprise *Enterprise
	// Clerk is true for a municipality's staff member ("medewerker").
	Clerk bool
}

// Enterprise is an enterprise a visitor acts for.
type Enterprise struct {
	// KBO is the enterprise number ("ondernemingsnummer", "KBO-nummer").
	KBO string
	// Name is the enterprise's registered name ("maatschappelijke naam").
	Name string
}

// Name returns the visitor's name as a pii.Name, which masks itself in logs.
func (v Visitor) Name() pii.Name { return pii.Name{Given: v.GivenName, Family: v.FamilyName} }

// LogValue shows what a log needs to tell visitors apart and nothing that
// identifies a person in clear: the subject as the first 12 hex digits of
// its SHA-256 (some identity providers use the national register number as
// subject), the INSZ masked, the name as initials, the enterprise (a
// public register entry) and whether the visitor is a clerk.
func (v Visitor) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 5)
	if v.Subject != "" {
		sum := sha256.Sum256([]byte(v.Subject))
		attrs = append(attrs, slog.String("subject", hex.EncodeToString(sum[:6])))
	}
	if v.INSZ != "" {
		attrs = append(attrs, slog.Any("insz", v.INSZ))
	}
	if v.GivenName != "" || v.FamilyName != "" {
		attrs = append(attrs, slog.Any("name", v.Name()))
	}
	if v.Enterprise != nil {
		attrs = append(attrs, slog.String("kbo", v.Enterprise.KBO))
	}
	if v.Clerk {
		attrs = append(attrs, slog.Bool("clerk", true))
	}
	return slog.GroupValue(attrs...)
}

type visitorKey struct{}

// WithVisitor returns a context that carries v, for the handlers behind a
// sign-in middleware.
func WithVisitor(ctx context.Context, v Visitor) context.Context {
	return context.WithValue(ctx, visitorKey{}, v)
}

// VisitorFrom returns the visitor ctx carries, and false when nobody is
// signed in.
func VisitorFrom(ctx context.Context) (Visitor, bool) {
	v, ok := ctx.Value(visitorKey{}).(Visitor)
	return v, ok
}

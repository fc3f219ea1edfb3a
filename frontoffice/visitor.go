// Package frontoffice is the plumbing a web front office over the building
// blocks needs: who is signed in, and how an SDK error reads for a person.
//
// Placeholder written against the shared spec by the portal split; the
// frontoffice branch replaces it.
package frontoffice

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Visitor is who is signed in (citizen, or a person acting for an
// enterprise, or a clerk).
type Visitor struct {
	Subject               string   // stable subject from sign-in
	INSZ                  pii.INSZ // national register number ("rijksregisternummer")
	GivenName, FamilyName string
	Enterprise            *Enterprise // non-nil when acting "namens een onderneming"
	Clerk                 bool
}

// Enterprise is an enterprise by its KBO number ("ondernemingsnummer").
type Enterprise struct{ KBO, Name string }

// LogValue masks the national register number.
func (v Visitor) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subject", v.Subject), slog.Any("insz", v.INSZ), slog.Bool("clerk", v.Clerk))
}

type visitorKey struct{}

// WithVisitor returns ctx carrying v.
func WithVisitor(ctx context.Context, v Visitor) context.Context {
	return context.WithValue(ctx, visitorKey{}, v)
}

// VisitorFrom returns the visitor ctx carries.
func VisitorFrom(ctx context.Context) (Visitor, bool) {
	v, ok := ctx.Value(visitorKey{}).(Visitor)
	return v, ok
}

// Status maps an SDK error to an HTTP status and one Dutch sentence.
func Status(err error) (code int, message string) {
	switch {
	case err == nil:
		return http.StatusOK, ""
	case errors.Is(err, errs.ErrNotFound):
		return http.StatusNotFound, "Deze pagina bestaat niet (meer)."
	case errors.Is(err, errs.ErrValidation):
		return http.StatusUnprocessableEntity, "Niet alle gegevens zijn juist ingevuld."
	case errors.Is(err, errs.ErrConflict), errors.Is(err, errs.ErrInvalidTransition):
		return http.StatusConflict, "Dit dossier is intussen gewijzigd. Laad de pagina opnieuw en probeer nog eens."
	case errors.Is(err, errs.ErrForbidden):
		return http.StatusForbidden, "Dit mag u niet doen."
	}
	return http.StatusInternalServerError, "Er ging iets mis. Probeer het later opnieuw."
}

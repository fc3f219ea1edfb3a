package frontoffice_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func ExampleStatus() {
	// A handler got this from appointment.Service: another citizen booked the slot first.
	err := fmt.Errorf("confirm hold: %w", appointment.ErrSlotTaken)
	code, msg := frontoffice.Status(err)
	fmt.Println(code, msg)
	// Output: 409 Dit tijdstip is intussen volzet. Kies een ander tijdstip.
}

func ExampleFieldErrors() {
	// What casefile.Service returns for a report whose description is too long.
	err := &casefile.ValidationError{Fields: []casefile.FieldError{
		{Field: "description", Rule: "max", Param: "2000", Message: "must be at most 2000 characters"},
		{Field: "requester.email", Rule: "email", Message: "must be an e-mail address"},
	}}
	labels := map[string]string{"description": "Omschrijving", "requester.email": "Uw e-mailadres"}
	for _, f := range frontoffice.FieldErrors(err, labels) {
		fmt.Printf("%s: %s\n", f.Field, f.Message)
	}
	// Output:
	// description: Omschrijving is te lang: u kunt ten hoogste 2000 tekens gebruiken.
	// requester.email: Uw e-mailadres is geen geldig e-mailadres. Kijk het na, bijvoorbeeld naam@voorbeeld.be.
}

func ExampleParseDecimal() {
	for _, s := range []string{"12,5", "1.234,50", "12.5", " 12 ", "1,234.50"} {
		d, err := frontoffice.ParseDecimal(s)
		if err != nil {
			_, msg := frontoffice.Status(err)
			fmt.Printf("%q: %s\n", s, msg)
			continue
		}
		fmt.Printf("%q: %s\n", s, frontoffice.Euro(d))
	}
	// Output:
	// "12,5": € 12,50
	// "1.234,50": € 1.234,50
	// "12.5": € 12,50
	// " 12 ": € 12,00
	// "1,234.50": Dit is geen getal zoals wij het verwachten. Gebruik een komma voor de decimalen, bijvoorbeeld 1.234,50.
}

func ExampleParseCoordinate() {
	lat, _ := frontoffice.ParseCoordinate("51,0543")
	lon, _ := frontoffice.ParseCoordinate("3.7174")
	fmt.Println(lat, lon)
	// Output: 51.0543 3.7174
}

func ExampleEuro() {
	fmt.Println(frontoffice.Euro(decimal.RequireFromString("23800")))
	// Output: € 23.800,00
}

func ExampleDateTime() {
	t := time.Date(2026, 1, 1, 13, 5, 0, 0, time.UTC)
	fmt.Println(frontoffice.Date(t))
	fmt.Println(frontoffice.DateTime(t))
	// Output:
	// 1 januari 2026
	// 1 januari 2026 om 14:05
}

func ExampleWithVisitor() {
	ctx := frontoffice.WithVisitor(context.Background(), frontoffice.Visitor{
		Subject: "a1b2", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters",
	})
	v, ok := frontoffice.VisitorFrom(ctx)
	fmt.Println(ok, v.GivenName)

	// In a log the visitor is masked.
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	log.Info("signed in", "visitor", v)
	// Output:
	// true An
	// level=INFO msg="signed in" visitor.subject=85337816d263 visitor.insz=*********28 visitor.name="A. P."
}

// guardedSite is the part of a portal the guards need: "not found", and
// the contact details of the signed-in person (none here).
type guardedSite struct{}

func (guardedSite) NotFound(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }
func (guardedSite) Contact(*http.Request) (pii.Email, pii.Phone, pii.Address) {
	return "", "", pii.Address{}
}

func ExampleRequireCitizen() {
	h := frontoffice.RequireCitizen(guardedSite{}, func(w http.ResponseWriter, r *http.Request, p *frontoffice.Person) {
		fmt.Fprintf(w, "Welkom, %s.", p.Name.Given)
	})
	for _, v := range []*frontoffice.Visitor{
		nil, // nobody signed in
		{Subject: "balie-1", GivenName: "Bart", Clerk: true},
		{Subject: "sub-1", INSZ: "85073003328", GivenName: "An"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/mijn-rechten", nil)
		if v != nil {
			r = r.WithContext(frontoffice.WithVisitor(r.Context(), *v))
		}
		w := httptest.NewRecorder()
		h(w, r)
		switch w.Code {
		case http.StatusOK:
			fmt.Println(w.Code, w.Body.String())
		case http.StatusNotFound:
			fmt.Println(w.Code, "a clerk has no citizen's pages")
		default:
			fmt.Println(w.Code, w.Header().Get("Location"))
		}
	}
	// Output:
	// 303 /aanmelden
	// 404 a clerk has no citizen's pages
	// 200 Welkom, An.
}

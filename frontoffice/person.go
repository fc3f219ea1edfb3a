package frontoffice

import (
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// SignInPath is where a visitor who is not signed in is sent by
// RequirePerson, RequireCitizen and RequireClerk: the portal's sign-in
// page ("aanmelden").
const SignInPath = "/aanmelden"

// Person is the signed-in visitor as a block's pages use them: who they
// are, with the contact details a form offers to fill in.
type Person struct {
	// ID is the sign-in's subject (Visitor.Subject).
	ID      string
	Name    pii.Name
	INSZ    pii.INSZ
	Email   pii.Email
	Phone   pii.Phone
	Address pii.Address
	// Enterprise is set for a person who acts for an enterprise.
	Enterprise *Enterprise
	// Clerk marks a clerk of the municipality ("baliemedewerker").
	Clerk bool
}

// PersonOf is the visitor v as a Person, without contact details.
func PersonOf(v Visitor) *Person {
	p := &Person{ID: v.Subject, Name: v.Name(), INSZ: v.INSZ, Clerk: v.Clerk}
	if v.Enterprise != nil {
		e := *v.Enterprise
		p.Enterprise = &e
	}
	return p
}

// LogValue shows what Visitor.LogValue shows, and of the contact details
// only whether there are any: a person is never logged in clear.
func (p Person) LogValue() slog.Value {
	v := Visitor{Subject: p.ID, INSZ: p.INSZ, GivenName: p.Name.Given, FamilyName: p.Name.Family, Enterprise: p.Enterprise, Clerk: p.Clerk}
	attrs := v.LogValue().Group()
	if p.Email != "" || p.Phone != "" || p.Address != (pii.Address{}) {
		attrs = append(attrs, slog.Bool("contact", true))
	}
	return slog.GroupValue(attrs...)
}

// Gate is what the role guards need of the portal that hosts a block's
// pages; every block's Site has both methods.
type Gate interface {
	// NotFound answers "not found": a page a visitor may not see does
	// not exist for them.
	NotFound(w http.ResponseWriter, r *http.Request)
	// Contact returns the contact details of the signed-in person.
	Contact(r *http.Request) (pii.Email, pii.Phone, pii.Address)
}

// PersonHandler handles a request of a signed-in person.
type PersonHandler func(w http.ResponseWriter, r *http.Request, p *Person)

// RequirePerson sends visitors who are not signed in (no Visitor in the
// request's context, see WithVisitor) to SignInPath, and calls next with
// the visitor and their contact details (gate.Contact) otherwise.
func RequirePerson(gate Gate, next PersonHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := VisitorFrom(r.Context())
		if !ok {
			http.Redirect(w, r, SignInPath, http.StatusSeeOther)
			return
		}
		p := PersonOf(v)
		p.Email, p.Phone, p.Address = gate.Contact(r)
		next(w, r, p)
	}
}

// RequireCitizen is RequirePerson for a citizen's pages: a visitor
// without a national register number to file under (a clerk) gets "not
// found" (gate.NotFound).
func RequireCitizen(gate Gate, next PersonHandler) http.HandlerFunc {
	return RequirePerson(gate, func(w http.ResponseWriter, r *http.Request, p *Person) {
		if p.INSZ == "" {
			gate.NotFound(w, r)
			return
		}
		next(w, r, p)
	})
}

// RequireClerk is RequirePerson for a clerk's pages: for anyone but a
// clerk these pages do not exist (gate.NotFound).
func RequireClerk(gate Gate, next PersonHandler) http.HandlerFunc {
	return RequirePerson(gate, func(w http.ResponseWriter, r *http.Request, p *Person) {
		if !p.Clerk {
			gate.NotFound(w, r)
			return
		}
		next(w, r, p)
	})
}

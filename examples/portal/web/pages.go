package web

import (
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// visitorOf is the demo person as the blocks see them.
func visitorOf(p *demo.Person) frontoffice.Visitor {
	v := frontoffice.Visitor{Subject: p.ID, INSZ: p.INSZ, GivenName: p.Name.Given, FamilyName: p.Name.Family, Clerk: p.Clerk}
	if p.Enterprise != nil {
		v.Enterprise = &frontoffice.Enterprise{KBO: p.Enterprise.KBO, Name: p.Enterprise.Name}
	}
	return v
}

// requirePerson sends visitors who are not signed in to the sign-in page.
func (s *Server) requirePerson(next func(http.ResponseWriter, *http.Request, *demo.Person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _ := frontoffice.VisitorFrom(r.Context())
		p, ok := s.town.Person(v.Subject)
		if !ok {
			http.Redirect(w, r, "/aanmelden", http.StatusSeeOther)
			return
		}
		next(w, r, p)
	}
}

// requireClerk keeps citizens out of the clerk's pages: they are "not found".
func (s *Server) requireClerk(next func(http.ResponseWriter, *http.Request, *demo.Person)) http.HandlerFunc {
	return s.requirePerson(func(w http.ResponseWriter, r *http.Request, p *demo.Person) {
		if !p.Clerk {
			s.NotFound(w, r)
			return
		}
		next(w, r, p)
	})
}

// title is the data of a page that has nothing but its title.
type title struct{}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", "Welkom", title{})
}

// signInPage is the data of the demo sign-in page.
type signInPage struct{ Error string }

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin.html", "Aanmelden (demo)", signInPage{})
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	p, ok := s.town.Person(r.PostFormValue("person"))
	if !ok {
		s.render(w, r, http.StatusUnprocessableEntity, "signin.html", "Aanmelden (demo)", signInPage{Error: "Kies een van de demopersonen."})
		return
	}
	sess := s.sessions.start(w, r, p.ID, s.secure(r))
	sess.addFlash("U bent aangemeld als " + p.Name.String() + ".")
	s.log.Info("demo sign-in", "person", p.Name, "insz", p.INSZ)
	if p.Clerk {
		http.Redirect(w, r, "/balie", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/mijn-dossiers", http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	s.sessions.end(w, r, s.secure(r))
	setAnonymousFlash(w, "U bent afgemeld.", s.secure(r))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// clerkHome is the clerk's start page: every worklist of the counter.
func (s *Server) clerkHome(w http.ResponseWriter, r *http.Request, _ *demo.Person) {
	s.render(w, r, http.StatusOK, "clerk_home.html", "Balie", title{})
}

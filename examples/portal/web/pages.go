package web

import (
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// requirePerson sends visitors who are not signed in to the sign-in page.
func (s *Server) requirePerson(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := frontoffice.VisitorFrom(r.Context()); !ok {
			http.Redirect(w, r, signInPath, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// requireClerk keeps citizens out of the clerk's pages: they are "not found".
func (s *Server) requireClerk(next http.HandlerFunc) http.HandlerFunc {
	return s.requirePerson(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := frontoffice.VisitorFrom(r.Context()); !v.Clerk {
			s.NotFound(w, r)
			return
		}
		next(w, r)
	})
}

// title is the data of a page that has nothing but its title.
type title struct{}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", "Welkom", title{})
}

// clerkHome is the clerk's start page: every worklist of the counter.
func (s *Server) clerkHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "clerk_home.html", "Balie", title{})
}

package web

import (
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// dossierPage is the data of "Mijn dossiers".
type dossierPage struct {
	Sections []frontoffice.DossierSection
}

// dossierOverview is "Mijn dossiers": every dossier of the person, one
// section per building block; signed in for an enterprise, the
// enterprise's (the blocks choose by the visitor's capacity).
func (s *Server) dossierOverview(w http.ResponseWriter, r *http.Request) {
	v, _ := frontoffice.VisitorFrom(r.Context())
	sections, err := s.dossierSections(r.Context(), v)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page := dossierPage{Sections: sections}
	s.render(w, r, http.StatusOK, "dossiers.html", "Mijn dossiers", page)
}

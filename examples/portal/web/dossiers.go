package web

import (
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// dossierPage is the data of "Mijn dossiers".
type dossierPage struct {
	// ToDo is what waits for the person, from every section: first on the
	// page, because it needs them.
	ToDo     []toDo
	Sections []dossierSection
}

// toDo is one item that needs the person's action.
type toDo struct {
	frontoffice.DossierItem
	Section string // the title of its section: "Facturen"
}

// dossierSection is a block's section as the page shows it.
type dossierSection struct {
	frontoffice.DossierSection
	// Dates is false when no item has a date: the date column is left out.
	Dates bool
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
	page := dossierPage{Sections: make([]dossierSection, 0, len(sections))}
	for _, sec := range sections {
		ds := dossierSection{DossierSection: sec}
		for _, it := range sec.Items {
			if !it.Date.IsZero() {
				ds.Dates = true
			}
			if it.ToDo != "" && !it.Done {
				page.ToDo = append(page.ToDo, toDo{DossierItem: it, Section: sec.Title})
			}
		}
		page.Sections = append(page.Sections, ds)
	}
	s.render(w, r, http.StatusOK, "dossiers.html", "Mijn dossiers", page)
}

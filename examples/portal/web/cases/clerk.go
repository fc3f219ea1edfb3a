package cases

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// clerkActor is the demo clerk as the case engine knows them.
var clerkActor = casefile.Actor{ID: "balie", Role: casefile.RoleClerk}

// The demo clerk wears two hats: counter clerk ("baliemedewerker"), who
// takes reports in or refuses them, and handler ("behandelaar"), who
// resolves them. clerkRoles is tried in this order for every transition.
var clerkRoles = []casefile.Role{casefile.RoleClerk, casefile.RoleHandler}

// clerkStep finds the hat in which the demo clerk may take transition on c
// with result. ok is false when neither may.
func clerkStep(ct *casefile.CaseType, c *casefile.Case, transition, result string) (casefile.Actor, bool) {
	for _, role := range clerkRoles {
		if _, err := ct.CanTake(transition, c.Status, role, result, c.Assignee != ""); err == nil {
			return casefile.Actor{ID: clerkActor.ID, Role: role}, true
		}
	}
	return casefile.Actor{}, false
}

// clerkMay reports whether the clerk may take transition t on c with some
// result (or none).
func clerkMay(ct *casefile.CaseType, c *casefile.Case, t casefile.Transition) bool {
	if _, ok := clerkStep(ct, c, t.Name, ""); ok {
		return true
	}
	for _, r := range ct.Results {
		if _, ok := clerkStep(ct, c, t.Name, r.Code); ok {
			return true
		}
	}
	return false
}

// clerkRow is one open case with the transitions the clerk may take from
// the list: those that need neither a result nor a message.
type clerkRow struct {
	ID, Reference, Category, Status string
	Excerpt, Place, Reporter        string
	Photos                          int
	Version                         int
	Due                             time.Time
	Team                            string
	Overdue                         bool
	Transitions                     []clerkButton
}

type clerkButton struct{ Name, Label string }

// transitionLabels names the transitions of "meldingen" in Dutch for buttons.
var transitionLabels = map[string]string{
	"accept": "In behandeling nemen", "plan": "Inplannen", "ask_citizen": "Vraag stellen aan melder",
	"citizen_replied": "Melder heeft geantwoord", "resolve": "Afhandelen", "reject": "Niet in behandeling nemen",
}

// quickTransitions may be taken from the list with one click: they say
// nothing to the citizen that the clerk should write.
var quickTransitions = map[string]bool{"accept": true, "plan": true}

// clerkPage is the data of the clerk's worklist of open cases.
type clerkPage struct {
	Cases []clerkRow
	// Team is the team the list is filtered on, "" for all.
	Team  string
	Teams []teamOption
}

func (a *Block) clerkList(w http.ResponseWriter, r *http.Request, _ *person) {
	team := r.URL.Query().Get("team")
	if _, ok := teamNames[team]; !ok {
		team = ""
	}
	page, err := a.cases.List(r.Context(), casefile.Query{OpenOnly: true, Team: team, DueBefore: time.Now().AddDate(10, 0, 0), Limit: 100})
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	rows := make([]clerkRow, 0, len(page.Cases))
	for _, c := range page.Cases {
		v := a.citizenView(c)
		row := clerkRow{ID: c.ID.String(), Reference: c.Reference, Category: v.Category, Status: v.StatusLabel, Version: c.Version, Due: c.Due,
			Team: teamNames[c.Team], Overdue: !c.Due.IsZero() && c.Due.Before(time.Now()),
			Excerpt: excerpt(c.Description, 80), Place: placeText(c.Location), Photos: len(photosOf(c)), Reporter: maskedName(c.Requester)}
		ct, _ := a.cases.CaseType(c.Type)
		for _, t := range ct.Transitions {
			if !quickTransitions[t.Name] {
				continue
			}
			if _, ok := clerkStep(ct, c, t.Name, ""); ok {
				row.Transitions = append(row.Transitions, clerkButton{Name: t.Name, Label: transitionLabels[t.Name]})
			}
		}
		rows = append(rows, row)
	}
	a.show(w, r, http.StatusOK, "clerk.html", "Meldingen (balie)", clerkPage{Cases: rows, Team: team, Teams: teamOptions()})
}

// excerpt is the first n characters of s, on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// clerkTransition takes a transition with the public message and the
// result the clerk chose; the role comes from the server, never the form.
func (a *Block) clerkTransition(w http.ResponseWriter, r *http.Request, _ *person) {
	id, version, ok := caseAndVersion(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	transition, result := r.PostFormValue("transition"), r.PostFormValue("result")
	text := strings.TrimSpace(r.PostFormValue("text"))
	c, err := a.cases.Get(r.Context(), id)
	if err == nil {
		ct, _ := a.cases.CaseType(c.Type)
		t, known := ct.Transition(transition)
		if known && t.Guard == casefile.GuardResultRecorded && result == "" {
			a.site.Message(w, r, http.StatusUnprocessableEntity, "Kies een resultaat", "Kies bij deze stap het resultaat van de melding. Ga terug en probeer opnieuw.")
			return
		}
		if known && isTerminal(ct, t.To) && text == "" {
			a.site.Message(w, r, http.StatusUnprocessableEntity, "Bericht ontbreekt", "Schrijf de melder een bericht bij deze stap. Ga terug en probeer opnieuw.")
			return
		}
		actor, ok := clerkStep(ct, c, transition, result)
		if !ok {
			actor = clerkActor // the engine says why not
		}
		c, err = a.cases.Transition(r.Context(), casefile.TransitionRequest{
			CaseID: id, Version: version, Transition: transition, Result: result, Text: text, Actor: actor,
		})
	}
	a.clerkDone(w, r, c, err, r.PostFormValue("back") == "detail")
}

// isTerminal reports whether status closes a case of ct.
func isTerminal(ct *casefile.CaseType, status string) bool {
	s, ok := ct.Status(status)
	return ok && s.Terminal
}

// caseAndVersion reads the case id from the path and the version the clerk
// saw from the form.
func caseAndVersion(r *http.Request) (uuid.UUID, int, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	return id, version, err == nil && verr == nil
}

// clerkDone answers a clerk's change: back to the case page or the list,
// or the page that says why not.
func (a *Block) clerkDone(w http.ResponseWriter, r *http.Request, c *casefile.Case, err error, detail bool) {
	switch {
	case errors.Is(err, casefile.ErrConflict):
		a.site.Message(w, r, http.StatusConflict, "Melding intussen gewijzigd", "Iemand anders heeft deze melding intussen gewijzigd. Bekijk de melding opnieuw en probeer nog eens.")
	case errors.Is(err, casefile.ErrNotFound):
		a.notFound(w, r)
	case errors.Is(err, casefile.ErrValidation):
		a.site.Fail(w, r, err)
	case errors.Is(err, casefile.ErrInvalidTransition), errors.Is(err, casefile.ErrForbidden):
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Niet mogelijk", "Deze stap kan niet vanuit de huidige status van de melding.")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.site.Flash(w, r, "Melding "+c.Reference+" is bijgewerkt.")
		if detail {
			http.Redirect(w, r, "/balie/meldingen/"+c.ID.String(), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/balie/meldingen", http.StatusSeeOther)
	}
}

// teamOption is one choice of the worklist's team filter.
type teamOption struct{ Code, Name string }

func teamOptions() []teamOption {
	opts := make([]teamOption, 0, len(teamNames))
	for code, name := range teamNames {
		opts = append(opts, teamOption{code, name})
	}
	slices.SortFunc(opts, func(a, b teamOption) int { return strings.Compare(a.Name, b.Name) })
	return opts
}

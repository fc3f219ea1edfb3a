package cases

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// clerkActor is the demo clerk as the case engine knows them.
var clerkActor = casefile.Actor{ID: "balie", Role: casefile.RoleClerk}

// The demo clerk wears two hats: counter clerk ("baliemedewerker"), who
// takes reports in or refuses them, and handler ("behandelaar"), who
// resolves them. clerkRoles is tried in this order for every transition.
var clerkRoles = []casefile.Role{casefile.RoleClerk, casefile.RoleHandler}

// transitionResults is the result the demo records with a transition that
// needs one, and the public text that goes with it, by transition name or
// "type/transition"; the demo offers no choice.
var transitionResults = map[string]struct{ Result, Text string }{
	"reject":  {"not_municipal", "Dit valt niet onder de bevoegdheid van de gemeente."},
	"resolve": {"repaired", "Het probleem is opgelost. Bedankt voor uw melding."},
	// A question is answered by e-mail or by the channel the person chose.
	"vragen/resolve": {"answered", "Uw vraag is beantwoord; het antwoord kreeg u via uw gekozen kanaal."},
}

// clerkStep finds the hat in which the demo clerk may take transition on c,
// with the result and text it records. ok is false when neither may.
func clerkStep(ct *casefile.CaseType, c *casefile.Case, transition string) (actor casefile.Actor, result, text string, ok bool) {
	fixed, ok := transitionResults[ct.Code+"/"+transition]
	if !ok {
		fixed = transitionResults[transition]
	}
	for _, role := range clerkRoles {
		for _, res := range []string{"", fixed.Result} {
			if _, err := ct.CanTake(transition, c.Status, role, res, c.Assignee != ""); err == nil {
				if res == "" {
					fixed.Text = ""
				}
				return casefile.Actor{ID: clerkActor.ID, Role: role}, res, fixed.Text, true
			}
			if fixed.Result == "" {
				break
			}
		}
	}
	return casefile.Actor{}, "", "", false
}

// clerkRow is one open case with the transitions the clerk may take.
type clerkRow struct {
	ID, Reference, Category, Status string
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
			Team: teamNames[c.Team], Overdue: !c.Due.IsZero() && c.Due.Before(time.Now())}
		ct, _ := a.cases.CaseType(c.Type)
		for _, t := range ct.Transitions {
			if _, _, _, ok := clerkStep(ct, c, t.Name); ok {
				row.Transitions = append(row.Transitions, clerkButton{Name: t.Name, Label: transitionLabels[t.Name]})
			}
		}
		rows = append(rows, row)
	}
	a.render(w, r, http.StatusOK, "clerk.html", map[string]any{"Title": "Meldingen (balie)", "Cases": rows, "Team": team, "Teams": teamOptions(), "Error": r.URL.Query().Get("fout") == "conflict"})
}

func (a *Block) clerkTransition(w http.ResponseWriter, r *http.Request, _ *person) {
	id, err := uuid.Parse(r.PathValue("id"))
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || verr != nil {
		a.notFound(w, r)
		return
	}
	// The role and result come from the server, never from the form.
	transition := r.PostFormValue("transition")
	c, err := a.cases.Get(r.Context(), id)
	if err == nil {
		ct, _ := a.cases.CaseType(c.Type)
		actor, result, text, ok := clerkStep(ct, c, transition)
		if !ok {
			actor = clerkActor // the engine says why not
		}
		c, err = a.cases.Transition(r.Context(), casefile.TransitionRequest{
			CaseID: id, Version: version, Transition: transition, Result: result, Text: text, Actor: actor,
		})
	}
	switch {
	case errors.Is(err, casefile.ErrConflict):
		a.site.Message(w, r, http.StatusConflict, "Melding intussen gewijzigd", "Iemand anders heeft deze melding intussen gewijzigd. Bekijk de lijst opnieuw en probeer nog eens.")
	case errors.Is(err, casefile.ErrNotFound):
		a.notFound(w, r)
	case errors.Is(err, casefile.ErrInvalidTransition), errors.Is(err, casefile.ErrValidation), errors.Is(err, casefile.ErrForbidden):
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Niet mogelijk", "Deze stap kan niet vanuit de huidige status van de melding.")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.site.Flash(w, r, "Melding "+c.Reference+" is bijgewerkt.")
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

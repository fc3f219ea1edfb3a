package cases

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// dossierPage is the data of the citizen's page of one case.
type dossierPage struct {
	Case    casefile.CitizenView
	Dossier dossierData
}

// dossierData is the citizen's case page: the public view, the photos, the
// map, and what the citizen may do now.
type dossierData struct {
	ID      string
	Version int
	Place   string
	Map     mapView
	Photos  []photoView
	Answers []answerView
	// Question is the clerk's open question the citizen may answer.
	Question string
	Waiting  bool
	// Reopen offers "niet opgelost"; Rate the satisfaction questionnaire.
	Reopen, Rate bool
	Rated        casefile.Satisfaction
	Merged       bool
}

// ownCase loads the case of the path when it is p's; otherwise it answers
// "not found", so the existence of someone else's case is not revealed.
func (a *Block) ownCase(w http.ResponseWriter, r *http.Request, p *person) (*casefile.Case, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return nil, false
	}
	c, err := a.cases.Get(r.Context(), id)
	if errors.Is(err, casefile.ErrNotFound) || (err == nil && !slices.Contains(requesterIDs(p), c.Requester.ID)) {
		a.notFound(w, r)
		return nil, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return nil, false
	}
	return c, true
}

// dossier shows one of the person's cases as the citizen sees it.
func (a *Block) dossier(w http.ResponseWriter, r *http.Request, p *person) {
	c, ok := a.ownCase(w, r, p)
	if !ok {
		return
	}
	v, err := a.cases.CitizenView(r.Context(), c.Reference, "nl")
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	ct, err := a.cases.CaseTypeOf(c)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	v.Category, v.Subcategory = categoryLabels(ct, v.Category, v.Subcategory)
	d := dossierData{ID: c.ID.String(), Version: c.Version, Place: placeText(c.Location), Map: a.mapOf(c.Location),
		Photos: photoViews(c), Answers: answerViews(ct, c), Rated: c.Satisfaction, Merged: c.MergedInto != uuid.Nil}
	if s, ok := ct.Status(c.Status); ok && s.Waiting && ct.Questions.Answer != "" {
		d.Waiting = true
		for _, e := range slices.Backward(v.Timeline) {
			if e.Kind == casefile.EntryQuestionAsked {
				d.Question = e.Text
				break
			}
		}
	}
	d.Reopen = c.Closed && !d.Merged && ct.Reopen.Allows(c.Status) && ct.Reopen.ReporterWithin.Days > 0
	d.Rate = c.Closed && ct.Satisfaction.Ask && c.Satisfaction.IsZero()
	a.allowTiles(w)
	a.show(w, r, http.StatusOK, "dossier.html", "Dossier "+v.Reference, dossierPage{Case: v, Dossier: d})
}

// citizenAnswer takes the reporter's answer to the clerk's question.
func (a *Block) citizenAnswer(w http.ResponseWriter, r *http.Request, p *person) {
	c, ok := a.ownCase(w, r, p)
	if !ok {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Antwoord ontbreekt", "Schrijf uw antwoord op de vraag. Ga terug en probeer opnieuw.")
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := a.cases.AnswerReporterQuestion(r.Context(), casefile.ReporterAnswerRequest{CaseID: c.ID, Version: version, Text: text,
		Actor: casefile.Actor{ID: c.Requester.ID, Role: casefile.RoleCitizen}})
	a.citizenDone(w, r, c, err, "Bedankt, uw antwoord is bezorgd aan de gemeente.")
}

// citizenReopen is "niet opgelost": the reporter reopens a closed case
// within the period the case type allows.
func (a *Block) citizenReopen(w http.ResponseWriter, r *http.Request, p *person) {
	c, ok := a.ownCase(w, r, p)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("text"))
	if reason == "" {
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Uitleg ontbreekt", "Schrijf kort wat er nog niet in orde is. Ga terug en probeer opnieuw.")
		return
	}
	_, err := a.cases.Reopen(r.Context(), casefile.ReopenRequest{CaseID: c.ID, Reason: reason,
		Actor: casefile.Actor{ID: c.Requester.ID, Role: casefile.RoleCitizen}})
	if errors.Is(err, casefile.ErrReopenPeriodOver) {
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Te laat om te heropenen", "De termijn om deze melding te heropenen is voorbij. Maak een nieuwe melding.")
		return
	}
	a.citizenDone(w, r, c, err, "Uw melding is heropend. De gemeente bekijkt ze opnieuw.")
}

// citizenRate takes the satisfaction questionnaire.
func (a *Block) citizenRate(w http.ResponseWriter, r *http.Request, p *person) {
	c, ok := a.ownCase(w, r, p)
	if !ok {
		return
	}
	score, err := strconv.Atoi(r.PostFormValue("score"))
	if err != nil || score < casefile.MinScore || score > casefile.MaxScore {
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Kies een score", "Kies hoe tevreden u bent, van 1 tot 5. Ga terug en probeer opnieuw.")
		return
	}
	_, err = a.cases.Rate(r.Context(), casefile.RateRequest{CaseID: c.ID, Score: score, Comment: strings.TrimSpace(r.PostFormValue("comment")),
		Actor: casefile.Actor{ID: c.Requester.ID, Role: casefile.RoleCitizen}})
	a.citizenDone(w, r, c, err, "Bedankt voor uw mening.")
}

// citizenDone answers a citizen's change: back to the case page, or why not.
func (a *Block) citizenDone(w http.ResponseWriter, r *http.Request, c *casefile.Case, err error, thanks string) {
	switch {
	case errors.Is(err, casefile.ErrConflict):
		a.site.Message(w, r, http.StatusConflict, "Melding intussen gewijzigd", "Uw melding is intussen gewijzigd. Bekijk ze opnieuw en probeer nog eens.")
	case errors.Is(err, casefile.ErrInvalidTransition):
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Niet mogelijk", "Dit kan niet meer bij deze melding.")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.site.Flash(w, r, thanks)
		http.Redirect(w, r, "/mijn-dossiers/"+c.ID.String(), http.StatusSeeOther)
	}
}

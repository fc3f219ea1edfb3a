package permits

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// The stages of the clerk's permit worklist.
const (
	stageCheck    = "Volledigheid nakijken"
	stageAdvice   = "In adviesronde"
	stageDecide   = "Klaar voor beslissing"
	stageWaiting  = "Wacht op de aanvrager (onvolledig)"
	stageFinished = "" // not on the worklist
)

var stageOrder = []string{stageCheck, stageAdvice, stageDecide, stageWaiting}

// stage places an application on the worklist. "Complete" is the portal's
// record of the clerk's check: the permit lifecycle goes from submitted
// straight to advice or decision, and a new submission asks for a new check.
func stage(ap *permit.Application, rec records.Permit, now time.Time) string {
	switch ap.Status {
	case permit.StatusSubmitted:
		if complete(ap, rec) {
			return stageDecide
		}
		return stageCheck
	case permit.StatusInAdvice:
		for _, ad := range ap.Advice {
			if ad.Opinion == "" && now.Before(ad.Due) {
				return stageAdvice
			}
		}
		return stageDecide
	case permit.StatusIncomplete:
		return stageWaiting
	}
	return stageFinished
}

func complete(ap *permit.Application, rec records.Permit) bool {
	return !rec.CompleteAt.IsZero() && !rec.CompleteAt.Before(ap.SubmittedAt)
}

// clerkPermitRow is one application on the worklist.
type clerkPermitRow struct {
	ID, Reference, Type, Applicant, Address string
	Start, Submitted                        time.Time
}

type clerkPermitGroup struct {
	Stage string
	Rows  []clerkPermitRow
}

// permitClerkListPage is the data of the clerk's worklist: the
// applications by stage.
type permitClerkListPage struct{ Groups []clerkPermitGroup }

// clerkPermits is the worklist: the applications awaiting the completeness
// check, advice, a decision, or the applicant.
func (a *Block) clerkPermits(w http.ResponseWriter, r *http.Request, _ *person) {
	ctx := r.Context()
	byStage := map[string][]clerkPermitRow{}
	now := a.permits.clock.Now()
	for ap, err := range a.permits.svc.List(ctx, permit.StatusSubmitted, permit.StatusInAdvice, permit.StatusIncomplete) {
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		rec, err := a.permits.records.Get(ctx, ap.ID)
		if err != nil && !errors.Is(err, records.ErrNoRecord) {
			a.site.Fail(w, r, err)
			return
		}
		st := stage(ap, rec, now)
		if st == stageFinished {
			continue
		}
		applicant := ap.Applicant.Name.String()
		if ap.Applicant.Enterprise != "" {
			applicant = ap.Applicant.Enterprise + " (" + applicant + ")"
		}
		byStage[st] = append(byStage[st], clerkPermitRow{ID: ap.ID.String(), Reference: rec.Reference(), Type: TypeName(ap.Type),
			Applicant: applicant, Address: ap.Address.Street + " " + ap.Address.Number, Start: ap.Span().Start, Submitted: ap.SubmittedAt})
	}
	groups := make([]clerkPermitGroup, 0, len(stageOrder))
	for _, st := range stageOrder {
		groups = append(groups, clerkPermitGroup{Stage: st, Rows: byStage[st]})
	}
	a.show(w, r, http.StatusOK, "permit_clerk_list.html", "Vergunningen (balie)", permitClerkListPage{Groups: groups})
}

// clerkPermit is the clerk's page of one application, with the actions its
// stage allows.
func (a *Block) clerkPermit(w http.ResponseWriter, r *http.Request, _ *person) {
	ap, rec, ok := a.clerkLoadPermit(w, r)
	if !ok {
		return
	}
	a.renderClerkPermit(w, r, http.StatusOK, ap, rec, nil, nil)
}

func (a *Block) clerkLoadPermit(w http.ResponseWriter, r *http.Request) (*permit.Application, records.Permit, bool) {
	id, ok := parseID(r)
	if !ok {
		a.notFound(w, r)
		return nil, records.Permit{}, false
	}
	ap, err := a.permits.svc.Get(r.Context(), id)
	if errors.Is(err, permit.ErrNotFound) {
		a.notFound(w, r)
		return nil, records.Permit{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return nil, records.Permit{}, false
	}
	rec, err := a.permits.records.Get(r.Context(), id)
	if err != nil && !errors.Is(err, records.ErrNoRecord) {
		a.site.Fail(w, r, err)
		return nil, records.Permit{}, false
	}
	return ap, rec, true
}

// permitClerkPage is the data of the clerk's page of one application.
type permitClerkPage struct {
	P        permitView
	Stage    string
	Errors   frontoffice.FormErrors
	Problems []string
	// The steps the application's stage allows.
	CanCheck, CanAdvice, CanDecide, CanAskMore bool
	Opinions                                   []permit.Opinion
	OpinionNames                               map[permit.Opinion]string
	// Form is what the clerk typed, by field name.
	Form map[string]string
}

// FormErrors gives the form's errors to the site's error summary.
func (p permitClerkPage) FormErrors() frontoffice.FormErrors { return p.Errors }

func (a *Block) renderClerkPermit(w http.ResponseWriter, r *http.Request, status int, ap *permit.Application, rec records.Permit, errsByField frontoffice.FormErrors, problem []string) {
	v, err := a.permitView(r.Context(), ap, rec, ap.Status != permit.StatusDraft)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	st := stage(ap, rec, a.permits.clock.Now())
	typ, _ := a.permits.types.Lookup(ap.Type)
	a.show(w, r, status, "permit_clerk.html", "Aanvraag "+v.Reference+" (balie)", permitClerkPage{
		P: v, Stage: st, Errors: errsByField, Problems: problem,
		CanCheck:     st == stageCheck,
		CanAdvice:    st == stageDecide && ap.Status == permit.StatusSubmitted && len(typ.Advisors) > 0,
		CanDecide:    st == stageDecide,
		CanAskMore:   st == stageAdvice || st == stageDecide,
		Opinions:     []permit.Opinion{permit.Favourable, permit.FavourableWithConditions, permit.Unfavourable},
		OpinionNames: opinionNames,
		Form: map[string]string{"missing": r.PostFormValue("missing"), "conditions": r.PostFormValue("conditions"),
			"reasons": r.PostFormValue("reasons"), "remarks": r.PostFormValue("remarks")},
	})
}

// clerkErrors puts the permit service's Dutch messages (frontoffice
// words them: the field and the limit) beside the field of the form the
// clerk sent.
func clerkErrors(verr *permit.ValidationError, action, department string) frontoffice.FormErrors {
	var out frontoffice.FormErrors
	for i, fe := range frontoffice.FieldErrors(verr, permitLabels) {
		field := verr.Fields[i].Field
		if j := strings.IndexByte(field, '['); j >= 0 {
			field = field[:j]
		}
		switch {
		case action == "advice" && (field == "conditions" || field == "remarks" || field == "opinion"):
			if field == "conditions" {
				field = "advice_conditions"
			}
			field += "-" + department
		case field == "conditions" || field == "reasons" || field == "missing":
		default:
			field = ""
		}
		out.Add(field, fe.Message)
	}
	return out
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clerkPermitAction takes one step of the lifecycle: declare complete or
// incomplete, ask advice, record a department's advice, accept a conflict
// on behalf of a party, grant with conditions, or refuse with reasons.
func (a *Block) clerkPermitAction(w http.ResponseWriter, r *http.Request, _ *person) {
	ap, rec, ok := a.clerkLoadPermit(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	svc := a.permits.svc
	var err error
	var done string
	var fieldErr frontoffice.FormErrors
	switch r.PostFormValue("action") {
	case "complete":
		if stage(ap, rec, a.permits.clock.Now()) != stageCheck {
			err = permit.ErrInvalidTransition
			break
		}
		_, err = a.permits.records.Update(ctx, ap.ID, func(rec *records.Permit) error {
			rec.CompleteAt = a.permits.clock.Now()
			return nil
		})
		if errors.Is(err, records.ErrNoRecord) {
			_, err = a.permits.records.Add(ctx, records.Permit{PermitID: ap.ID, Applicant: string(ap.Applicant.ID()), CompleteAt: a.permits.clock.Now(), CreatedAt: ap.CreatedAt})
		}
		done = "De aanvraag is volledig verklaard."
	case "incomplete":
		missing := lines(r.PostFormValue("missing"))
		if len(missing) == 0 {
			fieldErr.Add("missing", "Schrijf wat er ontbreekt, één punt per regel.")
			break
		}
		_, err = svc.RequestCompletion(ctx, ap.ID, missing)
		done = "De aanvraag is terug naar de aanvrager om aan te vullen."
	case "advice_start":
		_, err = svc.StartAdvice(ctx, ap.ID)
		done = "Het advies is gevraagd."
	case "advice":
		opinion := permit.Opinion(r.PostFormValue("opinion"))
		if _, known := opinionNames[opinion]; !known {
			fieldErr.Add("opinion-"+r.PostFormValue("department"), "Kies het advies.")
			break
		}
		conditions := lines(r.PostFormValue("conditions"))
		if opinion == permit.FavourableWithConditions && len(conditions) == 0 {
			fieldErr.Add("advice_conditions-"+r.PostFormValue("department"), "Een gunstig advies met voorwaarden noemt de voorwaarden, één per regel.")
			break
		}
		_, err = svc.GiveAdvice(ctx, ap.ID, permit.AdviceInput{Department: permit.Department(r.PostFormValue("department")),
			Opinion: opinion, Conditions: conditions, Remarks: strings.TrimSpace(r.PostFormValue("remarks"))})
		done = "Het advies is geregistreerd."
	case "rate":
		other, perr := uuid.Parse(r.PostFormValue("with"))
		if perr != nil {
			a.notFound(w, r)
			return
		}
		party := ap.ID
		if r.PostFormValue("party") == "other" {
			party = other
		}
		err = svc.RateConflict(ctx, ap.ID, other, party, permit.Accepted)
		done = "Het conflict is aanvaard."
	case "grant":
		if stage(ap, rec, a.permits.clock.Now()) != stageDecide {
			err = permit.ErrInvalidTransition
			break
		}
		if !frontoffice.Confirmed(r) {
			a.site.Confirm(w, r, frontoffice.Confirmation{Title: "Vergunning verlenen?",
				Question: "U verleent de vergunning " + rec.Reference() + ". De aanvrager krijgt de beslissing en de factuur; dat kunt u niet ongedaan maken.",
				Yes:      "Ja, vergunning verlenen", Back: "/balie/vergunningen/" + ap.ID.String()})
			return
		}
		_, err = svc.Grant(ctx, ap.ID, lines(r.PostFormValue("conditions")))
		done = "De vergunning is verleend. De factuur en de signalisatie volgen vanzelf."
	case "refuse":
		reasons := lines(r.PostFormValue("reasons"))
		if len(reasons) == 0 {
			fieldErr.Add("reasons", "Een weigering moet gemotiveerd worden: schrijf de redenen, één per regel.")
			break
		}
		if stage(ap, rec, a.permits.clock.Now()) != stageDecide {
			err = permit.ErrInvalidTransition
			break
		}
		if !frontoffice.Confirmed(r) {
			a.site.Confirm(w, r, frontoffice.Confirmation{Title: "Vergunning weigeren?",
				Question: "U weigert de vergunning " + rec.Reference() + ". De aanvrager krijgt de beslissing met uw redenen; dat kunt u niet ongedaan maken.",
				Yes:      "Ja, vergunning weigeren", Back: "/balie/vergunningen/" + ap.ID.String()})
			return
		}
		_, err = svc.Refuse(ctx, ap.ID, reasons)
		done = "De vergunning is geweigerd."
	default:
		a.site.Message(w, r, http.StatusBadRequest, "Onbekende actie", "Deze actie bestaat niet.")
		return
	}
	if len(fieldErr) > 0 {
		a.renderClerkPermit(w, r, http.StatusUnprocessableEntity, ap, rec, fieldErr, nil)
		return
	}
	var verr *permit.ValidationError
	switch {
	case errors.Is(err, permit.ErrBlockingConflict):
		a.renderClerkPermit(w, r, http.StatusConflict, ap, rec, nil, []string{"Er is een blokkerend conflict met een andere inname op dezelfde plaats en tijd. " +
			"Laat beide partijen het conflict aanvaarden, of weiger de aanvraag."})
	case errors.As(err, &verr):
		a.renderClerkPermit(w, r, http.StatusUnprocessableEntity, ap, rec, clerkErrors(verr, r.PostFormValue("action"), r.PostFormValue("department")), nil)
	case errors.Is(err, permit.ErrInvalidTransition), errors.Is(err, permit.ErrConflict):
		a.renderClerkPermit(w, r, http.StatusConflict, ap, rec, nil, []string{"Deze stap kan niet (meer) vanuit de huidige toestand van de aanvraag. Bekijk ze opnieuw."})
	case errors.Is(err, permit.ErrNotFound):
		a.notFound(w, r)
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.log.Info("permit step", "permit", ap.ID, "action", r.PostFormValue("action"))
		a.site.Flash(w, r, rec.Reference()+": "+done)
		http.Redirect(w, r, "/balie/vergunningen/"+ap.ID.String(), http.StatusSeeOther)
	}
}

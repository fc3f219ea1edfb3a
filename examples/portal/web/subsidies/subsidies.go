package subsidies

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// subsidyKeyEnv names the variable that holds the secret (at least 32
// bytes) the subsidy block keys applicant references with. Keep it with the
// database: applications stored under one secret are found only with it.
const subsidyKeyEnv = "BOUWSTENEN_SUBSIDY_SECRET"

// subsidyKey is the applicant key from the environment, or the demo's own
// key, which is public and so only fit for the demo.
func ApplicantKey(log *slog.Logger, durable bool) subsidy.ApplicantKey {
	secret := os.Getenv(subsidyKeyEnv)
	if len(secret) < 32 {
		if durable {
			log.Warn("subsidy: using the public demo applicant key; set " + subsidyKeyEnv + " (32 bytes or more) for real data")
		}
		secret = "demogem-demo-subsidy-key-not-secret-0001"
	}
	sum := sha256.Sum256([]byte(secret))
	return subsidy.ApplicantKey{ID: hex.EncodeToString(sum[:4]), Secret: []byte(secret)}
}

// subsidyRef is the short reference of an application shown to people; the
// package identifies applications by UUID only.
func subsidyRef(id uuid.UUID) string {
	s := strings.ReplaceAll(id.String(), "-", "")
	return "SUB-" + strings.ToUpper(s[len(s)-8:])
}

// audience is who may apply for the call, read from its applicant
// conditions: a person, an organisation, or "" for both.
func audience(c *subsidy.Call) subsidy.ApplicantKind {
	for _, cd := range c.ApplicantRules {
		if cd.Field == "applicant.kind" && len(cd.Values) == 1 && (cd.Op == "eq" || cd.Op == "in") {
			return subsidy.ApplicantKind(cd.Values[0])
		}
	}
	return ""
}

// audienceLabel names the audience of a call in Dutch.
func audienceLabel(k subsidy.ApplicantKind) string {
	switch k {
	case subsidy.Person:
		return "Inwoners"
	case subsidy.Organisation:
		return "Ondernemingen"
	}
	return "Inwoners en ondernemingen"
}

// applicantFor is who p applies as for a call: the enterprise p acts for
// when the call is for organisations, p themself otherwise. ok is false
// when p cannot apply for the call.
func applicantFor(p *person, c *subsidy.Call) (subsidy.Applicant, bool) {
	if audience(c) == subsidy.Organisation {
		if p.Enterprise == nil {
			return subsidy.Applicant{}, false
		}
		return subsidy.Applicant{Kind: subsidy.Organisation, Organisation: p.Enterprise.Name, KBO: p.Enterprise.KBO,
			Name: p.Name, Address: p.Address, Email: p.Email}, true
	}
	if p.INSZ == "" || p.Enterprise != nil { // for an enterprise, not for oneself
		return subsidy.Applicant{}, false
	}
	return subsidy.Applicant{Kind: subsidy.Person, Name: p.Name, INSZ: p.INSZ, Address: p.Address, Email: p.Email}, true
}

// owns reports whether the application is p's own or their enterprise's,
// comparing the applicant keys so "0202.239.951" and "0202239951" match.
func owns(p *person, app *subsidy.Application) bool {
	key := app.Applicant.Key()
	if app.Applicant.Kind == subsidy.Organisation {
		return p.Enterprise != nil && key == subsidy.Applicant{Kind: subsidy.Organisation, KBO: p.Enterprise.KBO}.Key()
	}
	return p.Enterprise == nil && p.INSZ != "" && key == subsidy.Applicant{Kind: subsidy.Person, INSZ: p.INSZ}.Key()
}

// statusLabels are the Dutch words for an application's status.
var statusLabels = map[subsidy.Status]string{
	subsidy.Draft: "Concept", subsidy.Submitted: "Ingediend", subsidy.Admissible: "Ontvankelijk",
	subsidy.Inadmissible: "Niet ontvankelijk", subsidy.UnderAssessment: "In beoordeling",
	subsidy.Decided: "Beslist", subsidy.Withdrawn: "Ingetrokken", subsidy.Expired: "Verlopen",
}

var decisionLabels = map[subsidy.Outcome]string{
	subsidy.Granted: "Toegekend", subsidy.GrantedPartially: "Gedeeltelijk toegekend", subsidy.Refused: "Geweigerd",
}

// statusLabel says where the application stands, the outcome for a decided one.
func statusLabel(app *subsidy.Application) string {
	if app.Status == subsidy.Decided && app.Decision != nil {
		return decisionLabels[app.Decision.Outcome]
	}
	if l, ok := statusLabels[app.Status]; ok {
		return l
	}
	return string(app.Status)
}

// done reports whether nothing more will happen on the application.
func done(app *subsidy.Application) bool {
	switch app.Status {
	case subsidy.Inadmissible, subsidy.Withdrawn, subsidy.Expired:
		return true
	case subsidy.Decided:
		return app.Decision != nil && app.Decision.Outcome == subsidy.Refused
	}
	return false
}

// reasonLabel puts an inadmissibility reason in Dutch: the package writes
// "applicant condition not met: <name>", the names are the call's own.
func reasonLabel(r string) string {
	for en, nl := range map[string]string{
		"applicant condition not met: ":    "Voorwaarde voor de aanvrager niet vervuld: ",
		"application condition not met: ":  "Voorwaarde voor de aanvraag niet vervuld: ",
		"required document missing: ":      "Verplicht document ontbreekt: ",
		"required question not answered: ": "Verplichte vraag niet beantwoord: ",
	} {
		if rest, ok := strings.CutPrefix(r, en); ok {
			return nl + rest
		}
	}
	return r
}

// droppedLabel puts the reason an application dropped out of the ranking in Dutch.
func droppedLabel(r string) string {
	switch {
	case r == "":
		return ""
	case strings.HasPrefix(r, "not scored on "):
		return "Nog geen score voor " + strings.TrimPrefix(r, "not scored on ")
	case strings.HasPrefix(r, "below the minimum on "):
		return "Onder het minimum voor " + strings.TrimPrefix(r, "below the minimum on ")
	case r == "below the minimum total":
		return "Onder de minimale totaalscore"
	}
	return r
}

// applicantLabel names the applicant as a clerk or the applicant reads it.
func applicantLabel(ap subsidy.Applicant) string {
	if ap.Kind == subsidy.Organisation {
		return ap.Organisation + " (" + ap.KBO + ")"
	}
	return ap.Name.String()
}

// subsidyCallsPage is the data of "Subsidie aanvragen": the calls open now.
type subsidyCallsPage struct{ Calls []openCall }

// openCall is a call as the list of open calls shows it.
type openCall struct {
	ID, Title, Audience string
	Closes              time.Time
	Max, Available      decimal.Decimal
	ApplyAs             string // empty when the person cannot apply
}

// subsidyCalls is "Subsidie aanvragen": the calls open now.
func (a *Block) subsidyCalls(w http.ResponseWriter, r *http.Request, p *person) {
	now := time.Now()
	var calls []openCall
	for c, err := range a.subsidies.Calls(r.Context()) {
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		if now.Before(c.Opens) || !now.Before(c.Closes) {
			continue
		}
		oc := openCall{ID: c.ID.String(), Title: c.Title, Audience: audienceLabel(audience(&c)), Closes: c.Closes, Max: c.MaxPerApplication, Available: c.Available()}
		if ap, ok := applicantFor(p, &c); ok {
			oc.ApplyAs = applicantLabel(ap)
		}
		calls = append(calls, oc)
	}
	a.show(w, r, http.StatusOK, "subsidy_calls.html", "Subsidie aanvragen", subsidyCallsPage{Calls: calls})
}

// callTitle is the title of the call id, read once and then remembered:
// a call's title never changes.
func (a *Block) callTitle(ctx context.Context, id uuid.UUID) (string, error) {
	if t, ok := a.callTitles.Load(id); ok {
		return t.(string), nil
	}
	c, err := a.subsidies.Call(ctx, id)
	if err != nil {
		return "", err
	}
	a.callTitles.Store(id, c.Title)
	return c.Title, nil
}

// subsidySection lists the person's applications, and their enterprise's,
// for "Mijn dossiers": the service finds them by the applicant's number
// through its index of applicant references, over every call.
func (a *Block) subsidySection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{
		Title: "Subsidies", Empty: "U hebt nog geen subsidie aangevraagd.", DateLabel: "Ingediend op",
		Action: &frontoffice.Link{Label: "Een subsidie aanvragen", Href: "/subsidies"},
	}
	var numbers []string
	switch { // for an enterprise, only its applications; as a citizen, only one's own
	case p.Enterprise != nil:
		numbers = append(numbers, p.Enterprise.KBO)
	case p.INSZ != "":
		numbers = append(numbers, string(p.INSZ))
	}
	if len(numbers) == 0 {
		return sec, nil
	}
	for app, err := range a.subsidies.ApplicationsOf(ctx, numbers...) {
		if err != nil {
			return sec, err
		}
		if !owns(p, &app) || (app.Status == subsidy.Withdrawn && app.SubmittedAt.IsZero()) {
			continue // a draft withdrawn because its submission failed was never the person's dossier
		}
		subject, err := a.callTitle(ctx, app.CallID)
		if err != nil {
			return sec, err
		}
		if app.Applicant.Kind == subsidy.Organisation {
			subject += " – " + app.Applicant.Organisation
		}
		item := frontoffice.DossierItem{Reference: subsidyRef(app.ID), Link: "/subsidies/aanvragen/" + app.ID.String(),
			Subject: subject, Status: statusLabel(&app), Date: app.SubmittedAt, Done: done(&app)}
		if app.Status == subsidy.Draft {
			item.ToDo = "Indienen"
		}
		sec.Items = append(sec.Items, item)
	}
	return sec, nil
}

// ownApplication loads the application in the URL if it is p's own (or
// their enterprise's); anything else is "not found", so the existence of
// another person's application is not revealed.
func (a *Block) ownApplication(w http.ResponseWriter, r *http.Request, p *person) (subsidy.Application, subsidy.Call, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return subsidy.Application{}, subsidy.Call{}, false
	}
	app, err := a.subsidies.Application(r.Context(), id)
	if errors.Is(err, subsidy.ErrNotFound) || (err == nil && !owns(p, &app)) {
		a.notFound(w, r)
		return subsidy.Application{}, subsidy.Call{}, false
	}
	var call subsidy.Call
	if err == nil {
		call, err = a.subsidies.Call(r.Context(), app.CallID)
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return subsidy.Application{}, subsidy.Call{}, false
	}
	return app, call, true
}

// subsidyApplication shows one of the person's applications with its
// history, the decision and the payout tranches.
func (a *Block) subsidyApplication(w http.ResponseWriter, r *http.Request, p *person) {
	app, call, ok := a.ownApplication(w, r, p)
	if !ok {
		return
	}
	a.show(w, r, http.StatusOK, "subsidy_application.html", "Subsidieaanvraag "+subsidyRef(app.ID),
		subsidyApplicationPage{App: newApplicationView(&app, &call)})
}

// subsidyApplicationPage is the data of the page of one application: the
// applicant's, or with Clerk set the clerk's, who assesses it there.
type subsidyApplicationPage struct {
	App   applicationView
	Clerk *assessPage
}

// FormErrors gives the errors of the clerk's forms to the site's error
// summary.
func (p subsidyApplicationPage) FormErrors() frontoffice.FormErrors {
	if p.Clerk == nil {
		return nil
	}
	return frontoffice.FormErrorsOf(p.Clerk.Errors)
}

// applicationView is an application with its Dutch labels, for both the
// applicant's page and the clerk's.
type applicationView struct {
	ID, Reference, CallID, CallTitle, Status, Applicant string
	Raw                                                 *subsidy.Application
	Call                                                *subsidy.Call
	Costs                                               []subsidy.CostLine
	Answers                                             []answerView
	Reasons                                             []string
	History                                             []historyLine
	Decision                                            *decisionView
	Tranches                                            []trancheView
	Orders                                              []orderView
}

type answerView struct{ Question, Answer string }

type historyLine struct {
	At    time.Time
	Label string
}

type decisionView struct {
	Outcome, Motivation string
	Amount              decimal.Decimal
	At                  time.Time
}

type trancheView struct {
	No            int
	Kind, Status  string
	Amount        decimal.Decimal
	Payable, Open bool // due and not ordered yet
}

type orderView struct {
	ID, Tranche, Status string
	Amount              decimal.Decimal
	PaidAt              time.Time
	Open                bool
}

var trancheKinds = map[subsidy.TrancheKind]string{subsidy.Advance: "Voorschot", subsidy.Balance: "Saldo"}

func newApplicationView(app *subsidy.Application, call *subsidy.Call) applicationView {
	v := applicationView{ID: app.ID.String(), Reference: subsidyRef(app.ID), CallID: call.ID.String(), CallTitle: call.Title,
		Status: statusLabel(app), Applicant: applicantLabel(app.Applicant), Raw: app, Call: call, Costs: app.Costs}
	for _, q := range call.Questions {
		if ans, ok := app.Answers[q.ID]; ok {
			v.Answers = append(v.Answers, answerView{Question: q.Text, Answer: ans})
		}
	}
	for _, reason := range app.Reasons {
		v.Reasons = append(v.Reasons, reasonLabel(reason))
	}
	v.History = append(v.History, historyLine{At: app.CreatedAt, Label: "Aanvraag opgesteld"})
	for _, h := range app.History {
		label := statusLabels[h.To]
		if h.To == subsidy.Decided && app.Decision != nil {
			label = "Beslist: " + strings.ToLower(decisionLabels[app.Decision.Outcome])
		}
		v.History = append(v.History, historyLine{At: h.At, Label: label})
	}
	if d := app.Decision; d != nil {
		v.Decision = &decisionView{Outcome: decisionLabels[d.Outcome], Motivation: d.Motivation, Amount: d.Amount, At: d.At}
	}
	if g := app.Grant; g != nil {
		for _, t := range g.Tranches {
			tv := trancheView{No: t.No, Kind: trancheKinds[t.Kind], Amount: t.Amount}
			switch {
			case t.Ordered:
				tv.Status = "Betaalopdracht gegeven"
			case t.Due:
				tv.Status, tv.Payable = "Te betalen", true
			case t.Kind == subsidy.Balance:
				tv.Status = "Na goedkeuring van de verantwoording"
			default:
				tv.Status = "Nog niet verschuldigd"
			}
			v.Tranches = append(v.Tranches, tv)
		}
		for _, o := range g.Orders {
			ov := orderView{ID: o.ID.String(), Amount: o.Amount, PaidAt: o.PaidAt, Open: o.Status != subsidy.OrderPaid}
			for _, t := range g.Tranches {
				if t.No == o.Tranche {
					ov.Tranche = trancheKinds[t.Kind]
				}
			}
			switch o.Status {
			case subsidy.OrderPaid:
				ov.Status = "Betaald"
			case subsidy.OrderExported:
				ov.Status = "Bij de bank"
			default:
				ov.Status = "Klaar voor betaling"
			}
			v.Orders = append(v.Orders, ov)
		}
	}
	return v
}

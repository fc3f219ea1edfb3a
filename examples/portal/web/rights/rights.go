package rights

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// rights is the proactive service of the demo municipality ("proactieve
// dienstverlening"): the shipped EXAMPLE rules (Ghent's first three cases),
// a demo register for the facts, and the batch runs a clerk starts.
type rights struct {
	svc      *entitlement.Service // the pages read through it, never through its store
	rules    *entitlement.Ruleset
	register *demoRegister
	log      *slog.Logger
	// ctx is the app's: a run outlives the request that started it.
	ctx context.Context
	// pace is called before each made-up inhabitant in a clerk's run, so
	// the progress is there to see; tests replace it.
	pace func(i int)

	mu   sync.Mutex
	runs int       // runs since the portal started
	last *BatchRun // the running or last finished run
}

// subjectID is who a person is to the proactive service: their national number.
func subjectID(p *person) string { return string(p.INSZ) }

// benefitWhat says in plain Dutch what each right gives; the package's
// descriptions are English and meant for policy officers.
var benefitWhat = map[string]string{
	entitlement.BenefitUiTPASKansentarief: "Met uw UiTPAS betaalt u het kansentarief: een sterk verminderde prijs voor cultuur, sport en vrije tijd.",
	entitlement.BenefitInvoiceDiscount:    "U betaalt minder voor de facturen van de stedelijke scholen en de kinderopvang.",
	entitlement.BenefitLEZSocialMeasure:   "U krijgt begeleiding en steun om een wagen te vervangen die de lage-emissiezone niet meer in mag.",
}

// rightView is one right on "Mijn rechten".
type rightView struct {
	ID, Name, What, Status, Basis, DecisionRef string
	Example, Ending                            bool
	Since, Until, OptedOutAt                   time.Time
	Explanation                                []*explainNode
	// Plain is the explanation in plain Dutch: Plain.Summary first, the
	// facts, rules and basis and the full tree one click away.
	Plain   entitlement.Plain
	Missing []string // labels of the facts still missing
}

// explainNode is one line of the explanation tree: a condition, whether it
// was met, and its parts.
type explainNode struct {
	Truth, TruthLabel, Text string
	Children                []*explainNode
}

// explainTree turns the package's Dutch explanation, one indented line per
// node, into a tree the page shows as nested lists.
func explainTree(e *entitlement.Explanation) []*explainNode {
	if e == nil {
		return nil
	}
	var roots, stack []*explainNode
	for _, line := range strings.Split(strings.TrimRight(e.Text(entitlement.Dutch), "\n"), "\n") {
		text := strings.TrimLeft(line, " ")
		depth := (len(line) - len(text)) / 2
		n := &explainNode{Text: strings.TrimPrefix(text, "- ")}
		for _, t := range []struct{ prefix, class, label string }{
			{"[voldaan] ", "met", "voldaan"}, {"[niet voldaan] ", "unmet", "niet voldaan"}, {"[onbekend] ", "unknown", "onbekend"},
		} {
			if rest, ok := strings.CutPrefix(n.Text, t.prefix); ok {
				n.Text, n.Truth, n.TruthLabel = rest, t.class, t.label
			}
		}
		stack = stack[:min(depth, len(stack))]
		if len(stack) == 0 {
			roots = append(roots, n)
		} else {
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, n)
		}
		stack = append(stack, n)
	}
	return roots
}

// factLabel is the Dutch label of a fact.
func (rt *rights) factLabel(name string) string {
	if id, ok := rt.rules.Schema().ID(name); ok {
		if l := rt.rules.Schema().Def(id).LabelNL; l != "" {
			return l
		}
	}
	return name
}

// myRights is "Mijn rechten": the rights granted automatically, why, the
// ones the municipality cannot decide on yet, and the ones the person
// refused.
func (a *Block) myRights(w http.ResponseWriter, r *http.Request, p *person) {
	a.renderRights(w, r, http.StatusOK, p, nil)
}

// rightsPage is the data of "Mijn rechten".
type rightsPage struct {
	// Granted are the rights granted; Pending those that wait for a
	// missing fact; Refused those the person opted out of.
	Granted, Pending, Refused []rightView
	Facts                     []factView
	OptOutError               *optOutError
}

func (a *Block) renderRights(w http.ResponseWriter, r *http.Request, status int, p *person, optErr *optOutError) {
	rt := a.rights
	ctx := r.Context()
	subject := subjectID(p)
	var granted, pending, refused []rightView
	for _, b := range rt.rules.Benefits() {
		v := rightView{ID: b.ID, Name: b.NameNL, What: benefitWhat[b.ID], Example: b.Example, Basis: b.LegalBasis.Decision}
		if !b.LegalBasis.Date.IsZero() {
			v.Basis += " (" + b.LegalBasis.Date.Start().Format("02/01/2006") + ")"
		}
		g, err := rt.svc.Current(ctx, subject, b.ID)
		switch {
		case err == nil:
			v.Since, v.DecisionRef = g.From.Start(), g.DecisionRef
			v.Status, v.Ending = "Toegekend", g.Status == entitlement.GrantEnding
			if v.Ending {
				v.Status, v.Until = "Loopt af", g.Until.Start()
			}
			if g.Reason != nil {
				v.Explanation = explainTree(g.Reason.Explanation)
				v.Plain = g.Reason.Plain(entitlement.PlainOptions{})
			}
			granted = append(granted, v)
			continue
		case !errors.Is(err, entitlement.ErrNotFound):
			a.site.Fail(w, r, err)
			return
		}
		out, err := rt.svc.OptOutOf(ctx, subject, b.ID)
		switch {
		case err == nil:
			v.OptedOutAt = out.At
			refused = append(refused, v)
			continue
		case !errors.Is(err, entitlement.ErrNotFound):
			a.site.Fail(w, r, err)
			return
		}
		// Not granted: say so when facts are missing rather than keep quiet.
		res, err := rt.svc.Assess(ctx, subject, b.ID, calendar.DateIn(time.Now()))
		if err != nil {
			a.site.Fail(w, r, fmt.Errorf("assess %s: %w", b.ID, err))
			return
		}
		if res.Outcome == entitlement.Undecided {
			for _, m := range res.Missing {
				v.Missing = append(v.Missing, rt.factLabel(m))
			}
			pending = append(pending, v)
		}
	}
	var facts []factView
	for _, f := range rt.register.Facts(subject) {
		who := "uzelf"
		if f.Member {
			who = "een ander gezinslid"
		} else if id, ok := rt.rules.Schema().ID(f.Name); ok && rt.rules.Schema().Def(id).Scope == entitlement.ScopeHousehold {
			who = "uw gezin"
		}
		facts = append(facts, factView{Label: rt.factLabel(f.Name), Value: factValue(f.Value), Who: who, Source: sourceLabels[f.Source]})
	}
	a.show(w, r, status, "rights.html", "Mijn rechten", rightsPage{Granted: granted, Pending: pending,
		Refused: refused, Facts: facts, OptOutError: optErr})
}

// factView is one fact the municipality used, as the person sees it.
type factView struct{ Label, Value, Who, Source string }

var sourceLabels = map[string]string{
	entitlement.SourceNationalRegister: "Rijksregister", entitlement.SourceCrossroadsBank: "Kruispuntbank van de Sociale Zekerheid",
	entitlement.SourceTaxAuthority: "FOD Financiën", entitlement.SourceVehicleRegister: "Dienst Inschrijvingen Voertuigen",
	entitlement.SourceOwnRecords: "Gegevens van de gemeente en het OCMW",
}

// factValue writes a fact value in Dutch.
func factValue(v entitlement.Value) string {
	s := v.String()
	switch {
	case s == "yes":
		return "ja"
	case s == "no":
		return "nee"
	case v.Kind == entitlement.KindCode:
		return map[string]string{"none": "geen wagen", "allowed": "mag in de LEZ", "banned": "mag de LEZ niet in"}[s]
	case v.Kind == entitlement.KindDate:
		if d, err := calendar.ParseDate(s); err == nil {
			return d.Start().Format("02/01/2006")
		}
	case v.Kind == entitlement.KindMoney:
		if d, err := decimal.NewFromString(strings.TrimPrefix(s, "EUR ")); err == nil {
			return euro(d)
		}
	}
	return s
}

// optOutError is the error shown next to the opt-out form of one right.
type optOutError struct{ Benefit, Field, Message, Reason string }

// maxOptOutReason bounds the reason a person may give for refusing a right.
const maxOptOutReason = 500

// optOut records that the person refuses a right ("afstand van recht"):
// it stops today and is never granted again automatically.
func (a *Block) optOut(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.rights.rules.Benefit(r.PathValue("benefit"))
	if !ok {
		a.notFound(w, r)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reden"))
	switch {
	case r.PostFormValue("bevestig") != "ja":
		a.renderRights(w, r, http.StatusUnprocessableEntity, p, &optOutError{Benefit: b.ID, Field: "bevestig", Reason: reason,
			Message: "Vink aan dat u begrijpt dat u dit recht niet meer automatisch krijgt."})
		return
	case utf8.RuneCountInString(reason) > maxOptOutReason:
		a.renderRights(w, r, http.StatusUnprocessableEntity, p, &optOutError{Benefit: b.ID, Field: "reden", Reason: reason,
			Message: "Houd de reden kort: hoogstens 500 tekens."})
		return
	}
	if err := a.rights.svc.OptOut(r.Context(), subjectID(p), b.ID, reason, "burger:"+p.ID); err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("right refused", "benefit", b.ID)
	a.site.Flash(w, r, "U ziet af van "+b.NameNL+". U krijgt dit recht niet meer automatisch.")
	http.Redirect(w, r, "/mijn-rechten", http.StatusSeeOther)
}

// rightsSection lists the rights granted to the person for "Mijn dossiers".
func (a *Block) rightsSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{Title: "Rechten", Empty: "De gemeente heeft u nog geen rechten automatisch toegekend.", DateLabel: "Sinds",
		Action: &frontoffice.Link{Label: "Bekijk uw rechten en waarom u ze krijgt", Href: "/mijn-rechten"}}
	if p.INSZ == "" || p.Enterprise != nil { // a person's own, not the enterprise's
		return sec, nil
	}
	// Every grant of the person in one read (not one per benefit); at most
	// one per benefit is current.
	current := map[string]entitlement.Grant{}
	for g, err := range a.rights.svc.GrantSummaries(ctx, subjectID(p)) {
		if err != nil {
			return sec, err
		}
		if g.Status.Current() {
			current[g.Benefit] = g
		}
	}
	for _, b := range a.rights.rules.Benefits() {
		g, ok := current[b.ID]
		if !ok {
			continue
		}
		status := "Toegekend"
		if g.Status == entitlement.GrantEnding {
			status = "Loopt af op " + g.Until.Start().Format("02/01/2006")
		}
		sec.Items = append(sec.Items, frontoffice.DossierItem{Link: "/mijn-rechten#recht-" + b.ID,
			Subject: b.NameNL, Status: status + " (automatisch)", Date: g.From.Start()})
	}
	return sec, nil
}

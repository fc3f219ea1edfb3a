package subsidies

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// costRows is how many cost lines the application form offers.
const costRows = 3

// subsidyForm is what the applicant typed, kept as text so a re-rendered
// form shows exactly that.
type subsidyForm struct {
	Organisation, KBO                             string
	GivenName, FamilyName                         string
	Street, Number, Box, PostalCode, Municipality string
	Email, IBAN, Requested                        string
	Costs                                         [costRows]costRow
	Answers                                       map[string]string
	// Key makes the form's submission safe to send twice (a double
	// click, a retry after a timeout): it is the application's
	// idempotency key, new for every form shown.
	Key string
}

// formKey is a fresh key for an application form.
func formKey() string { return rand.Text() }

// applyKey is the idempotency key of a posted form, or "" when the form
// carries none we made.
func applyKey(k string) string {
	if len(k) < 16 || len(k) > 64 || strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		return ""
	}
	return "portal-apply:" + k
}

type costRow struct {
	No                  int
	Description, Amount string
}

// applyPage is the data of the application form.
type applyPage struct {
	Call      *subsidy.Call
	Scheme    subsidy.Scheme
	ForOrg    bool
	Form      subsidyForm
	Errors    map[string]string
	Questions []subsidy.Question
}

// FormErrors gives the form's errors to the site's error summary.
func (p applyPage) FormErrors() frontoffice.FormErrors { return frontoffice.FormErrorsOf(p.Errors) }

// parseEuro reads an amount as people write it in Belgium: "1250",
// "1.250,50", "1250,50", "€ 1 250" or "1250.50". A dot followed by exactly
// three digits is a thousands separator.
func parseEuro(s string) (decimal.Decimal, bool) {
	d, err := frontoffice.ParseDecimal(s)
	return d, err == nil
}

// loadOpenCall loads the call in the URL and who p applies as. A call that
// does not exist or that p cannot apply for is "not found"; one that is not
// open is "gone".
func (a *Block) loadOpenCall(w http.ResponseWriter, r *http.Request, p *person) (subsidy.Call, subsidy.Applicant, bool) {
	id, err := uuid.Parse(r.PathValue("call"))
	if err != nil {
		a.notFound(w, r)
		return subsidy.Call{}, subsidy.Applicant{}, false
	}
	call, err := a.subsidies.Call(r.Context(), id)
	if errors.Is(err, subsidy.ErrNotFound) {
		a.notFound(w, r)
		return call, subsidy.Applicant{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return call, subsidy.Applicant{}, false
	}
	ap, ok := applicantFor(p, &call)
	if !ok {
		a.notFound(w, r)
		return call, ap, false
	}
	// An extension for this applicant keeps the call open for them.
	if !call.OpenFor(&subsidy.Application{ApplicationInput: subsidy.ApplicationInput{Applicant: ap}}, time.Now()) {
		a.site.Message(w, r, http.StatusGone, "Oproep gesloten", "De oproep "+call.Title+" staat niet (meer) open. Bekijk de oproepen die nu openstaan.")
		return call, ap, false
	}
	return call, ap, true
}

// subsidyApplyForm shows the application form, pre-filled with what the
// municipality knows of the applicant.
func (a *Block) subsidyApplyForm(w http.ResponseWriter, r *http.Request, p *person) {
	call, ap, ok := a.loadOpenCall(w, r, p)
	if !ok {
		return
	}
	f := subsidyForm{Organisation: ap.Organisation, KBO: ap.KBO, GivenName: ap.Name.Given, FamilyName: ap.Name.Family,
		Street: ap.Address.Street, Number: ap.Address.Number, Box: ap.Address.Box, PostalCode: ap.Address.PostalCode,
		Municipality: ap.Address.Municipality, Email: string(ap.Email), Answers: map[string]string{}, Key: formKey()}
	for i := range f.Costs {
		f.Costs[i].No = i + 1
	}
	a.renderApply(w, r, http.StatusOK, &call, f, nil)
}

func (a *Block) renderApply(w http.ResponseWriter, r *http.Request, status int, call *subsidy.Call, f subsidyForm, errsByField map[string]string) {
	if errsByField != nil {
		// what the applicant sends next is another request: a new key,
		// so a corrected form is not taken for a repeat of this one
		f.Key = formKey()
	}
	scheme, err := a.subsidies.Scheme(r.Context(), call.SchemeID)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.show(w, r, status, "subsidy_apply.html", "Aanvragen: "+call.Title,
		applyPage{Call: call, Scheme: scheme, ForOrg: audience(call) == subsidy.Organisation, Form: f, Errors: errsByField, Questions: call.Questions})
}

// subsidyApply validates the application, then creates and submits it.
func (a *Block) subsidyApply(w http.ResponseWriter, r *http.Request, p *person) {
	call, ap, ok := a.loadOpenCall(w, r, p)
	if !ok {
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := subsidyForm{GivenName: v("given_name"), FamilyName: v("family_name"), Street: v("street"), Number: v("number"), Box: v("box"),
		PostalCode: v("postal_code"), Municipality: v("municipality"), Email: v("email"), IBAN: v("iban"), Requested: v("requested"),
		Answers: map[string]string{}}
	// The enterprise and the person are who the sign-in says, never what
	// the form says: a changed name, KBO number or national number is
	// ignored (the sign-in asserts the enterprise's name and number).
	f.Organisation, f.KBO = ap.Organisation, ap.KBO
	byField := map[string]string{}
	in := subsidy.ApplicationInput{CallID: call.ID, Answers: map[string]string{}}
	in.Applicant = ap
	in.Applicant.Organisation = f.Organisation
	in.Applicant.Name = pii.Name{Given: f.GivenName, Family: f.FamilyName}
	in.Applicant.Address = pii.Address{Street: f.Street, Number: f.Number, Box: f.Box, PostalCode: f.PostalCode, Municipality: f.Municipality}
	in.Applicant.Email = pii.Email(f.Email)
	in.Applicant.IBAN = f.IBAN
	if d, ok := parseEuro(f.Requested); ok || f.Requested == "" {
		in.Requested = d
	} else {
		byField["requested"] = "Vul een bedrag in euro in, bijvoorbeeld 1250,00."
	}
	// rows maps the index of a cost line in the input to its row on the form.
	var rows []int
	for i := range f.Costs {
		row := &f.Costs[i]
		row.No = i + 1
		row.Description, row.Amount = v(fmt.Sprintf("cost_description_%d", i+1)), v(fmt.Sprintf("cost_amount_%d", i+1))
		if row.Description == "" && row.Amount == "" {
			continue
		}
		amount, ok := parseEuro(row.Amount)
		if !ok && row.Amount != "" {
			byField[fmt.Sprintf("cost_amount_%d", i+1)] = "Vul een bedrag in euro in, bijvoorbeeld 480,00."
		}
		in.Costs = append(in.Costs, subsidy.CostLine{Description: row.Description, Amount: amount})
		rows = append(rows, i+1)
	}
	for _, q := range call.Questions {
		ans := v("answer_" + q.ID)
		f.Answers[q.ID] = ans
		if ans != "" {
			in.Answers[q.ID] = ans
		} else if q.Required {
			// The package finds it at the admissibility check; the form
			// says so now, while the applicant can still answer.
			byField["answer_"+q.ID] = "Beantwoord deze vraag."
		}
	}
	var verr *subsidy.ValidationError
	if err := in.Validate(&call); errors.As(err, &verr) {
		for _, fe := range verr.Fields {
			field, msg := applyMessage(fe.Field, fe.Rule, &call, &in, rows)
			if _, taken := byField[field]; !taken {
				byField[field] = msg
			}
		}
	} else if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	if len(byField) > 0 {
		a.renderApply(w, r, http.StatusUnprocessableEntity, &call, f, byField)
		return
	}
	in.IdempotencyKey = applyKey(v("form_key"))
	app, err := a.subsidies.CreateDraft(r.Context(), in)
	switch {
	case err == nil && app.Status == subsidy.Draft:
		err = a.subsidies.Submit(r.Context(), app.ID)
		if errors.Is(err, subsidy.ErrInvalidTransition) && in.IdempotencyKey != "" {
			// a second post of this form, at the same moment, submitted it first
			if cur, gerr := a.subsidies.Application(r.Context(), app.ID); gerr == nil && !cur.SubmittedAt.IsZero() {
				err = nil
			}
		}
		if err != nil {
			// Leave no half-made draft behind: the applicant sees the
			// form again and submits anew.
			if werr := a.subsidies.Withdraw(r.Context(), app.ID); werr != nil {
				a.log.Error("withdraw unsubmitted draft", "application", app.ID, "err", werr)
			}
		}
	case err == nil && app.SubmittedAt.IsZero():
		// the same form sent before, whose submission failed and was
		// withdrawn: the applicant sees the form again
		a.renderApply(w, r, http.StatusUnprocessableEntity, &call, f, map[string]string{"form": "Deze aanvraag werd niet ingediend. Controleer de gegevens en verstuur opnieuw."})
		return
	}
	switch {
	case errors.Is(err, subsidy.ErrConflict):
		// the form's key came back with other data (the browser's back
		// button): show it again with a new key
		a.renderApply(w, r, http.StatusConflict, &call, f, map[string]string{"form": "Dit formulier werd al verstuurd met andere gegevens. Controleer de gegevens en verstuur opnieuw."})
		return
	case errors.Is(err, subsidy.ErrCallClosed):
		a.renderApply(w, r, http.StatusUnprocessableEntity, &call, f, map[string]string{"form": "Deze oproep is gesloten; u kunt niet meer indienen."})
		return
	case errors.As(err, &verr):
		for _, fe := range verr.Fields {
			field, msg := applyMessage(fe.Field, fe.Rule, &call, &in, rows)
			byField[field] = msg
		}
		a.renderApply(w, r, http.StatusUnprocessableEntity, &call, f, byField)
		return
	case err != nil:
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("subsidy application submitted", "application", app.ID, "call", call.ID)
	a.site.Flash(w, r, "Bedankt, uw aanvraag "+subsidyRef(app.ID)+" is ingediend.")
	http.Redirect(w, r, "/subsidies/aanvragen/"+app.ID.String(), http.StatusSeeOther)
}

// applyMessage maps a field error of the package (English, by JSON path)
// to the form field it belongs to and a Dutch message that says what to fix.
func applyMessage(field, rule string, call *subsidy.Call, in *subsidy.ApplicationInput, rows []int) (string, string) {
	switch field {
	case "applicant.name":
		if in.Applicant.Name.Given == "" {
			return "given_name", "Vul de voornaam in."
		}
		return "family_name", "Vul de familienaam in."
	case "applicant.organisation":
		return "organisation", "Vul de naam van de onderneming in."
	case "applicant.kbo":
		return "kbo", "Dit is geen geldig ondernemingsnummer."
	case "applicant.iban":
		return "iban", "Vul een geldig IBAN-rekeningnummer in, bijvoorbeeld BE68 5390 0754 7034."
	case "applicant.address.postal_code":
		return "postal_code", "Vul een geldige Belgische postcode in (4 cijfers)."
	case "applicant.email":
		return "email", "Vul een geldig e-mailadres in."
	case "applicant.insz":
		return "form", "Uw rijksregisternummer is niet geldig; neem contact op met de gemeente."
	case "requested":
		switch rule {
		case "max":
			if in.Requested.GreaterThan(call.MaxPerApplication) {
				return field, "Dat is meer dan het maximum per aanvraag (" + euro(call.MaxPerApplication) + ")."
			}
			return field, "Met deze aanvraag komt u boven het maximum per aanvrager (" + euro(call.MaxPerApplicant) + ")."
		case "ltefield":
			return field, "Het gevraagde bedrag mag niet hoger zijn dan de totale kosten."
		case "euro":
			return field, "Vul een bedrag in euro in, met hoogstens twee cijfers na de komma."
		}
		return field, "Vul het bedrag in dat u vraagt."
	case "costs":
		return "cost_description_1", "Geef minstens één kostenpost op, met omschrijving en bedrag."
	}
	var i int
	var rest string
	if n, _ := fmt.Sscanf(field, "costs[%d].%s", &i, &rest); n == 2 && i >= 0 && i < len(rows) {
		if rest == "description" {
			return fmt.Sprintf("cost_description_%d", rows[i]), "Omschrijf deze kostenpost."
		}
		return fmt.Sprintf("cost_amount_%d", rows[i]), "Vul een bedrag groter dan nul in, met hoogstens twee cijfers na de komma."
	}
	if q, ok := strings.CutPrefix(field, "answers."); ok {
		return "answer_" + q, "Deze vraag hoort niet bij deze oproep."
	}
	return "form", "Er is iets mis met de aanvraag: " + strconv.Quote(field) + "."
}

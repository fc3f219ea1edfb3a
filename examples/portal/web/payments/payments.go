package payments

import (
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// paymentBlock is "vlot digitaal betalen": the payment requests, the demo
// payment provider, and the statement lines a clerk confirmed. Whose
// invoice is whose the payment service answers (Query.Payers).
type paymentBlock struct {
	svc      *payment.Service
	provider *payment.Sandbox
	records  records.Confirmations
	creditor payment.Creditor
	clock    clock.Clock
}

// demoIBAN is the demo municipality's account (a valid example number).
const demoIBAN = "BE68539007547034"

// sandboxPath is where the demo payment provider's pages live in the portal.
const sandboxPath = "/betaalprovider"

// Invoice makes a payment request with a fresh structured
// reference under n.Key, so a repeated delivery of the grant gets the same
// invoice back. The debtor's INSZ or KBO number files it under its owner;
// the subject and the dossier's page travel in its metadata.
func (a *Block) Invoice(ctx context.Context, n NewInvoice) (uuid.UUID, error) {
	d := payment.Debtor{Kind: payment.DebtorPerson, Person: n.Name, INSZ: n.INSZ, Email: n.Email, Address: n.Address}
	if n.KBO != "" {
		d = payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: n.EnterpriseName, EnterpriseNumber: n.KBO, Email: n.Email, Address: n.Address}
	}
	meta := map[string]string{metaSubject: n.Subject, metaLink: n.Link}
	maps.Copy(meta, n.Metadata)
	r, err := a.payments.svc.Create(ctx, payment.NewRequest{
		Creditor: a.payments.creditor, Debtor: d, DueDate: n.Due, IdempotencyKey: n.Key, Metadata: meta,
		Lines: []payment.NewLine{{Description: n.Subject, Quantity: decimal.NewFromInt(1), UnitPrice: n.Amount}},
	})
	if err != nil {
		return uuid.Nil, err
	}
	return r.ID, nil
}

// The portal's keys in an invoice's metadata; metaLink, the page of the
// dossier it belongs to, is shared with the post block (post.go).
const metaSubject = "subject" // what the invoice is for, in Dutch

// invoiceInfo is what the portal keeps in an invoice's metadata.
type invoiceInfo struct{ Subject, Link string }

func infoOf(r *payment.Request) invoiceInfo {
	return invoiceInfo{Subject: r.Metadata[metaSubject], Link: r.Metadata[metaLink]}
}

// CancelInvoice cancels the invoice id, unless it is paid.
func (a *Block) CancelInvoice(ctx context.Context, id uuid.UUID, reason string) error {
	_, err := a.payments.svc.Cancel(ctx, id, reason)
	return err
}

var paymentStatusLabels = map[payment.Status]string{
	payment.StatusOpen: "Openstaand", payment.StatusPending: "Betaling bezig", payment.StatusPartiallyPaid: "Gedeeltelijk betaald",
	payment.StatusPaid: "Betaald", payment.StatusOverpaid: "Te veel betaald", payment.StatusFailed: "Betaling mislukt",
	payment.StatusCanceled: "Geannuleerd", payment.StatusExpired: "Vervallen", payment.StatusRefunded: "Terugbetaald",
}

// payable reports whether the debtor can still pay online.
func payable(s payment.Status) bool {
	switch s {
	case payment.StatusOpen, payment.StatusPending, payment.StatusPartiallyPaid, payment.StatusFailed, payment.StatusExpired:
		return true
	}
	return false
}

// invoiceSection lists the invoices of the person and their enterprise,
// newest first.
func (a *Block) invoiceSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{Title: "Facturen", Empty: "U hebt geen facturen.", DateLabel: "Te betalen vóór"}
	keys := ownerKeys(p)
	if len(keys) == 0 {
		return sec, nil
	}
	for r, err := range a.payments.svc.List(ctx, payment.Query{Payers: keys}) {
		if err != nil {
			return sec, err
		}
		item := frontoffice.DossierItem{Reference: r.Reference.String(), Link: "/facturen/" + r.ID.String(),
			Subject: infoOf(r).Subject + " – " + euro(r.Due()), Status: paymentStatusLabels[r.Status], Done: r.Status.Settled()}
		if !item.Done {
			item.Date = r.DueDate.Start()
		}
		if payable(r.Status) && r.Status != payment.StatusPending {
			item.ToDo = "Betalen"
		}
		sec.Items = append(sec.Items, item)
	}
	slices.Reverse(sec.Items)
	return sec, nil
}

// ownInvoice loads the invoice of the URL if it belongs to p; otherwise it
// answers "not found".
func (a *Block) ownInvoice(w http.ResponseWriter, r *http.Request, p *person) (*payment.Request, invoiceInfo, bool) {
	id, ok := parseID(r)
	if !ok {
		a.notFound(w, r)
		return nil, invoiceInfo{}, false
	}
	req, err := a.payments.svc.Get(r.Context(), id)
	if errors.Is(err, payment.ErrNotFound) || (err == nil && !slices.Contains(ownerKeys(p), req.Debtor.PayerKey())) {
		a.notFound(w, r)
		return nil, invoiceInfo{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return nil, invoiceInfo{}, false
	}
	return req, infoOf(req), true
}

// paymentReasons explains the request's timeline in Dutch.
func paymentReason(e payment.TimelineEntry) string {
	switch e.To {
	case payment.StatusOpen:
		if e.From == "" {
			return "Factuur opgemaakt"
		}
		return "Betaling afgebroken"
	case payment.StatusPending:
		return "Betaling gestart bij de betaalprovider"
	case payment.StatusFailed:
		return "Betaling mislukt"
	case payment.StatusPaid:
		return "Betaald"
	case payment.StatusPartiallyPaid:
		return "Gedeeltelijk betaald"
	case payment.StatusOverpaid:
		return "Te veel betaald: de gemeente stort het verschil terug"
	}
	return paymentStatusLabels[e.To]
}

// invoicePage is the data of the page of one invoice.
type invoicePage struct {
	R   *payment.Request
	Rec invoiceInfo
	// Status is the request's status in Dutch.
	Status string
	// Payable is whether "Betalen" is offered; Paid whether it is paid.
	Payable, Paid bool
	Debtor, IBAN  string
	Timeline      []timelineEntry
}

// invoicePage shows an invoice: the amount, the structured communication,
// the account, the EPC QR code for a banking app, and "Betalen".
func (a *Block) invoicePage(w http.ResponseWriter, r *http.Request, p *person) {
	req, rec, ok := a.ownInvoice(w, r, p)
	if !ok {
		return
	}
	var tl []timelineEntry
	for _, e := range req.Timeline {
		tl = append(tl, timelineEntry{At: e.At, Text: paymentReason(e)})
	}
	a.show(w, r, http.StatusOK, "invoice.html", "Factuur "+req.Reference.String(), invoicePage{
		R: req, Rec: rec, Status: paymentStatusLabels[req.Status],
		Payable: payable(req.Status) && req.Outstanding().IsPositive(), Paid: req.Status == payment.StatusPaid || req.Status == payment.StatusOverpaid,
		Debtor: req.Debtor.DisplayName(), IBAN: req.Creditor.IBAN.Printed(), Timeline: tl,
	})
}

// invoiceQR serves the EPC QR code of what is still due, as SVG.
func (a *Block) invoiceQR(w http.ResponseWriter, r *http.Request, p *person) {
	req, _, ok := a.ownInvoice(w, r, p)
	if !ok {
		return
	}
	code, err := payment.EPCFor(req, "").QR()
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(code.SVG())
}

// invoicePay starts a checkout at the payment provider and sends the
// debtor there.
func (a *Block) invoicePay(w http.ResponseWriter, r *http.Request, p *person) {
	req, _, ok := a.ownInvoice(w, r, p)
	if !ok {
		return
	}
	co, err := a.payments.svc.StartCheckout(r.Context(), a.payments.provider, req.ID, "/facturen/"+req.ID.String())
	switch {
	case errors.Is(err, payment.ErrInvalidTransition), errors.Is(err, payment.ErrValidation):
		a.site.Message(w, r, http.StatusConflict, "Niet meer te betalen", "Deze factuur is al betaald of afgesloten.")
		return
	case err != nil:
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("checkout started", "invoice", req.ID, "checkout", co.PaymentID)
	http.Redirect(w, r, co.URL, http.StatusSeeOther)
}

// providerPage is the data of the demo provider's checkout page.
type providerPage struct {
	PP                  payment.ProviderPayment
	Creditor, Reference string
	// Open is whether the payment still waits for the debtor; Return is
	// the invoice's page in the portal.
	Open   bool
	Return string
}

// providerPage is the demo payment provider's checkout page: the page of
// the bank, not of the municipality, where the debtor confirms.
func (a *Block) providerPage(w http.ResponseWriter, r *http.Request) {
	pp, err := a.payments.provider.Payment(r.Context(), r.PathValue("pid"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	req, err := a.payments.svc.Get(r.Context(), pp.RequestID)
	if err != nil {
		a.notFound(w, r)
		return
	}
	a.show(w, r, http.StatusOK, "provider.html", "Demobank – betaling bevestigen", providerPage{
		PP: pp, Creditor: req.Creditor.Name, Reference: req.Reference.String(),
		Open: pp.Status == payment.ProviderOpen || pp.Status == payment.ProviderPending, Return: "/facturen/" + pp.RequestID.String(),
	})
}

// providerAction plays the debtor's side at the demo provider (pay,
// refuse, cancel), and then does what a provider does: it sends the signed
// webhook to the portal and sends the debtor back. The webhook goes through
// the same door as one from outside (handleWebhook): verified, then the
// provider is asked for the truth.
func (a *Block) providerAction(w http.ResponseWriter, r *http.Request) {
	pid := r.PathValue("pid")
	pp, err := a.payments.provider.Payment(r.Context(), pid)
	if err != nil {
		a.notFound(w, r)
		return
	}
	var d payment.Delivery
	switch r.PostFormValue("action") {
	case "pay":
		d, err = a.payments.provider.Pay(pid)
	case "fail":
		d, err = a.payments.provider.Fail(pid)
	case "cancel":
		d, err = a.payments.provider.Cancel(pid)
	default:
		a.site.Message(w, r, http.StatusBadRequest, "Onbekende actie", "Deze actie bestaat niet.")
		return
	}
	if errors.Is(err, payment.ErrInvalidTransition) {
		a.site.Message(w, r, http.StatusConflict, "Betaling al afgehandeld", "Deze betaling is al afgehandeld.")
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	if err := a.handleWebhook(r.Context(), d.Header, d.Body); err != nil {
		a.site.Fail(w, r, err)
		return
	}
	switch r.PostFormValue("action") {
	case "pay":
		a.site.Flash(w, r, "Bedankt, uw betaling is ontvangen.")
	case "fail":
		a.site.Flash(w, r, "De betaling is mislukt. U kunt opnieuw proberen.")
	default:
		a.site.Flash(w, r, "De betaling is geannuleerd.")
	}
	http.Redirect(w, r, "/facturen/"+pp.RequestID.String(), http.StatusSeeOther)
}

// handleWebhook applies a provider's webhook: verified by signature and
// timestamp, then the payment's status is asked of the provider.
func (a *Block) handleWebhook(ctx context.Context, h http.Header, body []byte) error {
	return a.payments.svc.HandleWebhook(ctx, a.payments.provider, h, body)
}

// webhook is the endpoint a payment provider POSTs to. It needs no session
// or CSRF token: the signature proves where it comes from.
func (a *Block) webhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	err = a.handleWebhook(r.Context(), r.Header, body)
	switch {
	case errors.Is(err, payment.ErrForbidden):
		a.log.Warn("webhook refused", "err", err)
		http.Error(w, "forbidden", http.StatusForbidden)
	case errors.Is(err, payment.ErrNotFound):
		http.Error(w, "unknown payment", http.StatusNotFound)
	case err != nil:
		a.log.Error("webhook failed", "err", err)
		http.Error(w, "error", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// NewInvoice is an invoice to make, in the portal's words.
type NewInvoice struct {
	// Key makes the invoice once: a second invoice with the key returns
	// the first ("permit-fee:" + permit ID).
	Key     string
	Subject string // what it is for
	Link    string // the page of the dossier it belongs to
	// Metadata lets a consumer find what it invoiced ("permit_id").
	Metadata map[string]string
	// Debtor: a person by name and INSZ (whose "Mijn dossiers" shows it),
	// or an enterprise by name and KBO number.
	Name           pii.Name
	INSZ           pii.INSZ
	EnterpriseName string
	KBO            string
	Email          pii.Email
	Address        pii.Address
	Amount         decimal.Decimal
	Due            calendar.Date
}

// The portal's key in an invoice's metadata for the page of the dossier
// it belongs to (the post block reads it too).
const metaLink = "link"

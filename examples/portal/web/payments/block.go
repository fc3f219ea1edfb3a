// Package payments is the portal's pages for "vlot digitaal betalen" on the
// payment building block: the invoice page with its QR code, online
// payment through a payment provider (the payment package's Sandbox,
// clearly marked as the demo bank), the provider's webhook, and the
// clerk's upload of bank statements (CODA, camt.053).
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package payments

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

// Block is the payment pages. It also makes the invoices the permit
// wiring asks for (Invoice, CancelInvoice).
type Block struct {
	site     Site
	log      *slog.Logger
	pages    frontoffice.Pages
	payments *paymentBlock
}

// Deps is what the payment pages work on.
type Deps struct {
	Payments *payment.Service
	// Records keeps the statement lines a clerk confirmed by hand.
	Records records.Confirmations
	// Municipality names the creditor: "Gemeente " + Municipality.
	Municipality string
}

// New returns the payment pages, with a demo payment provider whose
// webhook secret is new at every start (it lives in this process; a real
// provider's secret comes from configuration).
func New(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	iban, err := payment.ParseIBAN(demoIBAN)
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return &Block{site: site, log: log, pages: pages, payments: &paymentBlock{
		svc:      d.Payments,
		provider: &payment.Sandbox{Secret: secret, BaseURL: sandboxPath},
		records:  d.Records,
		creditor: payment.Creditor{Name: "Gemeente " + d.Municipality, IBAN: iban},
		clock:    clock.Real{},
	}}, nil
}

// Provider is the demo payment provider.
func (a *Block) Provider() *payment.Sandbox { return a.payments.provider }

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /facturen/{id}", frontoffice.RequireCitizen(a.site, a.invoicePage))
	mux.HandleFunc("GET /facturen/{id}/qr.svg", frontoffice.RequireCitizen(a.site, a.invoiceQR))
	mux.HandleFunc("POST /facturen/{id}/betalen", frontoffice.RequireCitizen(a.site, a.invoicePay))
	mux.HandleFunc("GET "+sandboxPath+"/checkout/{pid}", a.providerPage)
	mux.HandleFunc("POST "+sandboxPath+"/checkout/{pid}", a.providerAction)
	mux.HandleFunc("POST "+webhookPath, a.webhook)
	mux.HandleFunc("GET /balie/rekeninguittreksels", frontoffice.RequireClerk(a.site, a.statements))
	mux.HandleFunc("POST /balie/rekeninguittreksels", frontoffice.RequireClerk(a.site, a.statementUpload))
	mux.HandleFunc("POST /balie/rekeninguittreksels/bevestigen", frontoffice.RequireClerk(a.site, a.statementConfirm))
}

// webhookPath is where the payment provider posts its notifications.
const webhookPath = "/betalingen/webhook"

// Unprotected is the webhook: the provider proves itself by its signature,
// not by a form token.
func (a *Block) Unprotected() []string { return []string{webhookPath} }

// BodyLimits lets a clerk upload a bank statement.
func (a *Block) BodyLimits() map[string]int64 {
	return map[string]int64{"POST /balie/rekeninguittreksels": maxStatement}
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{{Label: "Rekeninguittreksels", Href: "/balie/rekeninguittreksels", Clerk: true}}
}

// Dossiers returns the visitor's invoices for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.invoiceSection(ctx, frontoffice.PersonOf(v))
}

package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// invoicer is what the permit wiring needs from the payment block: an
// invoice for a fee, made once per key, and a way to withdraw it.
type invoicer interface {
	invoice(ctx context.Context, n newInvoice) (uuid.UUID, error)
	cancelInvoice(ctx context.Context, id uuid.UUID, reason string) error
}

// newInvoice is an invoice to make, in the portal's words.
type newInvoice struct {
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

// paymentTerm is how long the applicant has to pay the fee.
const paymentTerm = 30 // days

// onPermitGranted invoices the fee of a granted permit and plans its
// signage. It is idempotent: the invoice is made under the key
// "permit-fee:" + permit ID, so a repeated or racing delivery, or one after
// a crash between invoicing and recording, gets the same invoice back.
//
// The two consumers (this one and the withdrawal's) have no order between
// them: a grant handled late, after the permit was withdrawn, invoices
// nothing.
func (a *app) onPermitGranted(ctx context.Context, e event.Event) error {
	ap, err := a.permits.svc.Get(ctx, e.AggregateID)
	if err != nil {
		return err
	}
	if ap.Status == permit.StatusWithdrawn {
		return nil
	}
	rec, err := a.permits.records.get(ctx, ap.ID)
	if errors.Is(err, errNoRecord) {
		a.log.Warn("granted permit has no portal record; not invoiced", "permit", ap.ID)
		return nil
	}
	if err != nil {
		return err
	}
	signage, err := a.permits.svc.Signage(ctx, ap.ID)
	if err != nil {
		return err
	}
	var invoiceID uuid.UUID
	if rec.InvoiceID == uuid.Nil && ap.Fee.Total.IsPositive() {
		n := newInvoice{
			Key:      "permit-fee:" + ap.ID.String(),
			Metadata: map[string]string{"permit_id": ap.ID.String()},
			Subject:  fmt.Sprintf("Retributie %s: %s, %s", rec.Reference(), typeName(ap.Type), ap.Address.Street+" "+ap.Address.Number),
			Link:     "/vergunningen/" + ap.ID.String(),
			Name:     ap.Applicant.Name, EnterpriseName: ap.Applicant.Enterprise, KBO: ap.Applicant.KBO,
			Email: ap.Applicant.Email, Address: ap.Address,
			Amount: ap.Fee.Total,
			Due:    calendar.DateIn(e.Time).AddDays(paymentTerm),
		}
		if ap.Applicant.KBO == "" {
			n.INSZ = ap.Applicant.INSZ // filed under the person; an enterprise's invoice under its KBO number
		}
		if invoiceID, err = a.invoicer.invoice(ctx, n); err != nil {
			return err
		}
	}
	rec, err = a.permits.records.update(ctx, ap.ID, func(r *permitRecord) error {
		if invoiceID != uuid.Nil && r.InvoiceID == uuid.Nil {
			r.InvoiceID, r.InvoicedAt = invoiceID, e.Time
		}
		r.NoFee = !ap.Fee.Total.IsPositive()
		r.Signage = signage
		if r.GrantedAt.IsZero() {
			r.GrantedAt = e.Time
		}
		return nil
	})
	if err != nil {
		return err
	}
	if invoiceID != uuid.Nil {
		a.log.Info("permit invoiced", "permit", ap.ID, "reference", rec.Reference(), "invoice", invoiceID)
	}
	return nil
}

// onPermitWithdrawn withdraws the invoice of a permit the applicant gave
// up before paying. A paid invoice stays: refunding is the clerk's call.
func (a *app) onPermitWithdrawn(ctx context.Context, e event.Event) error {
	rec, err := a.permits.records.get(ctx, e.AggregateID)
	if errors.Is(err, errNoRecord) {
		return nil
	}
	if err != nil || rec.InvoiceID == uuid.Nil || !rec.FeePaidAt.IsZero() {
		return err
	}
	err = a.invoicer.cancelInvoice(ctx, rec.InvoiceID, "vergunning "+rec.Reference()+" ingetrokken")
	if errors.Is(err, payment.ErrInvalidTransition) {
		return nil // already canceled, or money came in meanwhile
	}
	return err
}

// onInvoiceStatus marks a permit's fee paid when its invoice is paid. The
// permit package has no notion of payment, so the portal records it and
// shows it on the permit's page and timeline. Idempotent: the first
// payment time stays.
func (a *app) onInvoiceStatus(ctx context.Context, e event.Event) error {
	ch, err := event.Decode[payment.StatusChanged](e)
	if err != nil {
		return err
	}
	if ch.To != payment.StatusPaid && ch.To != payment.StatusOverpaid {
		return nil
	}
	rec, err := a.permits.records.byInvoice(ctx, e.AggregateID)
	if errors.Is(err, errNoRecord) {
		return nil // an invoice of another block
	}
	if err != nil {
		return err
	}
	_, err = a.permits.records.update(ctx, rec.PermitID, func(r *permitRecord) error {
		if r.FeePaidAt.IsZero() {
			r.FeePaidAt = e.Time
		}
		return nil
	})
	if err == nil {
		a.log.Info("permit fee paid", "permit", rec.PermitID, "reference", rec.Reference())
	}
	return err
}

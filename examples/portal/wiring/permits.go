package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/payments"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/permits"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// Invoicer is what the permit wiring needs from the payment block: an
// invoice for a fee, made once per key, and a way to withdraw it.
type Invoicer interface {
	Invoice(ctx context.Context, n payments.NewInvoice) (uuid.UUID, error)
	CancelInvoice(ctx context.Context, id uuid.UUID, reason string) error
}

// PermitFees is the wiring between the permit and the payment block.
type PermitFees struct {
	log      *slog.Logger
	permits  *permit.Service
	records  records.Permits
	invoicer Invoicer
	cal      *calendar.Calendar
	clock    clock.Clock
}

// Permits subscribes the consumers between the permit and the payment
// block: a granted permit gets its invoice and its signage schedule, a
// withdrawn permit's unpaid invoice is cancelled, and a paid invoice marks
// the permit's fee paid.
func Permits(ctx context.Context, be *Backend, svc *permit.Service, recs records.Permits, inv Invoicer, cal *calendar.Calendar, clk clock.Clock) (*PermitFees, error) {
	w := &PermitFees{log: be.log, permits: svc, records: recs, invoicer: inv, cal: cal, clock: clk}
	for _, c := range []struct {
		name string
		h    event.Handler
		typ  string
	}{
		{"invoice granted permits", w.OnPermitGranted, permit.EventGranted},
		{"cancel invoices of withdrawn permits", w.OnPermitWithdrawn, permit.EventWithdrawn},
		{"mark permit fees paid", w.OnInvoiceStatus, payment.EventStatusChanged},
	} {
		if err := be.On(ctx, c.name, c.h, c.typ); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// paymentTerm is how long the applicant has to pay the fee.
const paymentTerm = 30 // days

// OnPermitGranted invoices the fee of a granted permit and plans its
// signage. It is idempotent: the invoice is made under the key
// "permit-fee:" + permit ID, so a repeated or racing delivery, or one after
// a crash between invoicing and recording, gets the same invoice back.
//
// The two consumers (this one and the withdrawal's) have no order between
// them: a grant handled late, after the permit was withdrawn, invoices
// nothing.
func (a *PermitFees) OnPermitGranted(ctx context.Context, e event.Event) error {
	ap, err := a.permits.Get(ctx, e.AggregateID)
	if err != nil {
		return err
	}
	if ap.Status == permit.StatusWithdrawn {
		return nil
	}
	rec, err := a.records.Get(ctx, ap.ID)
	if errors.Is(err, records.ErrNoRecord) {
		a.log.Warn("granted permit has no portal record; not invoiced", "permit", ap.ID)
		return nil
	}
	if err != nil {
		return err
	}
	signage, err := a.permits.Signage(ctx, ap.ID)
	if err != nil {
		return err
	}
	var invoiceID uuid.UUID
	if rec.InvoiceID == uuid.Nil && ap.Fee.Total.IsPositive() {
		n := payments.NewInvoice{
			Key:      "permit-fee:" + ap.ID.String(),
			Metadata: map[string]string{"permit_id": ap.ID.String()},
			Subject:  fmt.Sprintf("Retributie %s: %s, %s", rec.Reference(), permits.TypeName(ap.Type), ap.Address.Street+" "+ap.Address.Number),
			Link:     "/vergunningen/" + ap.ID.String(),
			Name:     ap.Applicant.Name, EnterpriseName: ap.Applicant.Enterprise, KBO: ap.Applicant.KBO,
			Email: ap.Applicant.Email, Address: ap.Address,
			Amount: ap.Fee.Total,
			Due:    calendar.DateIn(e.Time).AddDays(paymentTerm),
		}
		if ap.Applicant.KBO == "" {
			n.INSZ = ap.Applicant.INSZ // filed under the person; an enterprise's invoice under its KBO number
		}
		if invoiceID, err = a.invoicer.Invoice(ctx, n); err != nil {
			return err
		}
	}
	rec, err = a.records.Update(ctx, ap.ID, func(r *records.Permit) error {
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

// OnPermitWithdrawn withdraws the invoice of a permit the applicant gave
// up before paying. A paid invoice stays: refunding is the clerk's call.
func (a *PermitFees) OnPermitWithdrawn(ctx context.Context, e event.Event) error {
	rec, err := a.records.Get(ctx, e.AggregateID)
	if errors.Is(err, records.ErrNoRecord) {
		return nil
	}
	if err != nil || rec.InvoiceID == uuid.Nil || !rec.FeePaidAt.IsZero() {
		return err
	}
	err = a.invoicer.CancelInvoice(ctx, rec.InvoiceID, "vergunning "+rec.Reference()+" ingetrokken")
	if errors.Is(err, payment.ErrInvalidTransition) {
		return nil // already canceled, or money came in meanwhile
	}
	return err
}

// OnInvoiceStatus marks a permit's fee paid when its invoice is paid. The
// permit package has no notion of payment, so the portal records it and
// shows it on the permit's page and timeline. Idempotent: the first
// payment time stays.
func (a *PermitFees) OnInvoiceStatus(ctx context.Context, e event.Event) error {
	ch, err := event.Decode[payment.StatusChanged](e)
	if err != nil {
		return err
	}
	if ch.To != payment.StatusPaid && ch.To != payment.StatusOverpaid {
		return nil
	}
	rec, err := a.records.ByInvoice(ctx, e.AggregateID)
	if errors.Is(err, records.ErrNoRecord) {
		return nil // an invoice of another block
	}
	if err != nil {
		return err
	}
	_, err = a.records.Update(ctx, rec.PermitID, func(r *records.Permit) error {
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

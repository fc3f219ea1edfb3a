package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/payments"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

type flakyInvoicer struct {
	wiring.Invoicer
	down *atomic.Bool
}

func (f flakyInvoicer) Invoice(ctx context.Context, n payments.NewInvoice) (uuid.UUID, error) {
	if f.down.Load() {
		return uuid.Nil, errors.New("payment service unreachable")
	}
	return f.Invoicer.Invoice(ctx, n)
}

// The invoice consumer and the withdrawal consumer are two consumers with
// their own progress: when invoicing is retried after the permit was
// withdrawn, the withdrawal handler has already found no invoice, so the
// retried invoice handler must not bill the withdrawn permit.
func TestWithdrawnBeforeInvoiceRetryLeavesNoOpenInvoice(t *testing.T) {
	an, a := newAppClient(t, io.Discard)
	var down atomic.Bool
	a.invoicer = flakyInvoicer{a.invoicer, &down}
	an.signIn("an")
	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	_, _ = an.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	permitID := strings.TrimPrefix(link, "/vergunningen/")
	clerk := an.other("balie")
	_, detail := clerk.get("/balie/vergunningen/" + permitID)
	token := csrf(t, detail)
	status, _ := clerk.post("/balie/vergunningen/"+permitID, url.Values{"csrf": {token}, "action": {"complete"}})
	require.Equal(t, http.StatusOK, status)
	down.Store(true) // the payment service has a short outage
	status, _ = clerk.post("/balie/vergunningen/"+permitID, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"grant"}})
	require.Equal(t, http.StatusOK, status)
	settle(t, a) // invoice consumer failed, waits for its retry in 1 s

	_, page := an.get(link)
	status, _ = an.post(link+"/intrekken", url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusOK, status)
	settle(t, a) // the withdrawal consumer: no invoice yet, nothing to cancel

	down.Store(false) // outage over
	time.Sleep(1100 * time.Millisecond)
	settle(t, a)

	ctx := context.Background()
	ap, err := a.permits.Get(ctx, uuid.MustParse(permitID))
	require.NoError(t, err)
	rec, err := a.permitRecords.Get(ctx, ap.ID)
	require.NoError(t, err)
	t.Logf("permit status %s, invoice %s", ap.Status, rec.InvoiceID)
	require.Equal(t, permit.StatusWithdrawn, ap.Status)
	if rec.InvoiceID != uuid.Nil {
		inv, err := a.payments.Get(ctx, rec.InvoiceID)
		require.NoError(t, err)
		t.Logf("invoice of the withdrawn permit: status %s, amount %s", inv.Status, inv.Amount)
		require.NotEqual(t, "open", string(inv.Status), "a withdrawn permit keeps an open invoice")
	}
}

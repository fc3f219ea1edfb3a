package payment_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func sandboxSetup(t *testing.T) (*payment.Service, *payment.Sandbox, *clock.Settable, *event.Recorder) {
	rec := &event.Recorder{}
	c := clock.NewSettable(paymenttest.Start)
	svc := payment.NewService(payment.NewMemStore(rec), c)
	sb := &payment.Sandbox{Secret: bytes.Repeat([]byte("s"), 32), Clock: c, BaseURL: "https://psp.test"}
	return svc, sb, c, rec
}

func TestWebhookFlow(t *testing.T) {
	ctx := context.Background()
	svc, sb, c, rec := sandboxSetup(t)
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)

	co, err := svc.StartCheckout(ctx, sb, r.ID, "https://zottegem.be/bedankt")
	require.NoError(t, err)
	again, err := svc.StartCheckout(ctx, sb, r.ID, "https://zottegem.be/bedankt")
	require.NoError(t, err)
	assert.Equal(t, co, again, "the idempotency key returns the same checkout")

	pending, err := sb.Open(co.PaymentID)
	require.NoError(t, err)
	paid, err := sb.Pay(co.PaymentID)
	require.NoError(t, err)

	// Out of order: "paid" arrives first, then the older "pending".
	require.NoError(t, svc.HandleWebhook(ctx, sb, paid.Header, paid.Body))
	require.NoError(t, svc.HandleWebhook(ctx, sb, pending.Header, pending.Body))
	// And "paid" again.
	require.NoError(t, svc.HandleWebhook(ctx, sb, paid.Header, paid.Body))
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, got.Status)
	assert.Len(t, got.Payments, 1)
	booked := 0
	for _, typ := range rec.Types() {
		if typ == payment.EventPaymentBooked {
			booked++
		}
	}
	assert.Equal(t, 1, booked)

	refund, err := sb.Refund(co.PaymentID)
	require.NoError(t, err)
	require.NoError(t, svc.HandleWebhook(ctx, sb, refund.Header, refund.Body))
	got, err = svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusRefunded, got.Status)
	assert.True(t, decimal.RequireFromString("25").Equal(got.Refunded))
	_ = c
}

func TestWebhookFailureAndRetry(t *testing.T) {
	ctx := context.Background()
	svc, sb, _, _ := sandboxSetup(t)
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)
	co, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	failed, err := sb.Fail(co.PaymentID)
	require.NoError(t, err)
	require.NoError(t, svc.HandleWebhook(ctx, sb, failed.Header, failed.Body))
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusFailed, got.Status)
	var path []payment.Status
	for _, e := range got.Timeline {
		path = append(path, e.To)
	}
	assert.Equal(t, []payment.Status{payment.StatusOpen, payment.StatusPending, payment.StatusFailed}, path)
}

// After a failed or abandoned checkout the debtor tries again: that is a
// new checkout, not the dead one back; a doubled click on the new one still
// starts only one.
func TestCheckoutAgainAfterFailureOrCancel(t *testing.T) {
	ctx := context.Background()
	svc, sb, _, _ := sandboxSetup(t)
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)

	first, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	failed, err := sb.Fail(first.PaymentID)
	require.NoError(t, err)
	require.NoError(t, svc.HandleWebhook(ctx, sb, failed.Header, failed.Body))

	second, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	assert.NotEqual(t, first.PaymentID, second.PaymentID, "a new attempt after a failure")
	again, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	assert.Equal(t, second, again, "a doubled click on the running checkout")

	canceled, err := sb.Cancel(second.PaymentID)
	require.NoError(t, err)
	require.NoError(t, svc.HandleWebhook(ctx, sb, canceled.Header, canceled.Body))
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, payment.StatusOpen, got.Status)

	third, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	assert.NotEqual(t, second.PaymentID, third.PaymentID, "a new attempt after abandoning the checkout")
	paid, err := sb.Pay(third.PaymentID)
	require.NoError(t, err)
	require.NoError(t, svc.HandleWebhook(ctx, sb, paid.Header, paid.Body))
	got, err = svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, got.Status)
	assert.Len(t, got.Payments, 1)
}

func TestWebhookRejectsForgedAndStale(t *testing.T) {
	ctx := context.Background()
	svc, sb, c, _ := sandboxSetup(t)
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)
	co, err := svc.StartCheckout(ctx, sb, r.ID, "")
	require.NoError(t, err)
	paid, err := sb.Pay(co.PaymentID)
	require.NoError(t, err)

	forged := bytes.Replace(paid.Body, []byte(`"id":"ev_`), []byte(`"id":"ev_x`), 1)
	err = svc.HandleWebhook(ctx, sb, paid.Header, forged)
	assert.ErrorIs(t, err, payment.ErrWebhookSignature)
	assert.ErrorIs(t, err, payment.ErrForbidden)

	other := &payment.Sandbox{Secret: bytes.Repeat([]byte("x"), 32), Clock: c}
	assert.ErrorIs(t, svc.HandleWebhook(ctx, other, paid.Header, paid.Body), payment.ErrWebhookSignature)
	assert.ErrorIs(t, svc.HandleWebhook(ctx, sb, http.Header{}, paid.Body), payment.ErrWebhookMalformed)
	unset := &payment.Sandbox{Clock: c}
	h := http.Header{}
	h.Set(payment.SignatureHeader, "t=1,v1="+hexMAC(nil, "1", paid.Body))
	assert.ErrorIs(t, svc.HandleWebhook(ctx, unset, h, paid.Body), payment.ErrWebhookSignature, "no secret, no trust")

	c.Advance(payment.WebhookTolerance + time.Second) // a replay, too late
	assert.ErrorIs(t, svc.HandleWebhook(ctx, sb, paid.Header, paid.Body), payment.ErrWebhookStale)

	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPending, got.Status, "nothing changed")
	assert.Empty(t, got.Payments)
}

func hexMAC(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts + "."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func FuzzSandboxVerifyWebhook(f *testing.F) {
	c := clock.NewSettable(paymenttest.Start)
	sb := &payment.Sandbox{Secret: bytes.Repeat([]byte("s"), 32), Clock: c}
	f.Add("t=1,v1=00", []byte(`{"id":"ev_1","payment_id":"tr_1","created":1}`))
	f.Fuzz(func(t *testing.T, sig string, body []byte) {
		h := http.Header{}
		h.Set(payment.SignatureHeader, sig)
		_, err := sb.VerifyWebhook(h, body)
		// Without the secret nothing gets through.
		assert.ErrorIs(t, err, payment.ErrForbidden)
	})
}

func TestVerifyWebhookAcceptsAnySignatureWhileSecretsRotate(t *testing.T) {
	c := clock.NewSettable(paymenttest.Start)
	oldSecret, newSecret := bytes.Repeat([]byte("o"), 32), bytes.Repeat([]byte("n"), 32)
	body := []byte(`{"id":"ev_1","payment_id":"tr_1","created":1}`)
	for name, secrets := range map[string][][]byte{
		"new first": {newSecret, oldSecret},
		"new last":  {oldSecret, newSecret},
		"only new":  {newSecret},
	} {
		t.Run(name, func(t *testing.T) {
			h := payment.SignWebhook(body, c.Now(), secrets...)
			sb := &payment.Sandbox{Secret: newSecret, Clock: c}
			ev, err := sb.VerifyWebhook(h, body)
			require.NoError(t, err)
			assert.Equal(t, "tr_1", ev.PaymentID)
		})
	}
	sb := &payment.Sandbox{Secret: newSecret, Clock: c}
	_, err := sb.VerifyWebhook(payment.SignWebhook(body, c.Now(), oldSecret, bytes.Repeat([]byte("x"), 32)), body)
	assert.ErrorIs(t, err, payment.ErrWebhookSignature, "no signature under the current secret")
}

func TestVerifyWebhookChecksToleranceFirst(t *testing.T) {
	c := clock.NewSettable(paymenttest.Start)
	sb := &payment.Sandbox{Secret: bytes.Repeat([]byte("s"), 32), Clock: c}
	body := []byte(`{"id":"ev_1","payment_id":"tr_1","created":1}`)
	old := c.Now().Add(-payment.WebhookTolerance - time.Second)
	// Stale with a wrong signature: the age is what is reported, and no MAC
	// is compared for a delivery that is too old anyway.
	_, err := sb.VerifyWebhook(payment.SignWebhook(body, old, bytes.Repeat([]byte("x"), 32)), body)
	assert.ErrorIs(t, err, payment.ErrWebhookStale)
	_, err = sb.VerifyWebhook(payment.SignWebhook(body, old, sb.Secret), body)
	assert.ErrorIs(t, err, payment.ErrWebhookStale)
	_, err = sb.VerifyWebhook(payment.SignWebhook(body, c.Now(), sb.Secret), body)
	assert.NoError(t, err)
}

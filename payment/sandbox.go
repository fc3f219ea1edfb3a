package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// SignatureHeader carries a webhook's signature: "t=<unix>,v1=<hex>",
// where v1 is HMAC-SHA256 over "<unix>.<body>", as Stripe does. While a
// secret is being rotated the header carries one v1 per secret.
const SignatureHeader = "Webhook-Signature"

// WebhookTolerance is how far a webhook's timestamp may be from now.
const WebhookTolerance = 5 * time.Minute

// Sandbox is a complete payment provider that lives in memory, for a
// municipality to test its integration against and for this package's
// tests: it keeps idempotency keys, moves payments through the provider
// statuses, and signs webhooks the way real providers do. The debtor's
// side is played with Pay, Fail, Cancel and Refund.
type Sandbox struct {
	// Secret signs webhooks; at least 32 bytes.
	Secret []byte
	// Clock stamps webhooks and checks their age; nil is the real clock.
	Clock clock.Clock
	// BaseURL prefixes checkout URLs.
	BaseURL string

	mu       sync.Mutex
	payments map[string]*ProviderPayment
	idem     map[string]sandboxIdem
}

type sandboxIdem struct {
	req      CheckoutRequest
	checkout Checkout
}

var _ Provider = (*Sandbox)(nil)

func (s *Sandbox) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

// CreateCheckout starts a payment; the same idempotency key with the same
// request returns the same checkout, with a different request ErrConflict.
func (s *Sandbox) CreateCheckout(_ context.Context, req CheckoutRequest) (Checkout, error) {
	if req.IdempotencyKey == "" {
		return Checkout{}, errs.Invalid("idempotency_key", "required", "an idempotency key is required")
	}
	if !req.Amount.IsPositive() {
		return Checkout{}, errs.Invalid("amount", "gt", "the amount must be positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.payments == nil {
		s.payments, s.idem = map[string]*ProviderPayment{}, map[string]sandboxIdem{}
	}
	if prev, ok := s.idem[req.IdempotencyKey]; ok {
		if prev.req.RequestID != req.RequestID || !prev.req.Amount.Equal(req.Amount) {
			return Checkout{}, errs.Wrap(ErrConflict, "idempotency key %s was used for another checkout", req.IdempotencyKey)
		}
		return prev.checkout, nil
	}
	pid := "tr_" + strings.ReplaceAll(id.New().String(), "-", "")
	s.payments[pid] = &ProviderPayment{ID: pid, RequestID: req.RequestID, Amount: req.Amount, Refunded: decimal.Zero, Status: ProviderOpen}
	c := Checkout{PaymentID: pid, URL: strings.TrimRight(s.BaseURL, "/") + "/checkout/" + pid}
	s.idem[req.IdempotencyKey] = sandboxIdem{req: req, checkout: c}
	return c, nil
}

// Payment returns the payment as the sandbox knows it.
func (s *Sandbox) Payment(_ context.Context, pid string) (ProviderPayment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[pid]
	if !ok {
		return ProviderPayment{}, errs.Wrap(ErrNotFound, "provider payment %s", pid)
	}
	return *p, nil
}

// Delivery is a webhook as the sandbox would POST it.
type Delivery struct {
	Header http.Header
	Body   []byte
}

type sandboxEvent struct {
	ID        string `json:"id"`
	PaymentID string `json:"payment_id"`
	Created   int64  `json:"created"`
}

// move changes a payment's status and returns the signed webhook for it.
func (s *Sandbox) move(pid string, to ProviderStatus, allowed ...ProviderStatus) (Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[pid]
	if !ok {
		return Delivery{}, errs.Wrap(ErrNotFound, "provider payment %s", pid)
	}
	okFrom := false
	for _, a := range allowed {
		okFrom = okFrom || p.Status == a
	}
	if !okFrom {
		return Delivery{}, errs.Wrap(ErrInvalidTransition, "provider payment %s is %s", pid, p.Status)
	}
	p.Status = to
	if to == ProviderRefunded {
		p.Refunded = p.Amount
	}
	return s.sign(sandboxEvent{ID: "ev_" + id.New().String(), PaymentID: pid, Created: s.now().Unix()}), nil
}

// Open marks that the debtor is at the checkout: pending.
func (s *Sandbox) Open(pid string) (Delivery, error) {
	return s.move(pid, ProviderPending, ProviderOpen)
}

// Pay completes the payment.
func (s *Sandbox) Pay(pid string) (Delivery, error) {
	return s.move(pid, ProviderPaid, ProviderOpen, ProviderPending)
}

// Fail makes the payment fail (card declined, bank refused).
func (s *Sandbox) Fail(pid string) (Delivery, error) {
	return s.move(pid, ProviderFailed, ProviderOpen, ProviderPending)
}

// Cancel is the debtor abandoning the checkout.
func (s *Sandbox) Cancel(pid string) (Delivery, error) {
	return s.move(pid, ProviderCanceled, ProviderOpen, ProviderPending)
}

// Refund pays a paid payment back in full.
func (s *Sandbox) Refund(pid string) (Delivery, error) {
	return s.move(pid, ProviderRefunded, ProviderPaid)
}

func (s *Sandbox) sign(ev sandboxEvent) Delivery {
	body, _ := json.Marshal(ev)
	return Delivery{Header: SignWebhook(body, time.Unix(ev.Created, 0), s.Secret), Body: body}
}

// SignWebhook returns the headers of a webhook delivery of body made at
// the given time, with one v1 signature per secret (two while a secret is
// rotated), so a test can deliver its own payload to a verifier.
func SignWebhook(body []byte, at time.Time, secrets ...[]byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts)
	for _, secret := range secrets {
		b.WriteString(",v1=" + webhookMAC(secret, ts, body))
	}
	h := http.Header{}
	h.Set(SignatureHeader, b.String())
	h.Set("Content-Type", "application/json")
	return h
}

func webhookMAC(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyWebhook checks that the timestamp is within WebhookTolerance of
// now, then that one of the header's v1 signatures (any of them, so the
// sender can rotate its secret) is the HMAC of the body under Secret, in
// constant time, as Stripe's verifier does; then it reads the event.
func (s *Sandbox) VerifyWebhook(h http.Header, body []byte) (WebhookEvent, error) {
	if len(s.Secret) < 32 {
		// An empty or short secret would let anyone sign; refuse everything.
		return WebhookEvent{}, ErrWebhookSignature
	}
	var ts string
	var sigs []string
	for _, part := range strings.Split(h.Get(SignatureHeader), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if v != "" {
				sigs = append(sigs, v)
			}
		}
	}
	if ts == "" || len(sigs) == 0 {
		return WebhookEvent{}, ErrWebhookMalformed
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return WebhookEvent{}, ErrWebhookMalformed
	}
	age := s.now().Sub(time.Unix(unix, 0))
	if age > WebhookTolerance || age < -WebhookTolerance {
		return WebhookEvent{}, ErrWebhookStale
	}
	want := []byte(webhookMAC(s.Secret, ts, body))
	ok := false
	for _, sig := range sigs {
		ok = hmac.Equal([]byte(sig), want) || ok // every one compared: no early exit to time
	}
	if !ok {
		return WebhookEvent{}, ErrWebhookSignature
	}
	var ev sandboxEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" || ev.PaymentID == "" {
		return WebhookEvent{}, ErrWebhookMalformed
	}
	return WebhookEvent{ID: ev.ID, PaymentID: ev.PaymentID, Created: time.Unix(ev.Created, 0)}, nil
}

package payment

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// ProviderStatus is a payment's status at a payment service provider.
type ProviderStatus string

// The provider statuses, after Mollie's payment lifecycle.
const (
	ProviderOpen     ProviderStatus = "open"
	ProviderPending  ProviderStatus = "pending"
	ProviderPaid     ProviderStatus = "paid"
	ProviderFailed   ProviderStatus = "failed"
	ProviderCanceled ProviderStatus = "canceled"
	ProviderExpired  ProviderStatus = "expired"
	ProviderRefunded ProviderStatus = "refunded"
)

// The reasons a webhook is refused; each wraps ErrForbidden.
var (
	ErrWebhookSignature = fmt.Errorf("%w: webhook signature does not match", ErrForbidden)
	ErrWebhookStale     = fmt.Errorf("%w: webhook timestamp is outside the tolerance", ErrForbidden)
	ErrWebhookMalformed = fmt.Errorf("%w: webhook is malformed", ErrForbidden)
)

// CheckoutRequest asks a provider to start a payment.
type CheckoutRequest struct {
	RequestID   uuid.UUID
	Amount      decimal.Decimal
	Description string
	Reference   string // the structured reference, for the provider's statement
	ReturnURL   string
	// IdempotencyKey makes a retried call return the first checkout
	// instead of starting a second one.
	IdempotencyKey string
}

// Checkout is a started payment: where to send the debtor.
type Checkout struct {
	PaymentID string
	URL       string
}

// ProviderPayment is the provider's authoritative view of a payment.
type ProviderPayment struct {
	ID        string
	RequestID uuid.UUID
	Amount    decimal.Decimal
	Refunded  decimal.Decimal
	Status    ProviderStatus
}

// WebhookEvent is a verified notification: a reason to look, not the truth.
type WebhookEvent struct {
	ID        string
	PaymentID string
	Created   time.Time
}

// Provider is a payment service provider (Mollie, Stripe, a bank's
// checkout). Implementations are small: the service does the rest.
type Provider interface {
	// CreateCheckout starts a payment, once per idempotency key.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (Checkout, error)
	// VerifyWebhook checks a delivery's signature and timestamp and
	// returns the event; it returns an error wrapping ErrForbidden for
	// anything forged, altered or stale.
	VerifyWebhook(h http.Header, body []byte) (WebhookEvent, error)
	// Payment fetches the payment's current state: the truth.
	Payment(ctx context.Context, id string) (ProviderPayment, error)
}

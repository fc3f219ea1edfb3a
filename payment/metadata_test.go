package payment_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func TestNewRequestMetadataAndKeyLimits(t *testing.T) {
	many := map[string]string{}
	for i := range payment.MaxMetadataKeys + 1 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	fifty := map[string]string{}
	for i := range payment.MaxMetadataKeys {
		fifty[fmt.Sprintf("k%d", i)] = "v"
	}
	for _, tc := range []struct {
		name  string
		meta  map[string]string
		key   string
		field string // "" when valid
	}{
		{"none", nil, "", ""},
		{"fifty keys", fifty, "", ""},
		{"longest key and value", map[string]string{strings.Repeat("k", 40): strings.Repeat("v", 500)}, "", ""},
		{"too many keys", many, "", "metadata"},
		{"key too long", map[string]string{strings.Repeat("k", 41): "v"}, "", "metadata"},
		{"empty key", map[string]string{"": "v"}, "", "metadata"},
		{"bracket in key", map[string]string{"a[b]": "v"}, "", "metadata"},
		{"value too long", map[string]string{"k": strings.Repeat("v", 501)}, "", `metadata["k"]`},
		{"NUL in value", map[string]string{"k": "a\x00b"}, "", `metadata["k"]`},
		{"idempotency key too long", nil, strings.Repeat("x", 256), "idempotency_key"},
		{"idempotency key with control character", nil, "a\x01", "idempotency_key"},
		{"longest idempotency key", nil, strings.Repeat("x", 255), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := paymenttest.NewRequest(t)
			n.Metadata, n.IdempotencyKey = tc.meta, tc.key
			err := n.Validate()
			if tc.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *payment.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tc.field)
			assert.True(t, ok, "%s names %s: %v", tc.name, tc.field, err)
		})
	}
}

func TestNewRequestPayerNumbers(t *testing.T) {
	n := paymenttest.NewRequest(t)
	n.Debtor.INSZ = "85073003329"
	var ve *payment.ValidationError
	require.ErrorAs(t, n.Validate(), &ve)
	_, ok := ve.Field("debtor.insz")
	assert.True(t, ok)

	n = paymenttest.NewRequest(t)
	n.Debtor = payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: "Bouwbedrijf", EnterpriseNumber: "0123.456.748"}
	require.ErrorAs(t, n.Validate(), &ve)
	_, ok = ve.Field("debtor.enterprise_number")
	assert.True(t, ok)
	n.Debtor.EnterpriseNumber = paymenttest.EnterpriseNumber
	assert.NoError(t, n.Validate())
}

// FuzzIdempotentCreate: any metadata and key are taken exactly when they
// keep the limits, and a taken create repeated returns the same request.
func FuzzIdempotentCreate(f *testing.F) {
	f.Add("permit_id", "0192f7a0", "permit-fee:0192f7a0")
	f.Add("a[b]", "v", "")
	f.Add("k", "nul\x00", "k")
	f.Add("", "v", "k")
	f.Add(strings.Repeat("k", 41), "v", "\xff")
	f.Fuzz(func(t *testing.T, key, value, idemKey string) {
		ok := key != "" && len(key) <= payment.MaxMetadataKey && !strings.ContainsAny(key, "[]") &&
			len(value) <= payment.MaxMetadataValue && len(idemKey) <= 255
		for _, s := range []string{key, value, idemKey} {
			if rule, _ := validate.TextProblem(s); rule != "" {
				ok = false
			}
		}
		ctx := context.Background()
		svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
		n := paymenttest.NewRequest(t)
		n.Metadata, n.IdempotencyKey = map[string]string{key: value}, idemKey
		r, err := svc.Create(ctx, n)
		if !ok {
			require.ErrorIs(t, err, payment.ErrValidation)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, value, r.Metadata[key])
		again, err := svc.Create(ctx, n)
		require.NoError(t, err)
		if idemKey != "" {
			assert.Equal(t, r.ID, again.ID)
		} else {
			assert.NotEqual(t, r.ID, again.ID)
		}
	})
}

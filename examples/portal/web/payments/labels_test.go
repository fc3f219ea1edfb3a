package payments

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/payment"
)

func TestEveryOutcomeHasALabel(t *testing.T) {
	for _, o := range []payment.Outcome{payment.OutcomePaid, payment.OutcomePartial, payment.OutcomeOverpaid, payment.OutcomeClosed,
		payment.OutcomeDuplicate, payment.OutcomeUnknownReference, payment.OutcomeSuggested, payment.OutcomeUnmatched,
		payment.OutcomeDebit, payment.OutcomeReversal} {
		assert.NotEmpty(t, outcomeLabels[o], o)
	}
}

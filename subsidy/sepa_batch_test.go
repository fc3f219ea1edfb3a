package subsidy_test

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// granted brings a new application of amount to a grant with its
// advance ordered.
func granted(t *testing.T, ctx context.Context, svc *subsidy.Service, callID uuid.UUID, amount string) {
	t.Helper()
	a, err := svc.CreateDraft(ctx, subsidytest.Input(callID, amount))
	require.NoError(t, err)
	require.NoError(t, svc.Submit(ctx, a.ID))
	reasons, err := svc.CheckAdmissibility(ctx, a.ID)
	require.NoError(t, err)
	require.Empty(t, reasons)
	require.NoError(t, svc.StartAssessment(ctx, a.ID))
	require.NoError(t, svc.Decide(ctx, a.ID, subsidy.DecisionInput{Amount: a.Requested, Motivation: "ok"}))
	_, err = svc.OrderPayments(ctx, a.ID)
	require.NoError(t, err)
}

// TestPaymentBatchRewriteAddsNothing: writing batch BATCH-1 again (the
// file was lost) after another grant was ordered writes the same file; the
// new order is not in it and goes out in the next batch.
func TestPaymentBatchRewriteAddsNothing(t *testing.T) {
	ctx := context.Background()
	svc := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Renovation premium", Regulation: "GR 2025-12-15", LegalBasis: "Decreet lokaal bestuur art. 41", BudgetArticle: "0630-00/6490000"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, subsidytest.Rules())
	require.NoError(t, err)
	granted(t, ctx, svc, call.ID, "1000")
	in := subsidy.Initiation{MessageID: "BATCH-1", Created: subsidytest.Opens, Initiator: "Gemeente", Debtor: "Gemeente", DebtorIBAN: subsidytest.ValidIBAN, Execution: subsidytest.Opens}
	var first bytes.Buffer
	tot, err := svc.PaymentBatch(ctx, &first, call.ID, in)
	require.NoError(t, err)
	require.Equal(t, 1, tot.Count)

	granted(t, ctx, svc, call.ID, "2000.50")
	var again bytes.Buffer
	tot, err = svc.PaymentBatch(ctx, &again, call.ID, in)
	require.NoError(t, err)
	assert.Equal(t, 1, tot.Count)
	assert.Equal(t, first.String(), again.String(), "the same message id writes the same file")

	in.MessageID = "BATCH-2"
	var next bytes.Buffer
	tot, err = svc.PaymentBatch(ctx, &next, call.ID, in)
	require.NoError(t, err)
	assert.Equal(t, 1, tot.Count, "the new order goes out under a new message id")
	assert.True(t, decimal.RequireFromString("1000.25").Equal(tot.Sum), "the advance of 2000.50: %s", tot.Sum)
}

// TestWriteCreditTransfersSecondPassDiffers: transfers that yield other
// payments the second time (a store changed in between) are refused with
// ErrUnstableTransfers rather than written under a header that no longer
// says how many and how much.
func TestWriteCreditTransfersSecondPassDiffers(t *testing.T) {
	// unstable yields first the first list, then the second.
	unstable := func(first, second []subsidy.Transfer) iter.Seq2[subsidy.Transfer, error] {
		pass := 0
		return func(yield func(subsidy.Transfer, error) bool) {
			pass++
			list := first
			if pass > 1 {
				list = second
			}
			for _, t := range list {
				if !yield(t, nil) {
					return
				}
			}
		}
	}
	tr := func(id, amount, iban string) subsidy.Transfer {
		return subsidy.Transfer{EndToEndID: id, Amount: decimal.RequireFromString(amount), Creditor: "VZW De Buurt", IBAN: iban}
	}
	ok := subsidytest.ValidIBAN
	a, b := tr("E1", "5", ok), tr("E2", "7", ok)
	tests := map[string][2][]subsidy.Transfer{
		"one more":        {{a}, {a, b}},
		"one fewer":       {{a, b}, {a}},
		"another amount":  {{a, b}, {a, tr("E2", "8", ok)}},
		"an invalid IBAN": {{a, b}, {a, tr("E2", "7", "XX00")}},
	}
	for name, lists := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := subsidy.WriteCreditTransfers(&bytes.Buffer{}, initiation(), unstable(lists[0], lists[1]))
			require.ErrorIs(t, err, subsidy.ErrUnstableTransfers)
		})
	}
	// The same list twice is fine.
	var buf bytes.Buffer
	tot, err := subsidy.WriteCreditTransfers(&buf, initiation(), unstable([]subsidy.Transfer{a, b}, []subsidy.Transfer{a, b}))
	require.NoError(t, err)
	assert.Equal(t, 2, tot.Count)
	assert.Equal(t, 2, strings.Count(buf.String(), "<CdtTrfTxInf>"), fmt.Sprint(tot))
}

package payment_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func requestOf(t *testing.T, svc *payment.Service, euro string) *payment.Request {
	n := paymenttest.NewRequest(t)
	n.Lines[0].Quantity, n.Lines[0].UnitPrice = decimal.NewFromInt(1), decimal.RequireFromString(euro)
	r, err := svc.Create(context.Background(), n)
	require.NoError(t, err)
	return r
}

// TestImportCamt053Version02Batch is issue 14's case: one credit of 30.00
// split in 10.00 and 20.00 for two requests, in camt.053.001.02 where a
// transaction's amount is only in AmtDtls/TxAmt/Amt. Each request is paid,
// neither overpaid, and 30.00 is booked, not 60.00.
func TestImportCamt053Version02Batch(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	a, b := requestOf(t, svc, "10"), requestOf(t, svc, "20")
	tx := func(amount string, r *payment.Request) string {
		return fmt.Sprintf(`<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">%s</Amt></TxAmt></AmtDtls>
<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`, amount, r.Reference.Key())
	}
	doc := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>
<Stmt><Id>2026-0042</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt>
<AcctSvcrRef>B1</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>` + tx("10.00", a) + tx("20.00", b) + `</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`
	st := payment.Statement{ID: "camt053:test"}
	for l, err := range payment.Camt053Lines(strings.NewReader(doc)) {
		require.NoError(t, err)
		st.Lines = append(st.Lines, l)
	}
	rep, err := svc.Import(ctx, st)
	require.NoError(t, err)
	assert.True(t, decimal.RequireFromString("30").Equal(rep.Booked), "booked %s", rep.Booked)
	assert.Equal(t, 2, rep.Counts[payment.OutcomePaid])
	for _, r := range []*payment.Request{a, b} {
		got, err := svc.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusPaid, got.Status)
	}
}

// TestImportNeverBooksAnInvalidStructuredCommunication: a CODA credit whose
// type-101 communication has wrong check digits is shown to a clerk, with
// its communication, and not booked, even when the amount matches.
func TestImportNeverBooksAnInvalidStructuredCommunication(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	r := requestOf(t, svc, "5")
	sts, err := payment.ParseCODA(strings.NewReader(mustRead(t, "testdata/php-coda-parser-sample1-kbc.cod")))
	require.NoError(t, err)
	rep, err := svc.Import(ctx, sts[0])
	require.NoError(t, err)
	assert.True(t, rep.Booked.IsZero())
	first := rep.Lines[0]
	assert.Equal(t, payment.OutcomeSuggested, first.Outcome)
	assert.Equal(t, "+++000/0035/05158+++", first.Line.Text)
	assert.True(t, first.Line.InvalidReference)
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusOpen, got.Status)
}

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

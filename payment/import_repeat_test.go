package payment_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

// camtStatement reads a camt.053.001.02 statement of account acct with the
// given Id and entries.
func camtStatement(t *testing.T, stmtID, acct, entries string) payment.Statement {
	t.Helper()
	doc := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>
<Stmt><Id>` + stmtID + `</Id><Acct><Id><IBAN>` + acct + `</IBAN></Id></Acct>` + entries + `</Stmt></BkToCstmrStmt></Document>`
	st := payment.Statement{ID: "camt053:" + stmtID, Account: acct}
	for l, err := range payment.Camt053Lines(strings.NewReader(doc)) {
		require.NoError(t, err)
		st.Lines = append(st.Lines, l)
	}
	return st
}

// camtCredit is one booked credit of amount with no AcctSvcrRef: some
// banks send none. extra goes in the entry, before its details.
func camtCredit(amount, ogm, text, extra string) string {
	rmt := "<Ustrd>" + text + "</Ustrd>"
	if ogm != "" {
		rmt = "<Strd><CdtrRefInf><Ref>" + ogm + "</Ref></CdtrRefInf></Strd>"
	}
	return `<Ntry><Amt Ccy="EUR">` + amount + `</Amt><CdtDbtInd>CRDT</CdtDbtInd>` + extra + `<Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><RltdPties><Dbtr><Nm>An Peeters</Nm></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties><RmtInf>` + rmt + `</RmtInf></TxDtls></NtryDtls></Ntry>`
}

// TestImportCreditWithoutBankReferenceInTwoStatements is issue 14's case
// for a bank that sends no AcctSvcrRef: a €20 request, one payment of €5
// in two statements with other Ids. The second is a repeat: €5 paid, not
// €10.
func TestImportCreditWithoutBankReferenceInTwoStatements(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	r := requestOf(t, svc, "20")
	entry := camtCredit("5.00", r.Reference.Key(), "", "")
	rep, err := svc.Import(ctx, camtStatement(t, "1234Test/1", "NL91ABNA0417164300", entry))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Counts[payment.OutcomePartial])
	rep, err = svc.Import(ctx, camtStatement(t, "1234Test/2", "NL91ABNA0417164300", entry))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Counts[payment.OutcomeDuplicate])
	assert.True(t, rep.Booked.IsZero())
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Len(t, got.Payments, 1)
	assert.True(t, decimal.RequireFromString("5").Equal(got.Paid()), "paid %s", got.Paid())

	// Two such credits in one statement are two payments.
	twice := camtStatement(t, "1234Test/3", "NL91ABNA0417164300", camtCredit("5.00", r.Reference.Key(), "", "")+camtCredit("5.00", r.Reference.Key(), "", ""))
	rep, err = svc.Import(ctx, twice)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Counts[payment.OutcomeDuplicate], "the first repeats the earlier statement")
	assert.Equal(t, 1, rep.Counts[payment.OutcomePartial], "the second is new")
}

// TestImportSameStatementIDOnTwoAccounts: two accounts whose statements
// have the same Id; a credit on the second is its own, not a repeat.
func TestImportSameStatementIDOnTwoAccounts(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	entry := camtCredit("75.00", "", "huur zaal", "")
	var keys []string
	for _, acct := range []string{"BE68539007547034", "NL91ABNA0417164300"} {
		st := camtStatement(t, "2026-001", acct, entry)
		assert.True(t, strings.HasPrefix(st.Lines[0].Key, "camt053:"+acct+":2026-001:"), st.Lines[0].Key)
		rep, err := svc.Import(ctx, st)
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Counts[payment.OutcomeUnmatched], acct)
		assert.True(t, decimal.RequireFromString("75").Equal(rep.ToReview))
		keys = append(keys, rep.Lines[0].Line.Key)
	}
	assert.NotEqual(t, keys[0], keys[1])
	n := 0
	for _, err := range svc.Unmatched(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
}

// TestImportReversal: a DBIT entry with RvslInd true takes back a booked
// credit. It is not booked, it is kept for a clerk with the request its
// reference names, and its counterparty is the original credit's debtor.
func TestImportReversal(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	r := requestOf(t, svc, "20")
	credit := strings.Replace(camtCredit("20.00", r.Reference.Key(), "", ""), "<Sts>", "<AcctSvcrRef>BREF1</AcctSvcrRef><Sts>", 1)
	rep, err := svc.Import(ctx, camtStatement(t, "D1", "BE68539007547034", credit))
	require.NoError(t, err)
	require.Equal(t, 1, rep.Counts[payment.OutcomePaid])

	reversal := strings.NewReplacer("<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>",
		"BREF1", "BREF2", "</Dbtr>", "</Dbtr><Cdtr><Nm>Gemeente</Nm></Cdtr>").Replace(credit)
	st := camtStatement(t, "D2", "BE68539007547034", reversal)
	require.Len(t, st.Lines, 1)
	l := st.Lines[0]
	assert.True(t, l.Reversal)
	assert.Equal(t, "An Peeters", l.CounterpartyName, "the payer of the reversed credit, not the creditor")
	assert.Equal(t, "BE71096123456769", l.CounterpartyIBAN)

	rep, err = svc.Import(ctx, st)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Counts[payment.OutcomeReversal])
	assert.Equal(t, r.ID.String(), rep.Lines[0].RequestID)
	assert.True(t, rep.Booked.IsZero())
	var kept []payment.Unmatched
	for u, err := range svc.Unmatched(ctx) {
		require.NoError(t, err)
		kept = append(kept, u)
	}
	require.Len(t, kept, 1, "a clerk sees the reversal")
	assert.Equal(t, string(payment.OutcomeReversal), kept[0].Reason)
	// Imported again, it is a repeat.
	rep, err = svc.Import(ctx, st)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Counts[payment.OutcomeDuplicate])
}

// TestImportRefusesOtherCurrenciesAndSubCents: only euro is reconciled: a
// statement in dollars (a CODA account in USD) and a line of 30.001 are
// refused, naming the field, and nothing is booked.
func TestImportRefusesOtherCurrenciesAndSubCents(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	r := requestOf(t, svc, "20")
	day := calendar.DateIn(paymenttest.Start)
	line := payment.StatementLine{Key: "k", Account: "NL91ABNA0417164300", BookingDate: day, ValueDate: day, Amount: decimal.RequireFromString("20"), Reference: r.Reference, BankReference: "REF1"}
	tests := []struct {
		name, currency, amount, field string
	}{
		{"dollars", "USD", "20", "currency"},
		{"fractions of a cent", "EUR", "20.001", "lines[0].amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := line
			l.Amount = decimal.RequireFromString(tt.amount)
			_, err := svc.Import(ctx, payment.Statement{ID: "s", Account: l.Account, Currency: tt.currency, Lines: []payment.StatementLine{l}})
			var ve *payment.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
	got, err := svc.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusOpen, got.Status)
	// Euro, or no currency at all (old files), is reconciled.
	for _, cur := range []string{"", "EUR"} {
		l := line
		l.BankReference += cur
		_, err := svc.Import(ctx, payment.Statement{ID: "s", Account: l.Account, Currency: cur, Lines: []payment.StatementLine{l}})
		require.NoError(t, err)
	}
}

// TestImportRefusesACODAStatementInDollars: a CODA statement of an
// account in USD (the Odoo sample with its currency at 40–42 set to USD)
// is refused as a whole.
func TestImportRefusesACODAStatementInDollars(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	lines := strings.Split(mustRead(t, "testdata/odoo-sample-2013-01-11.cod"), "\r\n")
	b := []byte(lines[1])
	copy(b[39:42], "USD")
	lines[1] = string(b)
	sts, err := payment.ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
	require.NoError(t, err)
	require.Equal(t, "USD", sts[0].Currency)
	_, err = svc.Import(ctx, sts[0])
	var ve *payment.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "currency")
}

package payment

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// camtDoc wraps entries in a statement of the given camt.053 version.
func camtDoc(version, entries string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.` + version + `"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-03T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>BE68 5390 0754 7034</IBAN></Id></Acct>` + entries + `</Stmt></BkToCstmrStmt></Document>`
}

// camtBatch is one booked entry of total split over transactions; each
// transaction's amount is written the way version writes it: version 02
// (EntryTransaction2) has no Amt and gives it in AmtDtls/TxAmt/Amt.
func camtBatch(version, indicator, total string, txs ...[2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-03-03</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt><AcctSvcrRef>BATCH1</AcctSvcrRef><NtryDtls>`, total, indicator)
	for _, tx := range txs {
		amount, ref := tx[0], tx[1]
		b.WriteString("<TxDtls>")
		switch {
		case amount == "":
		case version == "02":
			fmt.Fprintf(&b, `<AmtDtls><TxAmt><Amt Ccy="EUR">%s</Amt></TxAmt></AmtDtls>`, amount)
		default:
			fmt.Fprintf(&b, `<Amt Ccy="EUR">%s</Amt><AmtDtls><InstdAmt><Amt Ccy="EUR">%s</Amt></InstdAmt></AmtDtls>`, amount, amount)
		}
		fmt.Fprintf(&b, `<RmtInf><Strd><CdtrRefInf><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`, ref)
	}
	b.WriteString("</NtryDtls></Ntry>")
	return b.String()
}

func TestCamt053TransactionAmountsPerVersion(t *testing.T) {
	a, b := "+++000/0000/10104+++", "+++000/0000/20208+++"
	for _, v := range []string{"02", "04", "08"} {
		t.Run(v, func(t *testing.T) {
			doc := camtDoc(v, camtBatch(v, "CRDT", "30.00", [2]string{"10.00", a}, [2]string{"20.00", b}))
			lines, err := collectCamt(t, strings.NewReader(doc))
			require.NoError(t, err)
			require.Len(t, lines, 2)
			assert.True(t, decimal.RequireFromString("10").Equal(lines[0].Amount), "got %s", lines[0].Amount)
			assert.True(t, decimal.RequireFromString("20").Equal(lines[1].Amount), "got %s", lines[1].Amount)
			assert.Equal(t, a, lines[0].Reference.String())
			assert.Equal(t, b, lines[1].Reference.String())
			assert.Equal(t, "BE68539007547034", lines[0].Account)
			assert.Equal(t, "BATCH1/1", lines[0].BankReference)
			assert.Equal(t, "BATCH1/2", lines[1].BankReference)
		})
	}
}

// TestCamt053TransactionsThatDoNotAddUpAreKeptWhole: a batch whose
// transactions do not make the entry is one line of the entry's amount,
// with no reference and both communications for a clerk, rather than a
// refused file; a single transaction is the entry, whatever it says.
func TestCamt053TransactionsThatDoNotAddUpAreKeptWhole(t *testing.T) {
	a, b := "+++000/0000/10104+++", "+++000/0000/20208+++"
	tests := []struct {
		name, doc, amount string
	}{
		{"02 more than the entry", camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"10.00", a}, [2]string{"25.00", b})), "30"},
		{"08 less than the entry", camtDoc("08", camtBatch("08", "DBIT", "30.00", [2]string{"10.00", a}, [2]string{"15.00", b})), "-30"},
		{"a batch line without", camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"10.00", a}, [2]string{"", b})), "30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := collectCamt(t, strings.NewReader(tt.doc))
			require.NoError(t, err)
			require.Len(t, lines, 1)
			l := lines[0]
			assert.True(t, decimal.RequireFromString(tt.amount).Equal(l.Amount), "got %s", l.Amount)
			assert.True(t, l.Reference.IsZero(), "nothing is booked on a guess")
			assert.Contains(t, l.Text, a)
			assert.Contains(t, l.Text, b)
			assert.Equal(t, "BATCH1", l.BankReference)
			assert.Equal(t, "camt053:BE68539007547034:S1:1", l.Key)
		})
	}
	// One transaction is the whole entry: without an amount of its own,
	// or with another one (charges deducted by the bank).
	for _, amount := range []string{"", "10.00"} {
		lines, err := collectCamt(t, strings.NewReader(camtDoc("04", camtBatch("04", "CRDT", "30.00", [2]string{amount, a}))))
		require.NoError(t, err)
		require.Len(t, lines, 1)
		assert.True(t, decimal.RequireFromString("30").Equal(lines[0].Amount))
		assert.Equal(t, a, lines[0].Reference.String())
	}
}

// TestCamt053ForeignCurrencyTransaction: a transaction paid in another
// currency and booked in euro is read in euro, from whichever of Amt,
// AmtDtls/TxAmt and AmtDtls/CntrValAmt is in the entry's currency; the
// file is not refused for it.
func TestCamt053ForeignCurrencyTransaction(t *testing.T) {
	entry := func(txs ...string) string {
		return `<Ntry><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt><AcctSvcrRef>FX1</AcctSvcrRef><NtryDtls>` +
			strings.Join(txs, "") + `</NtryDtls></Ntry>`
	}
	usdV08 := `<TxDtls><Amt Ccy="USD">100.00</Amt><AmtDtls><TxAmt><Amt Ccy="EUR">92.00</Amt></TxAmt></AmtDtls><RltdPties><Cdtr><Pty><Nm>US Vendor</Nm></Pty></Cdtr></RltdPties></TxDtls>`
	usdV02 := `<TxDtls><AmtDtls><TxAmt><Amt Ccy="USD">9.00</Amt></TxAmt><CntrValAmt><Amt Ccy="EUR">8.00</Amt></CntrValAmt></AmtDtls></TxDtls>`
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"08 single, other currency", camtDoc("08", strings.Replace(entry(usdV08), "100.00</Amt><Cdt", "92.00</Amt><Cdt", 1)), []string{"-92"}},
		{"02 single, counter value", camtDoc("02", strings.Replace(entry(usdV02), "100.00</Amt><Cdt", "8.00</Amt><Cdt", 1)), []string{"-8"}},
		{"08 batch, euro from TxAmt and CntrValAmt", camtDoc("08", entry(usdV08, usdV02)), []string{"-92", "-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := collectCamt(t, strings.NewReader(tt.doc))
			require.NoError(t, err)
			require.Len(t, lines, len(tt.want))
			for i, w := range tt.want {
				assert.True(t, decimal.RequireFromString(w).Equal(lines[i].Amount), "line %d: %s", i, lines[i].Amount)
			}
		})
	}
}

func TestCamt053DebitCounterpartyIsTheCreditor(t *testing.T) {
	for v, party := range map[string]string{
		"02": `<Nm>Waterbedrijf NV</Nm>`,
		"08": `<Pty><Nm>Waterbedrijf NV</Nm></Pty>`,
	} {
		t.Run(v, func(t *testing.T) {
			bic := "BIC"
			if v == "08" {
				bic = "BICFI"
			}
			entry := `<Ntry><Amt Ccy="EUR">42.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Gemeente Zottegem</Nm></Dbtr><DbtrAcct><Id><IBAN>BE68539007547034</IBAN></Id></DbtrAcct>
<Cdtr>` + party + `</Cdtr><CdtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></CdtrAcct></RltdPties>
<RltdAgts><DbtrAgt><FinInstnId><` + bic + `>GKCCBEBB</` + bic + `></FinInstnId></DbtrAgt><CdtrAgt><FinInstnId><` + bic + `>KREDBEBB</` + bic + `></FinInstnId></CdtrAgt></RltdAgts>
</TxDtls></NtryDtls></Ntry>`
			lines, err := collectCamt(t, strings.NewReader(camtDoc(v, entry)))
			require.NoError(t, err)
			require.Len(t, lines, 1)
			assert.Equal(t, "Waterbedrijf NV", lines[0].CounterpartyName)
			assert.Equal(t, "BE71096123456769", lines[0].CounterpartyIBAN)
			assert.Equal(t, "KREDBEBB", lines[0].CounterpartyBIC)
		})
	}
}

func TestCamt053WithoutStatementIsRefused(t *testing.T) {
	for name, doc := range map[string]string{
		"group header only": `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr></BkToCstmrStmt></Document>`,
		"empty document":    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>`,
		"Stmt out of place": `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><Stmt><Id>S</Id></Stmt></Document>`,
	} {
		t.Run(name, func(t *testing.T) {
			lines, err := collectCamt(t, strings.NewReader(doc))
			assert.Empty(t, lines)
			assert.ErrorIs(t, err, ErrCamt)
		})
	}
}

func TestCamt053InvalidStructuredReferenceIsKept(t *testing.T) {
	doc := camtDoc("02", camtBatch("02", "CRDT", "10.00", [2]string{"10.00", "+++000/0000/10105+++"}))
	lines, err := collectCamt(t, strings.NewReader(doc))
	require.NoError(t, err)
	require.Len(t, lines, 1)
	assert.True(t, lines[0].Reference.IsZero())
	assert.True(t, lines[0].InvalidReference)
	assert.Equal(t, "+++000/0000/10105+++", lines[0].Text)
}

// TestCamt053Namespace: exactly the camt.053.001.NN namespaces of the
// versions read, 02 to 13; others are refused.
func TestCamt053Namespace(t *testing.T) {
	credit := `<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt></Ntry>`
	doc := func(ns string) string {
		return strings.Replace(camtDoc("02", credit), "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", ns, 1)
	}
	for _, v := range []string{"02", "04", "08", "13"} {
		_, err := collectCamt(t, strings.NewReader(doc("urn:iso:std:iso:20022:tech:xsd:camt.053.001."+v)))
		assert.NoError(t, err, v)
	}
	for _, ns := range []string{"urn:iso:std:iso:20022:tech:xsd:camt.053.001.01", "urn:iso:std:iso:20022:tech:xsd:camt.053.001.14",
		"urn:iso:std:iso:20022:tech:xsd:camt.053.001.99", "urn:iso:std:iso:20022:tech:xsd:camt.053.002.02",
		"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02.xsd", "camt.0530", "urn:example:camt.053.001.02", ""} {
		_, err := collectCamt(t, strings.NewReader(doc(ns)))
		assert.ErrorIs(t, err, ErrCamt, ns)
	}
}

// TestCamt053SubCentAmounts: a euro amount has at most two decimals.
func TestCamt053SubCentAmounts(t *testing.T) {
	entry := func(amount string) string {
		return `<Ntry><Amt Ccy="EUR">` + amount + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt></Ntry>`
	}
	for _, a := range []string{"30.001", "0.005", "30.00001"} {
		_, err := collectCamt(t, strings.NewReader(camtDoc("02", entry(a))))
		assert.ErrorIs(t, err, ErrCamt, a)
	}
	for _, a := range []string{"30", "30.1", "30.000"} {
		_, err := collectCamt(t, strings.NewReader(camtDoc("02", entry(a))))
		assert.NoError(t, err, a)
	}
	// A batch split in fractions of a cent is kept whole.
	lines, err := collectCamt(t, strings.NewReader(camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"10.005", "x"}, [2]string{"19.995", "y"}))))
	require.NoError(t, err)
	require.Len(t, lines, 1)
	assert.True(t, decimal.RequireFromString("30").Equal(lines[0].Amount))
}

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

func TestCamt053TransactionsMustAddUp(t *testing.T) {
	a, b := "+++000/0000/10104+++", "+++000/0000/20208+++"
	for name, doc := range map[string]string{
		"02 more than the entry": camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"10.00", a}, [2]string{"25.00", b})),
		"08 less than the entry": camtDoc("08", camtBatch("08", "DBIT", "30.00", [2]string{"10.00", a}, [2]string{"15.00", b})),
		"a batch line without":   camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"10.00", a}, [2]string{"", b})),
		"one line, other amount": camtDoc("04", camtBatch("04", "CRDT", "30.00", [2]string{"10.00", a})),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := collectCamt(t, strings.NewReader(doc))
			assert.ErrorIs(t, err, ErrCamt)
		})
	}
	// One transaction without an amount of its own is the whole entry.
	lines, err := collectCamt(t, strings.NewReader(camtDoc("02", camtBatch("02", "CRDT", "30.00", [2]string{"", a}))))
	require.NoError(t, err)
	require.Len(t, lines, 1)
	assert.True(t, decimal.RequireFromString("30").Equal(lines[0].Amount))
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

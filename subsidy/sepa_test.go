package subsidy_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"iter"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// parsed is what the test reads back from a pain.001 file.
type parsed struct {
	XMLName xml.Name `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 Document"`
	Init    struct {
		GrpHdr struct {
			MsgID   string `xml:"MsgId"`
			NbOfTxs int    `xml:"NbOfTxs"`
			CtrlSum string `xml:"CtrlSum"`
		} `xml:"GrpHdr"`
		PmtInf struct {
			ID       string `xml:"PmtInfId"`
			NbOfTxs  int    `xml:"NbOfTxs"`
			CtrlSum  string `xml:"CtrlSum"`
			Date     string `xml:"ReqdExctnDt>Dt"`
			DbtrIBAN string `xml:"DbtrAcct>Id>IBAN"`
			Tx       []struct {
				EndToEnd string `xml:"PmtId>EndToEndId"`
				Amount   struct {
					Value string `xml:",chardata"`
					Ccy   string `xml:"Ccy,attr"`
				} `xml:"Amt>InstdAmt"`
				Name  string `xml:"Cdtr>Nm"`
				IBAN  string `xml:"CdtrAcct>Id>IBAN"`
				Ustrd string `xml:"RmtInf>Ustrd"`
			} `xml:"CdtTrfTxInf"`
		} `xml:"PmtInf"`
	} `xml:"CstmrCdtTrfInitn"`
}

func initiation() subsidy.Initiation {
	return subsidy.Initiation{MessageID: "GENT-2026-0001", Created: time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC),
		Initiator: "Stad Gent", Debtor: "Stad Gent", DebtorIBAN: "BE71096123456769", Execution: time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC)}
}

func transfers(n int) iter.Seq2[subsidy.Transfer, error] {
	return func(yield func(subsidy.Transfer, error) bool) {
		for i := range n {
			t := subsidy.Transfer{EndToEndID: fmt.Sprintf("E2E-%d", i), Amount: decimal.New(int64(10000+i), -2),
				Creditor: "VZW Café ‘t Hoekje & Co", IBAN: subsidytest.ValidIBAN, Remittance: "Subsidie energie " + fmt.Sprint(i)}
			if !yield(t, nil) {
				return
			}
		}
	}
}

func TestWriteCreditTransfers(t *testing.T) {
	var buf bytes.Buffer
	tot, err := subsidy.WriteCreditTransfers(&buf, initiation(), transfers(3))
	require.NoError(t, err)
	assert.Equal(t, 3, tot.Count)
	assert.True(t, tot.Sum.Equal(decimal.RequireFromString("300.03")))

	var doc parsed
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
	h, p := doc.Init.GrpHdr, doc.Init.PmtInf
	assert.Equal(t, 3, h.NbOfTxs)
	assert.Equal(t, "300.03", h.CtrlSum)
	assert.Equal(t, 3, p.NbOfTxs)
	assert.Equal(t, "300.03", p.CtrlSum)
	assert.Equal(t, "2026-05-05", p.Date)
	require.Len(t, p.Tx, 3)
	assert.Equal(t, "100.01", p.Tx[1].Amount.Value)
	assert.Equal(t, "EUR", p.Tx[1].Amount.Ccy)
	assert.Equal(t, subsidytest.ValidIBAN, p.Tx[1].IBAN)
	assert.Equal(t, "VZW Cafe 't Hoekje + Co", p.Tx[1].Name, "kept within the SEPA character set")
	assert.True(t, strings.HasPrefix(buf.String(), xml.Header))
	subsidytest.ValidPain001(t, buf.Bytes())
}

// one yields a single transfer.
func one(t subsidy.Transfer) iter.Seq2[subsidy.Transfer, error] {
	return func(yield func(subsidy.Transfer, error) bool) { yield(t, nil) }
}

func transfer() subsidy.Transfer {
	return subsidy.Transfer{EndToEndID: "E2E-1", Amount: decimal.RequireFromString("12.50"), Creditor: "VZW De Buurt", IBAN: subsidytest.ValidIBAN}
}

// Awkward but acceptable input must still give a file the ISO schema accepts.
func TestWriteCreditTransfersValidAgainstSchema(t *testing.T) {
	long := strings.Repeat("Ærøskøbing Œuvres Groß ", 10)
	for name, tt := range map[string]struct {
		in  func(*subsidy.Initiation)
		txs iter.Seq2[subsidy.Transfer, error]
		// check reads the file back; values come from the schema and the guidelines
		check func(t *testing.T, doc string)
	}{
		"empty initiator is the debtor": {func(i *subsidy.Initiation) { i.Initiator = "" }, transfers(1), func(t *testing.T, doc string) {
			assert.Contains(t, doc, "<InitgPty><Nm>Stad Gent</Nm></InitgPty>")
			assert.NotContains(t, doc, "<Nm></Nm>")
		}},
		"initiator of spaces is the debtor": {func(i *subsidy.Initiation) { i.Initiator = "   " }, transfers(1), func(t *testing.T, doc string) {
			assert.Contains(t, doc, "<InitgPty><Nm>Stad Gent</Nm></InitgPty>")
		}},
		"lowercase BICs are written in upper case": {func(i *subsidy.Initiation) { i.DebtorBIC = " gkccbebb " }, one(func() subsidy.Transfer {
			tr := transfer()
			tr.BIC = "gebabebb36a"
			return tr
		}()), func(t *testing.T, doc string) {
			assert.Contains(t, doc, "<DbtrAgt><FinInstnId><BICFI>GKCCBEBB</BICFI></FinInstnId></DbtrAgt>")
			assert.Contains(t, doc, "<CdtrAgt><FinInstnId><BICFI>GEBABEBB36A</BICFI></FinInstnId></CdtrAgt>")
		}},
		"long accented names are cut to 70": {func(i *subsidy.Initiation) { i.Initiator, i.Debtor = long, long }, one(func() subsidy.Transfer {
			tr := transfer()
			tr.Creditor, tr.Remittance = long, long+long
			return tr
		}()), func(t *testing.T, doc string) {
			var d parsed
			require.NoError(t, xml.Unmarshal([]byte(doc), &d))
			n := d.Init.PmtInf.Tx[0].Name
			assert.Len(t, n, 70)
			assert.True(t, strings.HasPrefix(n, "AEroskobing OEuvres Gross AEroskobing"), n)
			assert.Len(t, d.Init.PmtInf.Tx[0].Ustrd, 140)
		}},
		"accents and letters that do not decompose": {nil, one(func() subsidy.Transfer {
			tr := transfer()
			tr.Creditor, tr.Remittance = "Łukasz Żółć", "Jürgen Groß – Søren Ærø & Đorđe"
			return tr
		}()), func(t *testing.T, doc string) {
			assert.Contains(t, doc, "<Cdtr><Nm>Lukasz Zolc</Nm></Cdtr>")
			assert.Contains(t, doc, "<Ustrd>Jurgen Gross - Soren AEro + Dorde</Ustrd>")
		}},
		"remittance with nothing SEPA can carry is left out": {nil, one(func() subsidy.Transfer {
			tr := transfer()
			tr.Remittance = "★☆★"
			return tr
		}()), func(t *testing.T, doc string) { assert.NotContains(t, doc, "RmtInf") }},
		"many transactions": {nil, transfers(2500), func(t *testing.T, doc string) {
			assert.Equal(t, 2500, strings.Count(doc, "<CdtTrfTxInf>"))
		}},
	} {
		t.Run(name, func(t *testing.T) {
			in := initiation()
			if tt.in != nil {
				tt.in(&in)
			}
			var buf bytes.Buffer
			_, err := subsidy.WriteCreditTransfers(&buf, in, tt.txs)
			require.NoError(t, err)
			tt.check(t, buf.String())
			subsidytest.ValidPain001(t, buf.Bytes())
		})
	}
}

// The schema check is not a formality: it refuses exactly what the writer
// used to produce, so a test that validates cannot pass by accident.
func TestPain001SchemaCatchesBrokenFiles(t *testing.T) {
	var buf bytes.Buffer
	_, err := subsidy.WriteCreditTransfers(&buf, initiation(), transfers(1))
	require.NoError(t, err)
	good := buf.String()
	subsidytest.ValidPain001(t, buf.Bytes())
	for name, broken := range map[string]string{
		"empty initiator name": strings.Replace(good, "<InitgPty><Nm>Stad Gent</Nm>", "<InitgPty><Nm></Nm>", 1),
		"lowercase BIC":        strings.Replace(good, "<Othr><Id>NOTPROVIDED</Id></Othr>", "<BICFI>gkccbebb</BICFI>", 1),
		"four letter BIC":      strings.Replace(good, "<Othr><Id>NOTPROVIDED</Id></Othr>", "<BICFI>GKCC</BICFI>", 1),
		"BIC with dashes":      strings.Replace(good, "<Othr><Id>NOTPROVIDED</Id></Othr>", "<BICFI>GEBA-BE-BB</BICFI>", 1),
		"end to end id of 36":  strings.Replace(good, "<EndToEndId>E2E-0</EndToEndId>", "<EndToEndId>"+strings.Repeat("x", 36)+"</EndToEndId>", 1),
	} {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, good, broken, "the test did not break the file")
			assert.NotEmpty(t, subsidytest.SchemaErrors(t, []byte(broken)))
		})
	}
}

func TestWriteCreditTransfersRejects(t *testing.T) {
	bad := func(change func(*subsidy.Transfer)) iter.Seq2[subsidy.Transfer, error] {
		return func(yield func(subsidy.Transfer, error) bool) {
			for t := range transfers(2) {
				if t.EndToEndID == "E2E-1" {
					change(&t)
				}
				if !yield(t, nil) {
					return
				}
			}
		}
	}
	for name, tt := range map[string]struct {
		in    subsidy.Initiation
		txs   iter.Seq2[subsidy.Transfer, error]
		field string
	}{
		"invalid creditor IBAN":                   {initiation(), bad(func(t *subsidy.Transfer) { t.IBAN = "BE68539007547035" }), "transfers[1].iban"},
		"zero amount":                             {initiation(), bad(func(t *subsidy.Transfer) { t.Amount = decimal.Zero }), "transfers[1].amount"},
		"fraction of a cent":                      {initiation(), bad(func(t *subsidy.Transfer) { t.Amount = decimal.RequireFromString("1.005") }), "transfers[1].amount"},
		"no creditor":                             {initiation(), bad(func(t *subsidy.Transfer) { t.Creditor = "" }), "transfers[1].creditor"},
		"long end to end id":                      {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = strings.Repeat("x", 36) }), "transfers[1].end_to_end_id"},
		"invalid debtor IBAN":                     {func() subsidy.Initiation { i := initiation(); i.DebtorIBAN = "BE00"; return i }(), transfers(1), "debtor_iban"},
		"empty batch":                             {initiation(), transfers(0), "transfers"},
		"lowercase is fine, dashes are not":       {func() subsidy.Initiation { i := initiation(); i.DebtorBIC = "GEBA-BE-BB"; return i }(), transfers(1), "debtor_bic"},
		"four letter BIC":                         {func() subsidy.Initiation { i := initiation(); i.DebtorBIC = "GKCC"; return i }(), transfers(1), "debtor_bic"},
		"creditor BIC":                            {initiation(), bad(func(t *subsidy.Transfer) { t.BIC = "GKCCBE" }), "transfers[1].bic"},
		"creditor BIC with digits in the country": {initiation(), bad(func(t *subsidy.Transfer) { t.BIC = "GKCC12BB" }), "transfers[1].bic"},
		"message id with an accent":               {func() subsidy.Initiation { i := initiation(); i.MessageID = "GENT-2026-É1"; return i }(), transfers(1), "message_id"},
		"message id with an underscore":           {func() subsidy.Initiation { i := initiation(); i.MessageID = "GENT_2026_1"; return i }(), transfers(1), "message_id"},
		"message id starting with a slash":        {func() subsidy.Initiation { i := initiation(); i.MessageID = "/GENT-1"; return i }(), transfers(1), "message_id"},
		"message id ending with a slash":          {func() subsidy.Initiation { i := initiation(); i.MessageID = "GENT-1/"; return i }(), transfers(1), "message_id"},
		"message id with a double slash":          {func() subsidy.Initiation { i := initiation(); i.MessageID = "GENT//1"; return i }(), transfers(1), "message_id"},
		"end to end id with a NUL":                {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = "E2E\x001" }), "transfers[1].end_to_end_id"},
		"end to end id with a double slash":       {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = "E2E//1" }), "transfers[1].end_to_end_id"},
		"end to end id with a leading slash":      {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = "/E2E" }), "transfers[1].end_to_end_id"},
		"end to end id padded":                    {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = "E2E-1 " }), "transfers[1].end_to_end_id"},
		"end to end id blank":                     {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = " " }), "transfers[1].end_to_end_id"},
		"end to end id twice":                     {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = "E2E-0" }), "transfers[1].end_to_end_id"},
		"message id blank":                        {func() subsidy.Initiation { i := initiation(); i.MessageID = " "; return i }(), transfers(1), "message_id"},
		"message id padded":                       {func() subsidy.Initiation { i := initiation(); i.MessageID = "GENT-1 "; return i }(), transfers(1), "message_id"},
		"creditor name with no SEPA letters":      {initiation(), bad(func(t *subsidy.Transfer) { t.Creditor = "李小龍" }), "transfers[1].creditor"},
		"debtor name with no SEPA letters":        {func() subsidy.Initiation { i := initiation(); i.Debtor = "★"; return i }(), transfers(1), "debtor"},
		"no execution date":                       {func() subsidy.Initiation { i := initiation(); i.Execution = time.Time{}; return i }(), transfers(1), "execution"},
		"execution in the year 9999": {func() subsidy.Initiation {
			i := initiation()
			i.Execution = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
			return i
		}(), transfers(1), "execution"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := subsidy.WriteCreditTransfers(&buf, tt.in, tt.txs)
			var ve *subsidy.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "want %s in %v", tt.field, err)
			assert.Zero(t, buf.Len(), "nothing written for an invalid batch")
		})
	}
}

func FuzzWriteCreditTransfers(f *testing.F) {
	f.Add("VZW De Buurt", "BE68539007547034", "12.34", "ref <&>", "gkccbebb", "E2E", "Stad Gent")
	f.Add("", "XX", "-1", "", "GEBA-BE-BB", "/E2E", "")
	f.Add("Łukasz Żółć", "BE68 5390 0754 7034", "1", "Jürgen Groß", "", "A//B", "李")
	f.Fuzz(func(t *testing.T, name, ibanText, amount, ref, bic, e2e, initiator string) {
		d, err := decimal.NewFromString(amount)
		if err != nil {
			return
		}
		in := initiation()
		in.Initiator = initiator
		var buf bytes.Buffer
		tot, err := subsidy.WriteCreditTransfers(&buf, in, one(subsidy.Transfer{EndToEndID: e2e, Amount: d, Creditor: name, IBAN: ibanText, BIC: bic, Remittance: ref}))
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
			require.Zero(t, buf.Len())
			return
		}
		var doc parsed
		require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), "output must stay well-formed")
		require.Equal(t, 1, tot.Count)
		require.Len(t, doc.Init.PmtInf.Tx, 1)
		tx := doc.Init.PmtInf.Tx[0]
		require.Equal(t, e2e, tx.EndToEnd, "a reference is written as given or refused")
		for _, text := range []struct {
			s        string
			min, max int
		}{{tx.Name, 1, 70}, {tx.Ustrd, 0, 140}, {tx.EndToEnd, 1, 35}, {doc.Init.GrpHdr.MsgID, 1, 35}} {
			require.GreaterOrEqual(t, len(text.s), text.min, "%q", text.s)
			require.LessOrEqual(t, len(text.s), text.max, "%q", text.s)
			require.Regexp(t, `^[A-Za-z0-9/?:().,'+ -]*$`, text.s, "outside the SEPA character set")
		}
		require.NotContains(t, buf.String(), "<Nm></Nm>")
	})
}

// peakHeap samples the live heap while a batch is written.
type peakHeap struct {
	w    io.Writer
	n    int
	peak uint64
}

func (p *peakHeap) Write(b []byte) (int, error) {
	p.n++
	if p.n%500 == 0 {
		p.sample()
	}
	return p.w.Write(b)
}

func (p *peakHeap) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.peak = max(p.peak, ms.HeapInuse)
}

// BenchmarkPain001 writes SEPA batches; peak-heap-MB stays flat as the
// batch grows because transfers are streamed, never collected.
func BenchmarkPain001(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			runtime.GC()
			w := &peakHeap{w: io.Discard}
			for b.Loop() {
				if _, err := subsidy.WriteCreditTransfers(w, initiation(), transfers(n)); err != nil {
					b.Fatal(err)
				}
				w.sample()
			}
			b.ReportMetric(float64(w.peak)/(1<<20), "peak-heap-MB")
		})
	}
}

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
		"invalid creditor IBAN": {initiation(), bad(func(t *subsidy.Transfer) { t.IBAN = "BE68539007547035" }), "transfers[1].iban"},
		"zero amount":           {initiation(), bad(func(t *subsidy.Transfer) { t.Amount = decimal.Zero }), "transfers[1].amount"},
		"fraction of a cent":    {initiation(), bad(func(t *subsidy.Transfer) { t.Amount = decimal.RequireFromString("1.005") }), "transfers[1].amount"},
		"no creditor":           {initiation(), bad(func(t *subsidy.Transfer) { t.Creditor = "" }), "transfers[1].creditor"},
		"long end to end id":    {initiation(), bad(func(t *subsidy.Transfer) { t.EndToEndID = strings.Repeat("x", 36) }), "transfers[1].end_to_end_id"},
		"invalid debtor IBAN":   {func() subsidy.Initiation { i := initiation(); i.DebtorIBAN = "BE00"; return i }(), transfers(1), "debtor_iban"},
		"empty batch":           {initiation(), transfers(0), "transfers"},
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
	f.Add("VZW De Buurt", "BE68539007547034", "12.34", "ref <&>")
	f.Add("", "XX", "-1", "")
	f.Fuzz(func(t *testing.T, name, ibanText, amount, ref string) {
		d, err := decimal.NewFromString(amount)
		if err != nil {
			return
		}
		one := func(yield func(subsidy.Transfer, error) bool) {
			yield(subsidy.Transfer{EndToEndID: "E2E", Amount: d, Creditor: name, IBAN: ibanText, Remittance: ref}, nil)
		}
		var buf bytes.Buffer
		tot, err := subsidy.WriteCreditTransfers(&buf, initiation(), one)
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
			return
		}
		var doc parsed
		require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), "output must stay well-formed")
		require.Equal(t, 1, tot.Count)
		require.Len(t, doc.Init.PmtInf.Tx, 1)
		require.LessOrEqual(t, len(doc.Init.PmtInf.Tx[0].Name), 70)
		require.LessOrEqual(t, len(doc.Init.PmtInf.Tx[0].Ustrd), 140)
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

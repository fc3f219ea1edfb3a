package payment

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const camtHead = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-03-03T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>2026-0042</Id><ElctrncSeqNb>42</ElctrncSeqNb>
<Acct><Id><IBAN>BE68539007547034</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>
`

const camtTail = `</Stmt></BkToCstmrStmt></Document>`

// camtEntryXML is one booked credit with a structured reference (BBA issuer).
func camtEntryXML(i int, ref, amount string) string {
	return fmt.Sprintf(`<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-03-03</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt><AcctSvcrRef>REF%d</AcctSvcrRef>
<BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<RltdPties><Dbtr><Nm>An Peeters</Nm></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties>
<RltdAgts><DbtrAgt><FinInstnId><BIC>GKCCBEBB</BIC></FinInstnId></DbtrAgt></RltdAgts>
<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry>
`, amount, i, ref)
}

func camtSample() string {
	var b strings.Builder
	b.WriteString(camtHead)
	b.WriteString(camtEntryXML(1, "123456789002", "25.00"))
	// A debit, a pending entry, and a credit with only free text.
	b.WriteString(`<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt></Ntry>`)
	b.WriteString(`<Ntry><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt></Ntry>`)
	b.WriteString(`<Ntry><Amt Ccy="EUR">7.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-03</Dt></BookgDt>
<NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Jan Janssens</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>RF18 5390 0754 7034</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`)
	b.WriteString(camtTail)
	return b.String()
}

func collectCamt(t *testing.T, r io.Reader) ([]StatementLine, error) {
	var out []StatementLine
	for l, err := range Camt053Lines(r) {
		if err != nil {
			return out, err
		}
		out = append(out, l)
	}
	return out, nil
}

func TestCamt053(t *testing.T) {
	lines, err := collectCamt(t, strings.NewReader(camtSample()))
	require.NoError(t, err)
	require.Len(t, lines, 3) // the pending entry is not money yet
	assert.Equal(t, "+++123/4567/89002+++", lines[0].Reference.String())
	assert.True(t, decimal.RequireFromString("25").Equal(lines[0].Amount))
	assert.Equal(t, "An Peeters", lines[0].CounterpartyName)
	assert.Equal(t, "BE71096123456769", lines[0].CounterpartyIBAN)
	assert.Equal(t, "GKCCBEBB", lines[0].CounterpartyBIC)
	assert.Equal(t, "REF1", lines[0].BankReference)
	assert.Equal(t, "camt053:BE68539007547034:2026-0042:1/1", lines[0].Key)
	assert.True(t, decimal.RequireFromString("-10").Equal(lines[1].Amount))
	assert.Equal(t, "RF18539007547034", lines[2].Reference.Key())
	assert.Equal(t, "Jan Janssens", lines[2].CounterpartyName)
}

func TestCamt053BadInput(t *testing.T) {
	tests := map[string]string{
		"malformed":     camtHead + "<Ntry><Amt>",
		"not camt":      `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"></Document>`,
		"empty":         "",
		"bad amount":    camtHead + strings.Replace(camtEntryXML(1, "123456789002", "25.00"), "25.00", "2x5", 1) + camtTail,
		"negative":      camtHead + camtEntryXML(1, "123456789002", "-25.00") + camtTail,
		"bad indicator": camtHead + strings.Replace(camtEntryXML(1, "123456789002", "1"), "CRDT", "XXXX", 1) + camtTail,
		"bad date":      camtHead + strings.Replace(camtEntryXML(1, "123456789002", "1"), "2026-03-03", "2026-13-03", 1) + camtTail,
		"dollars":       camtHead + strings.Replace(camtEntryXML(1, "123456789002", "1"), `Ccy="EUR"`, `Ccy="USD"`, 1) + camtTail,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := collectCamt(t, strings.NewReader(in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCamt)
			assert.ErrorIs(t, err, ErrValidation)
		})
	}
}

// camtStream generates a statement of n entries on the fly, so the test
// of flat memory needs no big buffer itself.
type camtStream struct {
	n, i int
	buf  bytes.Buffer
	done bool
}

func (s *camtStream) Read(p []byte) (int, error) {
	for s.buf.Len() < len(p) && !s.done {
		switch {
		case s.i == 0:
			s.buf.WriteString(camtHead)
		case s.i <= s.n:
			o, _ := NewOGM(uint64(s.i))
			s.buf.WriteString(camtEntryXML(s.i, o.Digits(), "12.34"))
		default:
			s.buf.WriteString(camtTail)
			s.done = true
		}
		s.i++
	}
	if s.buf.Len() == 0 {
		return 0, io.EOF
	}
	return s.buf.Read(p)
}

func TestCamt053MemoryIsFlat(t *testing.T) {
	heapAfter := func(n int) uint64 {
		var peak uint64
		count := 0
		for _, err := range Camt053Lines(&camtStream{n: n}) {
			require.NoError(t, err)
			count++
			if count%500 == 0 {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
		require.Equal(t, n, count)
		return peak
	}
	small, large := heapAfter(1000), heapAfter(5000)
	// Five times the entries may not take anywhere near five times the memory.
	assert.Less(t, large, small+4<<20, "heap %d for 1000 entries, %d for 5000", small, large)
}

// FuzzCamt053 starts from the real files in testdata and the samples
// here: whatever is read does not panic, reads the same way twice, has
// unique keys, and the lines of one entry all go the same way (an entry
// whose transactions do not add up is an error, checked by the reader).
func FuzzCamt053(f *testing.F) {
	files, err := filepath.Glob("testdata/*.xml")
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(string(b))
	}
	f.Add(camtSample())
	f.Add(camtHead + camtTail)
	f.Add("<Document/>")
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := collectCamt(t, strings.NewReader(s))
		if err != nil {
			assert.ErrorIs(t, err, ErrCamt)
			return
		}
		// Parsing is deterministic: the same input yields the same keys,
		// which is what makes a second import book nothing.
		again, err := collectCamt(t, strings.NewReader(s))
		require.NoError(t, err)
		require.Len(t, again, len(lines))
		seen := map[string]bool{}
		sign := map[string]int{}
		for i, l := range lines {
			assert.True(t, strings.HasPrefix(l.Key, "camt053:"))
			assert.Equal(t, l.Key, again[i].Key)
			assert.False(t, seen[l.Key], "key %s twice", l.Key)
			seen[l.Key] = true
			assert.False(t, l.InvalidReference && !l.Reference.IsZero(), "an invalid reference is never a reference")
			// The key ends in ":<entry>" or ":<entry>/<transaction>".
			colon := strings.LastIndex(l.Key, ":")
			n, _, _ := strings.Cut(l.Key[colon+1:], "/")
			entry := l.Key[:colon+1] + n
			if s := l.Amount.Sign(); s != 0 {
				if sign[entry] != 0 {
					assert.Equal(t, sign[entry], s, "lines of entry %s go both ways", entry)
				}
				sign[entry] = s
			}
		}
	})
}

func BenchmarkCamt053(b *testing.B) {
	var buf bytes.Buffer
	_, _ = io.Copy(&buf, &camtStream{n: 2000})
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range Camt053Lines(bytes.NewReader(data)) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

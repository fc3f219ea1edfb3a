package payment

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cand(t testing.TB, base uint64, amount, name, iban string) Candidate {
	o, err := NewOGM(base)
	require.NoError(t, err)
	return Candidate{ID: uuid.New(), Key: o.Digits(), Outstanding: decimal.RequireFromString(amount), DebtorName: name, DebtorIBAN: iban}
}

func lineWith(t testing.TB, key string, base uint64, amount string) StatementLine {
	l := StatementLine{Key: key, Amount: decimal.RequireFromString(amount)}
	if base > 0 {
		o, err := NewOGM(base)
		require.NoError(t, err)
		l.Reference = OGMReference(o)
	}
	return l
}

func TestMatch(t *testing.T) {
	cands := []Candidate{
		cand(t, 1, "25.00", "An Peeters", "BE71096123456769"),
		cand(t, 2, "40.00", "Jan Janssens", ""),
		cand(t, 3, "40.00", "Els Maes", "BE68539007547034"),
		cand(t, 4, "10.00", "Piet Pieters", ""),
	}
	rf, _ := NewCreditorReference("X1")
	cands = append(cands, Candidate{ID: uuid.New(), Key: rf.String(), Outstanding: decimal.NewFromInt(5)})
	ix := NewIndex(cands)

	noRef := lineWith(t, "c", 0, "40.00")
	noRef.CounterpartyIBAN = "BE68 5390 0754 7034"
	rfLine := lineWith(t, "g", 0, "5")
	rfLine.Reference = RFReference(rf)
	got := Match([]StatementLine{
		lineWith(t, "a", 1, "25.00"),
		lineWith(t, "b", 4, "4.00"),
		noRef,
		lineWith(t, "d", 4, "12.00"),
		lineWith(t, "e", 99, "25.00"),
		lineWith(t, "f", 0, "-3"),
		rfLine,
		lineWith(t, "h", 0, "777"),
	}, ix)
	want := []Outcome{OutcomePaid, OutcomePartial, OutcomeSuggested, OutcomeOverpaid, OutcomeUnknownReference, OutcomeDebit, OutcomePaid, OutcomeUnmatched}
	for i, d := range got {
		assert.Equal(t, want[i], d.Outcome, "line %d", i)
	}
	assert.Equal(t, cands[0].ID, got[0].RequestID)
	require.Len(t, got[2].Suggestions, 2)
	assert.Equal(t, cands[2].ID, got[2].Suggestions[0].RequestID, "the known account ranks first")
	assert.Greater(t, got[2].Suggestions[0].Confidence, got[2].Suggestions[1].Confidence)
	assert.Less(t, got[2].Suggestions[0].Confidence, 1.0)
	assert.Equal(t, cands[0].ID, got[4].Suggestions[0].RequestID, "an unknown reference still gets amount suggestions")
}

var (
	benchOnce  sync.Once
	benchCands []Candidate
	benchLines []StatementLine
)

// benchData builds 1,000,000 open requests and 100,000 statement lines
// once per process: 70% carry a known reference, 10% an unknown one, 20%
// none (matched by amount).
func benchData() ([]Candidate, []StatementLine) {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		const nReq, nLines = 1_000_000, 100_000
		benchCands = make([]Candidate, nReq)
		for i := range benchCands {
			o, _ := NewOGM(uint64(i + 1))
			benchCands[i] = Candidate{ID: uuid.UUID{byte(i), byte(i >> 8), byte(i >> 16)}, Key: o.Digits(), Outstanding: decimal.New(int64(1000+rng.IntN(1_000_000)), -2)}
		}
		benchLines = make([]StatementLine, nLines)
		for i := range benchLines {
			c := benchCands[rng.IntN(nReq)]
			l := StatementLine{Key: "bench:" + itoa(i), Amount: c.Outstanding}
			switch p := rng.IntN(10); {
			case p < 7:
				o, _ := ParseOGM(c.Key)
				l.Reference = OGMReference(o)
			case p < 8:
				o, _ := NewOGM(uint64(nReq + 1 + i))
				l.Reference = OGMReference(o)
			}
			benchLines[i] = l
		}
	})
	return benchCands, benchLines
}

// BenchmarkReconcile indexes 1,000,000 open requests and matches 100,000
// statement lines against them; both are in the measured time.
func BenchmarkReconcile(b *testing.B) {
	cands, lines := benchData()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ix := NewIndex(cands)
		ds := Match(lines, ix)
		if len(ds) != len(lines) {
			b.Fatal("lost lines")
		}
	}
}

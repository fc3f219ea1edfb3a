package casefile

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseReference checks that parseReference accepts exactly what
// FormatReference writes.
func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"2026-000001", "2026-1234567", "1-000005", "-5-000001", "2026-1", "2026-+00001", "2026--1", "-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		year, n, ok := parseReference(s)
		if ok {
			assert.Equal(t, s, FormatReference(year, n))
		}
	})
}

func TestParseReferenceRoundTrips(t *testing.T) {
	for _, year := range []int{-12, 0, 1, 2026, 99999} {
		for _, n := range []int64{0, 1, 999999, 1000000, 1<<63 - 1} {
			ref := FormatReference(year, n)
			y, m, ok := parseReference(ref)
			require.True(t, ok, ref)
			assert.Equal(t, year, y, ref)
			assert.Equal(t, n, m, ref)
		}
	}
}

func TestTextArena(t *testing.T) {
	var a textArena
	type put struct {
		at     textRef
		fields [textFields]string
	}
	var puts []put
	for i := range 3000 {
		var fields [textFields]string
		for j := range fields {
			fields[j] = strings.Repeat(string(rune('a'+j)), (i*7+j)%300)
		}
		if i%1000 == 999 {
			fields[textFields-1] = strings.Repeat("long ", maxTextChunk/4) // a chunk of its own
		}
		puts = append(puts, put{a.put(&fields, nil), fields})
	}
	for i, p := range puts {
		var c Case
		unpackText(a.get(p.at), &c)
		assert.Equal(t, p.fields, caseTexts(&c), "text %d", i)
	}
	assert.Greater(t, len(a.chunks), 3)
	for _, i := range []int{999, 1999, 2999} {
		assert.Equal(t, int(puts[i].at.n), len(a.chunks[puts[i].at.chunk]), "a long text has a chunk of its own")
	}
}

func TestChunked(t *testing.T) {
	var c chunked[int]
	for i := range 3*chunkSize + 5 {
		at, p := c.add()
		require.Equal(t, uint32(i), at)
		*p = i
	}
	for i := range 3*chunkSize + 5 {
		require.Equal(t, i, *c.at(uint32(i)))
	}
	assert.Len(t, c.chunks, 4)
}

// TestRequesterHashCollision makes two requesters' IDs share a hash in the
// requester index, as they may by chance: the listing must still tell
// their cases apart.
func TestRequesterHashCollision(t *testing.T) {
	st := NewMemStore(nil)
	ctx := context.Background()
	none := func(*Case) (Change, error) { return Change{}, nil }
	var cases []*Case
	for i, who := range []string{"0403.000.059", "0887.123.495", "0403.000.059"} {
		c := &Case{ID: uuid.New(), Municipality: "44021", Type: "meldingen", Status: "reported",
			Requester: Requester{Kind: PartyEnterprise, ID: who}, CreatedAt: time.Unix(int64(i), 0), Due: time.Unix(1000-int64(i), 0)}
		require.NoError(t, st.Create(ctx, c, none))
		cases = append(cases, c)
	}
	// File the other requester's case under the first one's hash too.
	key := idKeyOf(cases[1].ID)
	key.slot = 1
	st.byReq.ReplaceOrInsert(reqKey{st.reqHash("0403.000.059"), key})

	for _, q := range []Query{{RequesterID: "0403.000.059"}, {RequesterID: "0403.000.059", DueBefore: time.Unix(2000, 0)}} {
		p, err := st.List(ctx, q)
		require.NoError(t, err)
		var got []uuid.UUID
		for _, c := range p.Cases {
			got = append(got, c.ID)
		}
		exp := []uuid.UUID{cases[2].ID, cases[0].ID} // in due order
		if q.DueBefore.IsZero() {
			slices.SortFunc(exp, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
		}
		assert.Equal(t, exp, got, "%+v", q)
	}
}

// Package recordstest is the conformance suite of the portal's own stores:
// the in-memory and the PostgreSQL implementation in package records run
// the very same tests, the concurrent ones included. A municipality that
// writes its own store runs them too.
package recordstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// newID is a fresh UUID v7.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// RunPermits runs the suite of records.Permits; newStore returns an empty
// store of its own for each subtest.
func RunPermits(t *testing.T, newStore func(t *testing.T) records.Permits) {
	ctx := context.Background()
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	day := calendar.NewDate(2026, 3, 9)

	t.Run("EmptyUntilTheFirstAdd", func(t *testing.T) {
		s := newStore(t)
		empty, err := s.Empty(ctx)
		require.NoError(t, err)
		assert.True(t, empty)
		_, err = s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		empty, err = s.Empty(ctx)
		require.NoError(t, err)
		assert.False(t, empty)
	})

	t.Run("AddNumbersEachPermitOnce", func(t *testing.T) {
		s := newStore(t)
		first, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		second, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		assert.Positive(t, first.Seq)
		assert.Greater(t, second.Seq, first.Seq, "numbers increase")
		assert.Equal(t, fmt.Sprintf("IOD-%05d", first.Seq), first.Reference())

		// A repeated form adds the permit again: it keeps its number and
		// its record, whatever the second add carries.
		again, err := s.Add(ctx, records.Permit{PermitID: first.PermitID, CreatedAt: created.Add(time.Hour), NoFee: true})
		require.NoError(t, err)
		assert.Equal(t, first.Seq, again.Seq)
		assert.False(t, again.NoFee)
		assert.True(t, again.CreatedAt.Equal(created))
	})

	t.Run("GetUnknownIsNoRecord", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Get(ctx, newID())
		assert.ErrorIs(t, err, records.ErrNoRecord)
		_, err = s.ByInvoice(ctx, newID())
		assert.ErrorIs(t, err, records.ErrNoRecord)
		_, err = s.Update(ctx, newID(), func(*records.Permit) error { return nil })
		assert.ErrorIs(t, err, records.ErrNoRecord)
	})

	t.Run("GetManyReturnsTheKnownOnes", func(t *testing.T) {
		s := newStore(t)
		none, err := s.GetMany(ctx)
		require.NoError(t, err)
		assert.Empty(t, none, "no IDs, no records")
		a, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		b, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		_, err = s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created}) // not asked for
		require.NoError(t, err)
		b, err = s.Update(ctx, b.PermitID, func(r *records.Permit) error { r.NoFee = true; return nil })
		require.NoError(t, err)
		unknown := newID()
		got, err := s.GetMany(ctx, a.PermitID, unknown, b.PermitID, a.PermitID)
		require.NoError(t, err)
		require.Len(t, got, 2, "the unknown permit is left out, a repeated ID counts once")
		assert.Equal(t, a.Seq, got[a.PermitID].Seq)
		assert.Equal(t, b.Seq, got[b.PermitID].Seq)
		assert.True(t, got[b.PermitID].NoFee, "what Update wrote")
		assert.True(t, got[a.PermitID].CreatedAt.Equal(created))
		_, ok := got[unknown]
		assert.False(t, ok)
	})

	t.Run("ByApplicantReturnsTheirRecords", func(t *testing.T) {
		s := newStore(t)
		an, bv := string(permit.PersonApplicant("85073003328")), string(permit.EnterpriseApplicant("0403170701"))
		a, err := s.Add(ctx, records.Permit{PermitID: newID(), Applicant: an, CreatedAt: created})
		require.NoError(t, err)
		b, err := s.Add(ctx, records.Permit{PermitID: newID(), Applicant: bv, CreatedAt: created})
		require.NoError(t, err)
		_, err = s.Add(ctx, records.Permit{PermitID: newID(), Applicant: string(permit.PersonApplicant("50010500133")), CreatedAt: created})
		require.NoError(t, err)
		_, err = s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created}) // whose, it does not know
		require.NoError(t, err)
		b, err = s.Update(ctx, b.PermitID, func(r *records.Permit) error { r.NoFee = true; return nil })
		require.NoError(t, err)
		assert.Equal(t, bv, b.Applicant, "Update keeps the applicant")

		got, err := s.ByApplicant(ctx, an, bv)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, a.Seq, got[a.PermitID].Seq)
		assert.Equal(t, an, got[a.PermitID].Applicant)
		assert.True(t, got[b.PermitID].NoFee, "what Update wrote")
		none, err := s.ByApplicant(ctx)
		require.NoError(t, err)
		assert.Empty(t, none, "no applicants, no records")
		none, err = s.ByApplicant(ctx, "")
		require.NoError(t, err)
		assert.Empty(t, none, "records without an applicant belong to nobody")
	})

	t.Run("UpdateKeepsWhatItWrites", func(t *testing.T) {
		s := newStore(t)
		rec, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		invoice := newID()
		task := permit.SignageTask{Application: rec.PermitID, Action: "place", Date: day, Places: 2}
		paid := created.Add(48 * time.Hour)
		got, err := s.Update(ctx, rec.PermitID, func(r *records.Permit) error {
			r.InvoiceID, r.InvoicedAt, r.Signage, r.FeePaidAt = invoice, created, []permit.SignageTask{task}, paid
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, invoice, got.InvoiceID)

		read, err := s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		assert.Equal(t, rec.Seq, read.Seq)
		assert.Equal(t, invoice, read.InvoiceID)
		assert.True(t, read.FeePaidAt.Equal(paid))
		require.Len(t, read.Signage, 1)
		assert.Equal(t, task, read.Signage[0])

		byInvoice, err := s.ByInvoice(ctx, invoice)
		require.NoError(t, err)
		assert.Equal(t, rec.PermitID, byInvoice.PermitID)
		_, err = s.ByInvoice(ctx, uuid.Nil)
		assert.ErrorIs(t, err, records.ErrNoRecord, "a permit without an invoice is not found by the nil ID")
	})

	t.Run("UpdateThatFailsChangesNothing", func(t *testing.T) {
		s := newStore(t)
		rec, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		boom := errors.New("boom")
		_, err = s.Update(ctx, rec.PermitID, func(r *records.Permit) error {
			r.NoFee = true
			return boom
		})
		assert.ErrorIs(t, err, boom)
		read, err := s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		assert.False(t, read.NoFee)
	})

	t.Run("ReadsAreCopies", func(t *testing.T) {
		s := newStore(t)
		rec, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		_, err = s.Update(ctx, rec.PermitID, func(r *records.Permit) error {
			r.Signage = []permit.SignageTask{{Action: "place", Date: day}}
			return nil
		})
		require.NoError(t, err)
		read, err := s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		read.Signage[0].Action = "changed by the caller"
		again, err := s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		assert.Equal(t, "place", again.Signage[0].Action)
		many, err := s.GetMany(ctx, rec.PermitID)
		require.NoError(t, err)
		many[rec.PermitID].Signage[0].Action = "changed through GetMany"
		again, err = s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		assert.Equal(t, "place", again.Signage[0].Action)
	})

	t.Run("ConcurrentUpdatesAllCount", func(t *testing.T) {
		s := newStore(t)
		rec, err := s.Add(ctx, records.Permit{PermitID: newID(), CreatedAt: created})
		require.NoError(t, err)
		const n = 16
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := s.Update(ctx, rec.PermitID, func(r *records.Permit) error {
					r.Signage = append(r.Signage, permit.SignageTask{Action: "place", Date: day, Places: i})
					return nil
				})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		read, err := s.Get(ctx, rec.PermitID)
		require.NoError(t, err)
		assert.Len(t, read.Signage, n, "no update lost another's change")
	})

	t.Run("ConcurrentAddsGiveOneNumber", func(t *testing.T) {
		s := newStore(t)
		id := newID()
		const n = 8
		seqs := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r, err := s.Add(ctx, records.Permit{PermitID: id, CreatedAt: created})
				if assert.NoError(t, err) {
					seqs[i] = r.Seq
				}
			})
		}
		wg.Wait()
		for _, seq := range seqs {
			assert.Equal(t, seqs[0], seq)
		}
	})
}

// RunConfirmations runs the suite of records.Confirmations; newStore
// returns an empty store of its own for each subtest.
func RunConfirmations(t *testing.T, newStore func(t *testing.T) records.Confirmations) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

	t.Run("ALineIsConfirmedOnce", func(t *testing.T) {
		s := newStore(t)
		ok, err := s.Confirm(ctx, "coda:1:2", newID(), at)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = s.Confirm(ctx, "coda:1:2", newID(), at)
		require.NoError(t, err)
		assert.False(t, ok, "confirmed before")
	})

	t.Run("ConfirmedListsOnlyConfirmedKeys", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Confirm(ctx, "a", newID(), at)
		require.NoError(t, err)
		got, err := s.Confirmed(ctx, []string{"a", "b"})
		require.NoError(t, err)
		assert.Equal(t, map[string]bool{"a": true}, got)
		got, err = s.Confirmed(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("UnconfirmLetsTheClerkTryAgain", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Confirm(ctx, "a", newID(), at)
		require.NoError(t, err)
		require.NoError(t, s.Unconfirm(ctx, "a"))
		got, err := s.Confirmed(ctx, []string{"a"})
		require.NoError(t, err)
		assert.Empty(t, got)
		ok, err := s.Confirm(ctx, "a", newID(), at)
		require.NoError(t, err)
		assert.True(t, ok)
		require.NoError(t, s.Unconfirm(ctx, "never-confirmed"), "taking back nothing is no error")
	})

	t.Run("ConcurrentConfirmsOneWins", func(t *testing.T) {
		s := newStore(t)
		const n = 8
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for range n {
			wg.Go(func() {
				ok, err := s.Confirm(ctx, "same-line", newID(), at)
				if assert.NoError(t, err) && ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, wins, "one clerk books the line, the others are told it was booked")
	})
}

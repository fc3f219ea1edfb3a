// Package permittest is the conformance suite every permit.Store must
// pass: the in-memory store and the PostgreSQL store run the very same
// tests, the concurrency ones included.
package permittest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Now is the suite's fixed "today": Monday 2 March 2026, 09:00 in Brussels.
var Now = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     permit.Store
	Committed func(t *testing.T) []event.Event
}

// Run runs the suite against stores made by newHarness (a fresh, empty
// store per call).
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	newStore := func(t *testing.T) permit.Store { return newHarness(t).Store }
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	t.Run("IdempotentDraft", func(t *testing.T) { testIdempotentDraft(t, newHarness(t)) })
	t.Run("ByApplicant", func(t *testing.T) { testByApplicant(t, newStore(t)) })
	t.Run("RatingNeedsTheParty", func(t *testing.T) { testRatingNeedsTheParty(t, newStore(t)) })
	t.Run("CreateGetUpdate", func(t *testing.T) { testCreateGetUpdate(t, newStore(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, newStore(t)) })
	t.Run("UpdateErrorSavesNothing", func(t *testing.T) { testUpdateErrorSavesNothing(t, newStore(t)) })
	t.Run("ConcurrentUpdateOneWins", func(t *testing.T) { testConcurrentUpdate(t, newStore(t)) })
	t.Run("ConcurrentDecisionsOneWins", func(t *testing.T) { testConcurrentDecisions(t, newStore(t)) })
	t.Run("List", func(t *testing.T) { testList(t, newStore(t)) })
	t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, newStore(t)) })
	t.Run("Candidates", func(t *testing.T) { testCandidates(t, newStore(t)) })
	t.Run("ConflictsAndRatings", func(t *testing.T) { testConflictsAndRatings(t, newStore(t)) })
	t.Run("PlannedWorks", func(t *testing.T) { testPlannedWorks(t, newStore(t)) })
	t.Run("WorksRevision", func(t *testing.T) { testWorksRevision(t, newStore(t)) })
	t.Run("InputAtTheEdges", func(t *testing.T) { testInputAtTheEdges(t, newStore(t)) })
}

// Square returns a GeoJSON polygon of about size×size metres with its
// south-west corner at lon, lat.
func Square(lon, lat, size float64) json.RawMessage {
	dLat := size / 111200
	dLon := size / (111200 * 0.63)
	return json.RawMessage(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}`,
		lon, lat, lon+dLon, lat, lon+dLon, lat+dLat, lon, lat+dLat, lon, lat))
}

// Input returns a valid container application at the square, for the
// given days from start (local midnight to midnight).
func Input(location json.RawMessage, start time.Time, days int) permit.ApplicationInput {
	return permit.ApplicationInput{
		Type: "container",
		Applicant: permit.Applicant{
			Name: pii.Name{Given: "An", Family: "Peeters"}, Enterprise: "Bouw NV", KBO: "0403.170.701", Email: "an@bouw.be",
		},
		Location:    location,
		Address:     pii.Address{Street: "Grote Markt", Number: "1", PostalCode: "2000", Municipality: "Antwerpen"},
		Periods:     []permit.Period{{Start: start, End: start.AddDate(0, 0, days)}},
		Description: "Container for renovation",
	}
}

func newService(store permit.Store) (*permit.Service, *clock.Settable) {
	clk := clock.NewSettable(Now)
	return permit.NewService(permit.Config{Store: store, Clock: clk}), clk
}

// start is two weeks after Now, safely past every lead time of a container.
var start = time.Date(2026, 3, 16, 0, 0, 0, 0, clock.Brussels)

func grantedAt(t *testing.T, svc *permit.Service, loc json.RawMessage, from time.Time, days int) *permit.Application {
	t.Helper()
	ctx := context.Background()
	a, err := svc.Draft(ctx, Input(loc, from, days))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	a, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)
	return a
}

func testCreateGetUpdate(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	a, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	got, err := store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusDraft, got.Status)
	assert.Equal(t, 1, got.Version)
	assert.InDelta(t, 25, got.Area, 0.5)
	assert.Equal(t, "Bouw NV", got.Applicant.Enterprise)
	assert.Equal(t, a.Fee.Total.String(), got.Fee.Total.String())
	require.Len(t, got.Periods, 1)
	assert.True(t, got.Periods[0].Start.Equal(start))

	saved, err := store.Update(ctx, a.ID, func(x *permit.Application) (permit.Change, error) {
		x.Description = "changed"
		return permit.Change{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, "changed", saved.Description)
	assert.Equal(t, 2, saved.Version)
	saved.Description = "the caller's copy"
	got, err = store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "changed", got.Description, "Update returns a copy")
	assert.Equal(t, 2, got.Version)
}

func testNotFound(t *testing.T, store permit.Store) {
	ctx := context.Background()
	_, err := store.Get(ctx, id.New())
	assert.ErrorIs(t, err, permit.ErrNotFound)
	_, err = store.Update(ctx, id.New(), func(*permit.Application) (permit.Change, error) { return permit.Change{}, nil })
	assert.ErrorIs(t, err, permit.ErrNotFound)
	svc, _ := newService(store)
	_, err = svc.Submit(ctx, id.New())
	assert.ErrorIs(t, err, permit.ErrNotFound)
}

func testUpdateErrorSavesNothing(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	a, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	boom := errors.New("boom")
	_, err = store.Update(ctx, a.ID, func(x *permit.Application) (permit.Change, error) {
		x.Description = "lost"
		return permit.Change{}, boom
	})
	require.ErrorIs(t, err, boom)
	got, err := store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "Container for renovation", got.Description)
	assert.Equal(t, 1, got.Version)
}

func testConcurrentUpdate(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	a, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	// Both writers read the same version before either saves.
	var ready sync.WaitGroup
	ready.Add(2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = store.Update(ctx, a.ID, func(x *permit.Application) (permit.Change, error) {
				ready.Done()
				ready.Wait()
				x.Description = fmt.Sprintf("writer %d", i)
				return permit.Change{}, nil
			})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			assert.ErrorIs(t, err, permit.ErrConflict)
		}
	}
	assert.Equal(t, 1, wins)
	got, err := store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Version)
}

func testConcurrentDecisions(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	for range 5 {
		a, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
		require.NoError(t, err)
		_, err = svc.Submit(ctx, a.ID)
		require.NoError(t, err)
		var wg sync.WaitGroup
		results := make([]error, 2)
		wg.Add(2)
		go func() { defer wg.Done(); _, results[0] = svc.Grant(ctx, a.ID, []string{"keep the pavement free"}) }()
		go func() { defer wg.Done(); _, results[1] = svc.Refuse(ctx, a.ID, []string{"no"}) }()
		wg.Wait()
		wins := 0
		for _, err := range results {
			if err == nil {
				wins++
				continue
			}
			// The loser either lost the race to save (conflict) or saw the
			// decision already taken (invalid transition).
			assert.True(t, errors.Is(err, permit.ErrConflict) || errors.Is(err, permit.ErrInvalidTransition), "%v", err)
		}
		assert.Equal(t, 1, wins)
		got, err := store.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Contains(t, []permit.Status{permit.StatusGranted, permit.StatusRefused}, got.Status)
		_, _ = svc.Withdraw(ctx, a.ID) // keep the conflict space clear
	}
}

func testList(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	var drafts []uuid.UUID
	for i := range 3 {
		a, err := svc.Draft(ctx, Input(Square(4.40+float64(i)*0.01, 51.21, 5), start, 3))
		require.NoError(t, err)
		drafts = append(drafts, a.ID)
	}
	_, err := svc.Submit(ctx, drafts[0])
	require.NoError(t, err)
	count := func(st ...permit.Status) int {
		n := 0
		for a, err := range store.List(ctx, st...) {
			require.NoError(t, err)
			require.NotNil(t, a)
			n++
		}
		return n
	}
	assert.Equal(t, 3, count())
	assert.Equal(t, 2, count(permit.StatusDraft))
	assert.Equal(t, 1, count(permit.StatusSubmitted))
	assert.Equal(t, 3, count(permit.StatusDraft, permit.StatusSubmitted))
	assert.Equal(t, 0, count(permit.StatusActive))
	n := 0
	for range store.List(ctx) {
		n++
		break
	}
	assert.Equal(t, 1, n, "iteration stops when asked")
}

// Package sessiontest is the conformance suite every session.Store passes:
// the in-memory store and session/pgstore run the very same tests,
// concurrency included.
package sessiontest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/session"
)

// Run runs the suite; newStore returns a new, empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) session.Store) {
	t.Run("CreateGet", func(t *testing.T) { testCreateGet(t, newStore(t)) })
	t.Run("CreateConflict", func(t *testing.T) { testCreateConflict(t, newStore(t)) })
	t.Run("Touch", func(t *testing.T) { testTouch(t, newStore(t)) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, newStore(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newStore(t)) })
	t.Run("DeleteSubject", func(t *testing.T) { testDeleteSubject(t, newStore(t)) })
	t.Run("Purge", func(t *testing.T) { testPurge(t, newStore(t)) })
	t.Run("ConcurrentReplaceOneWins", func(t *testing.T) { testConcurrentReplace(t, newStore(t)) })
	t.Run("ConcurrentUse", func(t *testing.T) { testConcurrentUse(t, newStore(t)) })
}

// base is a fixed time, whole seconds, so every store keeps it exactly.
var base = time.Date(2026, 3, 29, 1, 30, 0, 0, clock.Brussels)

// New returns a session for subject created at base, with a fresh token.
func New(subject string) session.Session {
	return session.Session{
		Hash:    session.NewToken().Hash(),
		Subject: subject,
		Data: session.Data{Subject: subject, GivenName: "An", FamilyName: "Peeters", INSZ: "85073003328",
			EnterpriseKBO: "0403170701", EnterpriseName: "Frituur De Hoek", Clerk: true, IDToken: "eyJ.x.y", CSRF: "csrf-" + subject},
		Created: base, LastSeen: base,
		IdleExpiry:     base.Add(30 * time.Minute),
		AbsoluteExpiry: base.Add(8 * time.Hour),
	}
}

// Equal checks that got is want, comparing times as instants.
func Equal(t *testing.T, want, got session.Session) {
	t.Helper()
	assert.Equal(t, want.Hash, got.Hash, "hash")
	assert.Equal(t, want.Subject, got.Subject, "subject")
	assert.Equal(t, want.Data, got.Data, "data")
	for _, p := range []struct {
		name      string
		want, got time.Time
	}{{"created", want.Created, got.Created}, {"last seen", want.LastSeen, got.LastSeen},
		{"idle expiry", want.IdleExpiry, got.IdleExpiry}, {"absolute expiry", want.AbsoluteExpiry, got.AbsoluteExpiry}} {
		assert.True(t, p.want.Equal(p.got), "%s: want %s, got %s", p.name, p.want, p.got)
	}
}

func testCreateGet(t *testing.T, st session.Store) {
	ctx := context.Background()
	s := New("sub-a")
	require.NoError(t, st.Create(ctx, s))
	got, err := st.Get(ctx, s.Hash)
	require.NoError(t, err)
	Equal(t, s, *got)

	_, err = st.Get(ctx, session.NewToken().Hash())
	assert.ErrorIs(t, err, session.ErrNotFound)

	got.Data.GivenName = "changed"
	again, err := st.Get(ctx, s.Hash)
	require.NoError(t, err)
	assert.Equal(t, "An", again.Data.GivenName, "Get returns a copy")
}

func testCreateConflict(t *testing.T, st session.Store) {
	ctx := context.Background()
	s := New("sub-a")
	require.NoError(t, st.Create(ctx, s))
	other := New("sub-b")
	other.Hash = s.Hash
	assert.ErrorIs(t, st.Create(ctx, other), session.ErrConflict)
	got, err := st.Get(ctx, s.Hash)
	require.NoError(t, err)
	assert.Equal(t, "sub-a", got.Subject, "the first session is untouched")
}

func testTouch(t *testing.T, st session.Store) {
	ctx := context.Background()
	s := New("sub-a")
	require.NoError(t, st.Create(ctx, s))
	seen, idle := base.Add(5*time.Minute), base.Add(35*time.Minute)
	require.NoError(t, st.Touch(ctx, s.Hash, seen, idle))
	got, err := st.Get(ctx, s.Hash)
	require.NoError(t, err)
	want := s
	want.LastSeen, want.IdleExpiry = seen, idle
	Equal(t, want, *got)

	assert.ErrorIs(t, st.Touch(ctx, session.NewToken().Hash(), seen, idle), session.ErrNotFound)
}

func testReplace(t *testing.T, st session.Store) {
	ctx := context.Background()
	old := New("sub-a")
	require.NoError(t, st.Create(ctx, old))
	next := New("sub-a")
	next.Data.EnterpriseKBO = ""
	require.NoError(t, st.Replace(ctx, old.Hash, next))
	_, err := st.Get(ctx, old.Hash)
	assert.ErrorIs(t, err, session.ErrNotFound, "the old token is dead")
	got, err := st.Get(ctx, next.Hash)
	require.NoError(t, err)
	Equal(t, next, *got)

	t.Run("old gone", func(t *testing.T) {
		orphan := New("sub-a")
		assert.ErrorIs(t, st.Replace(ctx, old.Hash, orphan), session.ErrNotFound)
		_, err := st.Get(ctx, orphan.Hash)
		assert.ErrorIs(t, err, session.ErrNotFound, "nothing stored when the old session is gone")
	})
	t.Run("next taken", func(t *testing.T) {
		a, b := New("sub-c"), New("sub-c")
		require.NoError(t, st.Create(ctx, a))
		require.NoError(t, st.Create(ctx, b))
		clash := New("sub-c")
		clash.Hash = b.Hash
		assert.ErrorIs(t, st.Replace(ctx, a.Hash, clash), session.ErrConflict)
		_, err := st.Get(ctx, a.Hash)
		assert.NoError(t, err, "the old session survives a failed replacement")
	})
}

func testDelete(t *testing.T, st session.Store) {
	ctx := context.Background()
	s, keep := New("sub-a"), New("sub-a")
	require.NoError(t, st.Create(ctx, s))
	require.NoError(t, st.Create(ctx, keep))
	require.NoError(t, st.Delete(ctx, s.Hash))
	_, err := st.Get(ctx, s.Hash)
	assert.ErrorIs(t, err, session.ErrNotFound)
	assert.NoError(t, st.Delete(ctx, s.Hash), "deleting a missing session is not an error")
	_, err = st.Get(ctx, keep.Hash)
	assert.NoError(t, err, "another session of the subject stays")
}

func testDeleteSubject(t *testing.T, st session.Store) {
	ctx := context.Background()
	var mine []session.Session
	for range 3 {
		s := New("sub-a")
		mine = append(mine, s)
		require.NoError(t, st.Create(ctx, s))
	}
	other := New("sub-b")
	require.NoError(t, st.Create(ctx, other))
	n, err := st.DeleteSubject(ctx, "sub-a")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	for _, s := range mine {
		_, err := st.Get(ctx, s.Hash)
		assert.ErrorIs(t, err, session.ErrNotFound)
	}
	_, err = st.Get(ctx, other.Hash)
	assert.NoError(t, err)
	n, err = st.DeleteSubject(ctx, "nobody")
	require.NoError(t, err)
	assert.Zero(t, n)
}

func testPurge(t *testing.T, st session.Store) {
	ctx := context.Background()
	now := base.Add(time.Hour)
	idle := New("idle")
	idle.IdleExpiry = now.Add(-time.Second)
	abs := New("absolute")
	abs.IdleExpiry, abs.AbsoluteExpiry = now.Add(time.Hour), now.Add(-time.Second)
	edge := New("edge")
	edge.IdleExpiry = now // a deadline is exclusive: at that instant it has expired
	live := New("live")
	live.IdleExpiry = now.Add(time.Second)
	for _, s := range []session.Session{idle, abs, edge, live} {
		require.NoError(t, st.Create(ctx, s))
	}
	n, err := st.Purge(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	for _, s := range []session.Session{idle, abs, edge} {
		_, err := st.Get(ctx, s.Hash)
		assert.ErrorIs(t, err, session.ErrNotFound, s.Subject)
	}
	_, err = st.Get(ctx, live.Hash)
	assert.NoError(t, err)
}

// testConcurrentReplace renews one session from many requests at once: one
// renewal wins, the others find the old token gone, and exactly one new
// session exists.
func testConcurrentReplace(t *testing.T, st session.Store) {
	ctx := context.Background()
	old := New("sub-a")
	require.NoError(t, st.Create(ctx, old))
	const n = 20
	nexts := make([]session.Session, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		nexts[i] = New("sub-a")
		wg.Go(func() { errs[i] = st.Replace(ctx, old.Hash, nexts[i]) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		_, getErr := st.Get(ctx, nexts[i].Hash)
		if err == nil {
			won++
			assert.NoError(t, getErr)
			continue
		}
		assert.ErrorIs(t, err, session.ErrNotFound)
		assert.ErrorIs(t, getErr, session.ErrNotFound, "a losing renewal stores nothing")
	}
	assert.Equal(t, 1, won)
}

// testConcurrentUse creates, touches, reads and deletes sessions of
// several subjects from many goroutines, then checks what is left.
func testConcurrentUse(t *testing.T, st session.Store) {
	ctx := context.Background()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	kept := make([][]session.Session, workers)
	failures := make(chan error, workers*each*4)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				s := New(fmt.Sprintf("sub-%d", w))
				if err := st.Create(ctx, s); err != nil {
					failures <- err
					continue
				}
				if err := st.Touch(ctx, s.Hash, base.Add(time.Minute), base.Add(31*time.Minute)); err != nil {
					failures <- err
				}
				if _, err := st.Get(ctx, s.Hash); err != nil {
					failures <- err
				}
				if i%2 == 0 {
					if err := st.Delete(ctx, s.Hash); err != nil {
						failures <- err
					}
					continue
				}
				kept[w] = append(kept[w], s)
			}
		})
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		assert.NoError(t, err)
	}
	for w, ss := range kept {
		for _, s := range ss {
			got, err := st.Get(ctx, s.Hash)
			if assert.NoError(t, err) {
				assert.True(t, got.LastSeen.Equal(base.Add(time.Minute)))
			}
		}
		n, err := st.DeleteSubject(ctx, fmt.Sprintf("sub-%d", w))
		require.NoError(t, err)
		assert.Equal(t, len(ss), n, "only the sessions not deleted remain")
	}
	n, err := st.Purge(ctx, base.Add(24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "nothing left")
}

package casefile_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestNewServiceRejectsBadConfig(t *testing.T) {
	_, err := casefile.NewService(casefile.Config{Types: []*casefile.CaseType{{Code: "raw"}}})
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, f := range []string{"municipality", "store", "types[0]"} {
		_, ok := ve.Field(f)
		assert.True(t, ok, f)
	}
}

// failingSink fails when told to, as a broker that is down would.
type failingSink struct {
	mu   sync.Mutex
	fail bool
}

func (s *failingSink) Publish(context.Context, ...event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New("broker down")
	}
	return nil
}

func TestMemStoreSinkFailureChangesNothing(t *testing.T) {
	sink := &failingSink{}
	st := casefile.NewMemStore(sink)
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: st,
		Clock: clock.NewSettable(casefiletest.Start), Types: []*casefile.CaseType{casefile.PublicSpaceReports()}})
	require.NoError(t, err)
	ctx := context.Background()
	c, err := svc.Create(ctx, casefiletest.Report("other", ""))
	require.NoError(t, err)

	sink.fail = true
	_, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: casefile.Actor{ID: "x", Role: casefile.RoleClerk}})
	require.ErrorContains(t, err, "broker down")
	_, err = svc.Create(ctx, casefiletest.Report("other", ""))
	require.Error(t, err)

	got, err := st.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Version)
	assert.Equal(t, "reported", got.Status)
	tl, err := st.Timeline(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, tl, 1)
	sink.fail = false
	next, err := svc.Create(ctx, casefiletest.Report("other", ""))
	require.NoError(t, err)
	assert.Equal(t, "2026-000002", next.Reference, "a failed creation uses no number")
}

func TestConcurrentCommentsAllKept(t *testing.T) {
	st := casefile.NewMemStore(nil)
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: st,
		Clock: clock.NewSettable(casefiletest.Start), Types: []*casefile.CaseType{casefile.PublicSpaceReports()}})
	require.NoError(t, err)
	ctx := context.Background()
	c, err := svc.Create(ctx, casefiletest.Report("other", ""))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := svc.Comment(ctx, casefile.CommentRequest{CaseID: c.ID, Text: "note", Actor: casefile.Actor{ID: "h", Role: casefile.RoleHandler}})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	got, err := st.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 11, got.Version)
	tl, err := st.Timeline(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, tl, 11)
}

func TestRequesterLogsMasked(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	r := casefile.Requester{Kind: casefile.PartyPerson, ID: "85073003328", Name: pii.Name{Given: "An", Family: "Peeters"}, Email: "an.peeters@example.be"}
	log.Info("filed", "requester", r)
	out := buf.String()
	assert.NotContains(t, out, "85073003328")
	assert.NotContains(t, out, "Peeters")
	assert.NotContains(t, out, "an.peeters@")
	assert.Contains(t, out, "***28")
}

func TestReturnedCaseIsACopy(t *testing.T) {
	st := casefile.NewMemStore(nil)
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: st,
		Clock: clock.NewSettable(casefiletest.Start), Types: []*casefile.CaseType{casefile.PublicSpaceReports()}})
	require.NoError(t, err)
	ctx := context.Background()
	req := casefiletest.Report("other", "")
	req.Attachments = []casefile.Attachment{{Name: "a.jpg", MediaType: "image/jpeg", Size: 1,
		SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", URI: "https://x.example/a.jpg"}}
	c, err := svc.Create(ctx, req)
	require.NoError(t, err)
	assert.True(t, req.Attachments[0].AddedAt.IsZero(), "the request is not written to")
	c.Status = "hacked"
	c.Attachments[0].Name = "evil.exe"
	got, err := st.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "reported", got.Status)
	assert.Equal(t, "a.jpg", got.Attachments[0].Name)

	// The memstore updates its stored case in place; what Transition,
	// List and Timeline return must still be copies.
	clerk := casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk}
	moved, err := svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	moved.Status, moved.Version = "hacked", 99
	moved.Attachments[0].Name = "evil.exe"
	page, err := svc.List(ctx, casefile.Query{})
	require.NoError(t, err)
	require.Len(t, page.Cases, 1)
	page.Cases[0].Status = "hacked"
	page.Cases[0].Attachments[0].Name = "evil.exe"
	tl, err := st.Timeline(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, tl, 2)
	tl[0].Text, tl[1].Text = "hacked", "hacked"
	got, err = st.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "in_progress", got.Status)
	assert.Equal(t, 2, got.Version)
	assert.Equal(t, "a.jpg", got.Attachments[0].Name)
	tl, err = st.Timeline(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, tl[0].Text)
	assert.Empty(t, tl[1].Text)
}

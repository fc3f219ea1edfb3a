package delivery_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

type readSignal map[uuid.UUID]bool

func (r readSignal) Read(_ context.Context, doc uuid.UUID, _ delivery.ChannelKind) (bool, error) {
	return r[doc], nil
}

func emailSetup(t *testing.T, log *slog.Logger) (*delivery.Service, *delivery.MemStore, *clock.Settable) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clk, log)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "burger", func(p *delivery.Preference) error {
		p.Preferred, p.Email, p.EmailVerified, p.Address = delivery.ChannelEmail, "an.peeters@example.be", true, &deliverytest.Address
		p.Consents = []delivery.Consent{{Channel: delivery.ChannelEmail, Given: true, At: t0, Source: "webform"}}
		return nil
	})
	require.NoError(t, err)
	return svc, s, clk
}

func TestPluggableReadSignal(t *testing.T) {
	ctx := context.Background()
	svc, s, clk := emailSetup(t, nil)
	read, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	unread, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	disp := &delivery.Dispatcher{Store: s, Clock: clk, ReadSignal: readSignal{read.ID: true},
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelEmail: email, delivery.ChannelPaper: paper}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	clk.Advance(13 * 24 * time.Hour)
	n, err := disp.Step(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "timer not yet due")
	clk.Advance(24 * time.Hour)
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err := s.Get(ctx, read.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	assert.Equal(t, delivery.StatusRead, d.Attempts[0].Status)
	assert.Len(t, d.Attempts, 1)
	d, err = s.Get(ctx, unread.ID)
	require.NoError(t, err)
	require.Len(t, d.Attempts, 2, "no read signal: paper")
	assert.Equal(t, delivery.ChannelPaper, d.Attempts[1].Channel)
}

func TestChannelStatusPolledBeforeFallback(t *testing.T) {
	ctx := context.Background()
	svc, s, clk := emailSetup(t, nil)
	doc, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	disp := &delivery.Dispatcher{Store: s, Clock: clk,
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelEmail: email, delivery.ChannelPaper: paper}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	email.MarkRead(delivery.IdempotencyKey(doc.ID, delivery.ChannelEmail))
	clk.Advance(14 * 24 * time.Hour)
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err := s.Get(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	assert.Equal(t, delivery.StatusRead, d.Attempts[0].Status)
	assert.Zero(t, paper.Calls(), "read on the platform: no paper")
}

func TestStatusCallbackLogsNoPersonalData(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	svc, s, clk := emailSetup(t, slog.New(slog.NewJSONHandler(&buf, nil)))
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	disp := &delivery.Dispatcher{Store: s, Clock: clk, Log: slog.New(slog.NewJSONHandler(&buf, nil)),
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelEmail: delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	key := delivery.IdempotencyKey(d.ID, delivery.ChannelEmail)
	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: key, Status: delivery.StatusRead}))
	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: key, Status: delivery.StatusRead}))
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: key, Status: delivery.StatusDelivered}), delivery.ErrOutOfOrder)
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(uuid.New(), delivery.ChannelEmail), Status: delivery.StatusRead}), delivery.ErrUnknownMessage)
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: key, Status: "opened"}), delivery.ErrValidation)
	logs := buf.String()
	assert.Contains(t, logs, "duplicate status ignored")
	assert.Contains(t, logs, "status callback refused")
	for _, secret := range []string{"an.peeters", "85073003328", "Grote Markt", "Peeters"} {
		assert.NotContains(t, logs, secret)
	}
	ev, err := s.Evidence(ctx, d.ID)
	require.NoError(t, err)
	assert.Len(t, ev, 4, "routed, sent, read, completed: the duplicate and refused callbacks add nothing")
}

func TestReturnedLetterFailsDelivery(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", paperPref)
	require.NoError(t, err)
	doc, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	disp := &delivery.Dispatcher{Store: s, Clock: clk,
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: delivery.NewPrintBatch(clk)}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err := s.Get(ctx, doc.ID)
	require.NoError(t, err)
	require.Equal(t, delivery.StateCompleted, d.State)

	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(doc.ID, delivery.ChannelPaper), Status: delivery.StatusReturned}))
	d, err = s.Get(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateFailed, d.State, "returned letter, no channel left")
	assert.Equal(t, delivery.StatusReturned, d.Attempts[0].Status)
	assert.Len(t, d.Attempts, 1, "never twice on paper")
}

func TestLateBounceFallsBackToPaper(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clk, nil)
	r := deliverytest.TaxRule()
	r.ReadConfirmation, r.Fallback.AfterDaysUnread = false, 0
	_, err := svc.PutRule(ctx, r)
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "burger", func(p *delivery.Preference) error {
		p.Preferred, p.Email, p.EmailVerified, p.Address = delivery.ChannelEmail, "an@example.be", true, &deliverytest.Address
		p.Consents = []delivery.Consent{{Channel: delivery.ChannelEmail, Given: true, At: t0, Source: "webform"}}
		return nil
	})
	require.NoError(t, err)
	doc, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	disp := &delivery.Dispatcher{Store: s, Clock: clk, Channels: map[delivery.ChannelKind]delivery.Channel{
		delivery.ChannelEmail: delivery.NewSimulatedChannel(delivery.ChannelEmail, clk), delivery.ChannelPaper: paper}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err := s.Get(ctx, doc.ID)
	require.NoError(t, err)
	require.Equal(t, delivery.StateCompleted, d.State, "delivered, no read confirmation needed")

	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(doc.ID, delivery.ChannelEmail), Status: delivery.StatusFailedPermanent}))
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err = s.Get(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	require.Len(t, d.Attempts, 2)
	assert.Equal(t, delivery.ChannelPaper, d.Attempts[1].Channel)
	assert.Equal(t, 1, paper.Delivered())
}

// slowPost is a paper channel that counts what it hands over; its first
// send is slow, as a batch through a slow provider is.
type slowPost struct {
	mu    sync.Mutex
	sent  map[string]int
	first chan struct{}
	wait  chan struct{}
}

func (s *slowPost) Kind() delivery.ChannelKind { return delivery.ChannelPaper }
func (s *slowPost) Status(context.Context, string) (delivery.Status, error) {
	return delivery.StatusSent, nil
}
func (s *slowPost) Send(_ context.Context, m delivery.Message) (delivery.Receipt, error) {
	s.mu.Lock()
	s.sent[m.IdempotencyKey]++
	n := len(s.sent)
	s.mu.Unlock()
	if n == 1 && s.first != nil {
		close(s.first)
		<-s.wait
	}
	return delivery.Receipt{ProviderRef: "p-" + m.IdempotencyKey, Status: delivery.StatusSent}, nil
}

// TestSlowBatchStopsSendingWhenItsLeaseRunsShort: a dispatcher still in its
// batch when its lease runs out sends nothing more; the dispatcher that
// takes over sends the rest, and only the send that was under way when the
// lease ran out reaches the provider twice (under one idempotency key).
func TestSlowBatchStopsSendingWhenItsLeaseRunsShort(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewSettable(time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Brussels))
	st := delivery.NewMemStore(event.Discard)
	svc := delivery.NewService(st, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	for range 3 {
		_, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
		require.NoError(t, err)
	}
	a := &slowPost{sent: map[string]int{}, first: make(chan struct{}), wait: make(chan struct{})}
	b := &slowPost{sent: map[string]int{}}
	da := &delivery.Dispatcher{Store: st, Clock: clk, Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: a}}
	db := &delivery.Dispatcher{Store: st, Clock: clk, Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: b}}
	done := make(chan error, 1)
	go func() { _, err := da.Step(ctx); done <- err }()
	<-a.first
	clk.Advance(61 * time.Second) // A's provider is slow; its one-minute lease runs out
	n, err := db.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "B takes the batch over")
	close(a.wait)
	assert.ErrorIs(t, <-done, delivery.ErrLeaseLost)
	assert.Len(t, a.sent, 1, "A sent only the letter under way when its lease ran out")
	assert.Len(t, b.sent, 3)
}

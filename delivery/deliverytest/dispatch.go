package deliverytest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
)

func dispatcher(s delivery.Store, c clock.Clock, chans ...delivery.Channel) *delivery.Dispatcher {
	m := map[delivery.ChannelKind]delivery.Channel{}
	for _, ch := range chans {
		m[ch.Kind()] = ch
	}
	return &delivery.Dispatcher{Store: s, Channels: m, Clock: c, Lease: time.Minute}
}

func testDispatch(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	tries := 0
	email.Fail = func(m delivery.Message) error {
		if m.Subject == "flaky" && tries == 0 {
			tries++
			return delivery.ErrTemporary
		}
		if m.Subject == "bounce" {
			return delivery.ErrPermanent
		}
		return nil
	}
	disp := dispatcher(s, clk, email, paper)

	unread, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	read, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	flaky := Doc(Person)
	flaky.Subject = "flaky"
	_, err = svc.Submit(ctx, flaky)
	require.NoError(t, err)
	bounce := Doc(Person)
	bounce.Subject = "bounce"
	_, err = svc.Submit(ctx, bounce)
	require.NoError(t, err)

	n, err := disp.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, 2, email.Delivered(), "unread and read sent; flaky waits; bounce failed")
	assert.Zero(t, paper.Delivered(), "bounce queued for paper, not yet sent")
	d, err := s.Get(ctx, flaky.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusFailedTemporary, d.Current().Status)
	assert.True(t, Start.Add(time.Minute).Equal(d.NextAt), "backoff of one minute, got %s", d.NextAt)

	// The citizen reads one document; the channel reports it.
	keyRead := delivery.IdempotencyKey(read.ID, delivery.ChannelEmail)
	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: keyRead, Status: delivery.StatusRead, At: Start.Add(time.Hour)}))
	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: keyRead, Status: delivery.StatusRead}), "duplicate ignored")
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: keyRead, Status: delivery.StatusDelivered}), delivery.ErrOutOfOrder)
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(uuid.New(), delivery.ChannelEmail), Status: delivery.StatusRead}), delivery.ErrUnknownMessage)
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: "garbage", Status: delivery.StatusRead}), delivery.ErrUnknownMessage)
	assert.ErrorIs(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(read.ID, delivery.ChannelPaper), Status: delivery.StatusRead}), delivery.ErrUnknownMessage)

	clk.Advance(time.Minute)
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	d, err = s.Get(ctx, flaky.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusDelivered, d.Current().Status, "retried after backoff")

	clk.Advance(14 * 24 * time.Hour)
	for {
		n, err := disp.Step(ctx)
		require.NoError(t, err)
		if n == 0 {
			break
		}
	}
	d, err = s.Get(ctx, unread.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	require.Len(t, d.Attempts, 2)
	assert.Equal(t, delivery.ChannelPaper, d.Attempts[1].Channel, "unread → paper")
	d, err = s.Get(ctx, read.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	assert.Len(t, d.Attempts, 1, "read: no paper")
	d, err = s.Get(ctx, bounce.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateCompleted, d.State)
	require.Len(t, d.Attempts, 2)
	assert.Equal(t, delivery.StatusFailedPermanent, d.Attempts[0].Status)
	assert.Equal(t, 3, paper.Delivered(), "unread, flaky and bounce on paper")
	assert.Equal(t, 3, email.Delivered())

	ev, err := s.Evidence(ctx, unread.ID)
	require.NoError(t, err)
	require.NoError(t, delivery.VerifyChain(ev))
	kinds := make([]string, len(ev))
	for i, e := range ev {
		kinds[i] = e.Kind
	}
	assert.Equal(t, []string{"routed", "sent", "fallback", "queued", "sent", "completed"}, kinds)
	assert.Equal(t, unread.ContentSHA256, ev[1].ContentSHA256)
}

// ackFailStore fails every acknowledgement while armed, like a dispatcher
// killed between send and acknowledge.
type ackFailStore struct {
	delivery.Store
	armed atomic.Bool
}

var errCrash = errors.New("simulated crash before acknowledge")

func (s *ackFailStore) Update(ctx context.Context, id uuid.UUID, fn func(*delivery.Delivery) (delivery.Change, error)) (*delivery.Delivery, error) {
	if s.armed.Load() {
		return nil, errCrash
	}
	return s.Store.Update(ctx, id, fn)
}

func (s *ackFailStore) UpdateMany(ctx context.Context, ds []delivery.Delivery, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	if s.armed.Load() {
		return nil, errCrash
	}
	return s.Store.UpdateMany(ctx, ds, fn)
}

func testCrash(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	doc, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	crashing := &ackFailStore{Store: s}
	crashing.armed.Store(true)
	_, err = dispatcher(crashing, clk, email).Step(ctx)
	require.ErrorIs(t, err, errCrash)
	assert.Equal(t, 1, email.Calls())
	crashing.armed.Store(false)

	// A fresh dispatcher finds nothing while the lease holds...
	fresh := dispatcher(s, clk, email)
	n, err := fresh.Step(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	// ...and resends with the same key once it expired.
	clk.Advance(2 * time.Minute)
	n, err = fresh.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 2, email.Calls(), "resent once")
	assert.Equal(t, 1, email.Delivered(), "recognised by idempotency key: delivered once")
	d, err := s.Get(ctx, doc.ID)
	require.NoError(t, err)
	require.Len(t, d.Attempts, 1)
	assert.Equal(t, delivery.StatusDelivered, d.Attempts[0].Status)
	ev, err := s.Evidence(ctx, doc.ID)
	require.NoError(t, err)
	require.NoError(t, delivery.VerifyChain(ev))
	sent := 0
	for _, e := range ev {
		if e.Kind == delivery.EvidenceSent {
			sent++
		}
	}
	assert.Equal(t, 1, sent, "one send recorded")
}

// cancellingChannel records the send and then cancels the dispatcher's
// context, like a process killed right after the provider accepted.
type cancellingChannel struct {
	*delivery.SimulatedChannel
	cancel context.CancelFunc
}

func (c cancellingChannel) Send(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	r, err := c.SimulatedChannel.Send(ctx, m)
	c.cancel()
	return r, errors.Join(err, context.Canceled)
}

func testKilledDuringSend(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	doc, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	kctx, cancel := context.WithCancel(ctx)
	_, err = dispatcher(s, clk, cancellingChannel{email, cancel}).Step(kctx)
	require.Error(t, err)
	d, err := s.Get(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusQueued, d.Current().Status, "nothing acknowledged")

	clk.Advance(2 * time.Minute)
	_, err = dispatcher(s, clk, email).Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, email.Calls())
	assert.Equal(t, 1, email.Delivered())
	d, err = s.Get(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusDelivered, d.Current().Status)
}

func testConcurrentDispatchers(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	const n = 30
	for range n {
		_, err := svc.Submit(ctx, Doc(Person))
		require.NoError(t, err)
	}
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			disp := dispatcher(s, clk, email)
			disp.Batch, disp.Workers = 4, 2
			for {
				n, err := disp.Step(ctx)
				if !assert.NoError(t, err) || n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, n, email.Calls(), "every document sent exactly once")
	assert.Equal(t, n, email.Delivered())
}

// stallingChannel sends, then stalls until released: a dispatcher that
// hangs between send and acknowledge while its lease runs out.
type stallingChannel struct {
	*delivery.SimulatedChannel
	entered, release chan struct{}
}

func (c stallingChannel) Send(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	r, err := c.SimulatedChannel.Send(ctx, m)
	close(c.entered)
	<-c.release
	return r, err
}

func testLateAck(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	doc, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	slow := stallingChannel{email, make(chan struct{}), make(chan struct{})}
	var errA error
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, errA = dispatcher(s, clk, slow).Step(ctx)
	}()
	<-slow.entered
	clk.Advance(2 * time.Minute)
	n, err := dispatcher(s, clk, email).Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the expired lease is taken over")
	close(slow.release)
	<-done
	assert.ErrorIs(t, errA, delivery.ErrLeaseLost, "the late acknowledgement loses")
	assert.Equal(t, 2, email.Calls())
	assert.Equal(t, 1, email.Delivered())
	ev, err := s.Evidence(ctx, doc.ID)
	require.NoError(t, err)
	require.NoError(t, delivery.VerifyChain(ev))
	sent := 0
	for _, e := range ev {
		if e.Kind == delivery.EvidenceSent {
			sent++
		}
	}
	assert.Equal(t, 1, sent)
}

// stoppingStore ends a dispatcher's Run (cancels its context) during the
// dispatcher's stop-th completion, as a shutdown arriving mid-batch would.
type stoppingStore struct {
	delivery.Store
	stop   int
	calls  int
	cancel context.CancelFunc
}

func (s *stoppingStore) UpdateMany(ctx context.Context, ds []delivery.Delivery, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	if s.calls++; s.calls == s.stop {
		s.cancel()
	}
	return s.Store.UpdateMany(context.WithoutCancel(ctx), ds, fn)
}

// A dispatcher whose batch was full claims the next one while it records
// it; when Run stops, the batch claimed ahead is given back at once, not
// held until its lease runs out.
func testClaimAheadGivenBack(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := setup(t, s, clk)
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	for range 6 {
		_, err := svc.Submit(ctx, Doc(Person))
		require.NoError(t, err)
	}
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)

	// Batches of two: the first Step claims 1-2 and, ahead, 3-4; the
	// second takes 3-4, claims 5-6 ahead, and is stopped while it records.
	runCtx, cancel := context.WithCancel(ctx)
	stopping := &stoppingStore{Store: s, stop: 2, cancel: cancel}
	disp := dispatcher(stopping, clk, email)
	disp.Batch = 2
	require.ErrorIs(t, disp.Run(runCtx, time.Hour), context.Canceled)
	assert.Equal(t, 4, email.Delivered(), "two full batches sent before the stop")
	assert.Equal(t, 3, stopping.calls, "two batches recorded and the claim ahead given back")

	other := dispatcher(s, clk, email)
	other.NoPrefetch = true
	n, err := other.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the batch claimed ahead is free at once, its lease given back")
	assert.Equal(t, 6, email.Delivered())
	assert.Equal(t, 6, email.Calls(), "every document sent once")
}

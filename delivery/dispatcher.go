package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// ReadSignal tells whether a document was read on a channel, for channels
// that cannot push a "read" status themselves. It must rely on an explicit
// act of the recipient (opening the message in the portal), never a
// tracking pixel. NoReadSignal, the default, always says "not read", so
// unconfirmed documents go to paper after the rule's days.
type ReadSignal interface {
	Read(ctx context.Context, doc uuid.UUID, ch ChannelKind) (bool, error)
}

// NoReadSignal is the default ReadSignal: nothing is known to be read.
type NoReadSignal struct{}

// Read implements ReadSignal.
func (NoReadSignal) Read(context.Context, uuid.UUID, ChannelKind) (bool, error) { return false, nil }

// Dispatcher works the queue: it claims due deliveries, sends them, and
// records the result. Several dispatchers may run against one store.
type Dispatcher struct {
	Store    Store
	Channels map[ChannelKind]Channel
	Clock    clock.Clock
	// Lease is how long a claim holds; a dispatcher that dies is replaced
	// after it. Default 1 minute. A dispatcher sends a claimed delivery only
	// while at least half its lease is left, so a slow batch never sends
	// what another dispatcher may already have taken over; keep a channel's
	// timeout under half the lease. A send that outlasts that (the
	// provider hangs) may be repeated by the next dispatcher, under the same
	// idempotency key.
	Lease time.Duration
	// Batch is how many deliveries one Step claims. Default 100.
	Batch int
	// MaxTries is the number of sends before a temporary failure counts
	// as permanent. Default 8.
	MaxTries int
	// Backoff gives the wait after the n-th failed try. Default
	// exponential from 1 minute, capped at 6 hours.
	Backoff func(n int) time.Duration
	// PaperDailyLimit caps letters handed to the mail provider per day
	// (Brussels time); 0 means no limit.
	PaperDailyLimit int
	// Workers is how many deliveries of a batch are sent at once; default
	// 1. More workers help when the channel or the store has latency.
	Workers    int
	ReadSignal ReadSignal
	Log        *slog.Logger
	// NoPrefetch turns off claiming the next batch while a full one is
	// recorded (see Step).
	NoPrefetch bool

	pipe *prefetch // made by the first Step; shared by copies made after it
}

// prefetch is a batch claimed ahead, while the previous one was recorded.
type prefetch struct {
	mu   sync.Mutex
	next chan claimed // nil when no claim ahead is under way or waiting
}

type claimed struct {
	batch []Delivery
	err   error
}

// pipeInit guards the making of a Dispatcher's prefetch, which Step does on
// first use so that the zero Dispatcher works.
var pipeInit sync.Mutex

func (p *Dispatcher) prefetch() *prefetch {
	pipeInit.Lock()
	defer pipeInit.Unlock()
	if p.pipe == nil {
		p.pipe = &prefetch{}
	}
	return p.pipe
}

// DefaultBackoff doubles from one minute up to six hours.
func DefaultBackoff(n int) time.Duration {
	d := time.Minute << min(n-1, 10)
	return min(d, 6*time.Hour)
}

func (p *Dispatcher) defaults() {
	if p.Lease <= 0 {
		p.Lease = time.Minute
	}
	if p.Batch <= 0 {
		p.Batch = 100
	}
	if p.MaxTries <= 0 {
		p.MaxTries = 8
	}
	if p.Backoff == nil {
		p.Backoff = DefaultBackoff
	}
	if p.ReadSignal == nil {
		p.ReadSignal = NoReadSignal{}
	}
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	if p.Clock == nil {
		p.Clock = clock.Real{}
	}
}

// Step claims one batch, sends it, and records every result with one
// write (Store.UpdateMany), so a batch of up to 256 costs two commits
// whatever its size; a larger one is recorded in parts of at most 128,
// each one write and one commit, written side by side.
// It returns how many deliveries it handled. An error on one delivery is
// logged and leaves it leased, so it is retried when the lease expires;
// Step returns the first such error.
//
// When the batch was full, more work is likely waiting: Step then claims
// the next batch while it records this one, so the store works on the
// claim while the dispatcher encodes the results and the other way round,
// and the next Step starts with that batch. The results of this batch are
// recorded when Step returns, as always. The batch claimed ahead is leased
// like any other; Run gives it back when it stops, and a dispatcher that
// just stops stepping (or dies) holds it until its lease runs out, after
// which any dispatcher takes it, as after a crash. NoPrefetch turns this
// off.
func (p *Dispatcher) Step(ctx context.Context) (int, error) {
	p.defaults()
	batch, err := p.claim(ctx)
	if err != nil {
		return 0, err
	}
	acks := make([]ackFunc, len(batch))
	var (
		mu    sync.Mutex
		first error
	)
	fail := func(d *Delivery, err error) {
		p.Log.WarnContext(ctx, "delivery: dispatch failed", "document", d.ID, "error", err)
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	work := func(i int) {
		ack, err := p.process(ctx, &batch[i])
		if err != nil {
			fail(&batch[i], err)
			return
		}
		acks[i] = ack
	}
	if p.Workers <= 1 {
		for i := range batch {
			work(i)
		}
	} else {
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(p.Workers, len(batch)) {
			wg.Go(func() {
				for i := range next {
					work(i)
				}
			})
		}
		for i := range batch {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	if len(batch) == p.Batch && !p.NoPrefetch && ctx.Err() == nil {
		p.claimAhead(ctx)
	}
	for i, err := range p.flush(ctx, batch, acks) {
		if err != nil {
			fail(&batch[i], err)
		}
	}
	return len(batch), first
}

// claim returns the batch claimed ahead by the previous Step, when there
// is one and it was claimed without error, else a batch claimed now.
func (p *Dispatcher) claim(ctx context.Context) ([]Delivery, error) {
	if c, ok := p.takeAhead(ctx); ok {
		if c.err == nil {
			return c.batch, nil
		}
		p.Log.WarnContext(ctx, "delivery: claiming ahead failed, claiming again", "error", c.err)
	}
	return p.Store.Claim(ctx, p.Clock.Now(), p.Lease, p.Batch)
}

// claimAhead starts claiming the next batch. The claim runs to its end
// even when ctx ends meanwhile, so that what it leased is known and can be
// given back.
func (p *Dispatcher) claimAhead(ctx context.Context) {
	pf := p.prefetch()
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.next != nil {
		return // another Step of this dispatcher claimed ahead already
	}
	next := make(chan claimed, 1)
	pf.next = next
	now := p.Clock.Now()
	go func() {
		batch, err := p.Store.Claim(context.WithoutCancel(ctx), now, p.Lease, p.Batch)
		next <- claimed{batch, err}
	}()
}

// takeAhead waits for the batch claimed ahead, if any, and takes it.
func (p *Dispatcher) takeAhead(ctx context.Context) (claimed, bool) {
	pf := p.prefetch()
	pf.mu.Lock()
	next := pf.next
	pf.next = nil
	pf.mu.Unlock()
	if next == nil {
		return claimed{}, false
	}
	select {
	case c := <-next: // a claim done is taken even when ctx has ended
		return c, true
	default:
	}
	select {
	case c := <-next:
		return c, true
	case <-ctx.Done():
		// Not waiting: the claim's deliveries stay leased until their
		// lease runs out. Put the claim back for a later Step or Run's
		// release, unless another claim ahead was started meanwhile.
		pf.mu.Lock()
		if pf.next == nil {
			pf.next = next
		} else {
			go func() { <-next }()
		}
		pf.mu.Unlock()
		return claimed{err: ctx.Err()}, true
	}
}

// release gives back the leases of a batch claimed ahead and not stepped
// on, so that any dispatcher can take it at once.
func (p *Dispatcher) release(ctx context.Context) error {
	c, ok := p.takeAhead(ctx)
	if !ok || c.err != nil || len(c.batch) == 0 {
		return c.err
	}
	failed, err := p.Store.UpdateMany(ctx, c.batch, func(i int, d *Delivery) (Change, error) {
		if d.LeaseID != c.batch[i].LeaseID {
			return Change{}, ErrLeaseLost
		}
		d.LeaseID, d.LeaseUntil = uuid.Nil, time.Time{}
		return Change{}, nil
	})
	if err != nil {
		return err
	}
	return errors.Join(failed...)
}

// ackFunc records the result of processing one delivery.
type ackFunc func(cur *Delivery, c *Change)

// flushPart is the most results one write records when a batch is split
// into parts (see flush).
const flushPart = 128

// flush records the acks of a batch in one write, or, for more than
// 2*flushPart of them, in parts of at most flushPart written at once: the
// store works on the parts side by side (on as many connections) while
// the dispatcher encodes the next, so a large batch is recorded in about
// the time of its largest part. If a write fails as a whole, flush records
// its part's acks one by one. A delivery whose lease another dispatcher
// took gets ErrLeaseLost.
func (p *Dispatcher) flush(ctx context.Context, batch []Delivery, acks []ackFunc) []error {
	idx := make([]int, 0, len(batch))
	for i, a := range acks {
		if a != nil {
			idx = append(idx, i)
		}
	}
	out := make([]error, len(batch))
	if len(idx) <= 2*flushPart {
		p.flushPart(ctx, batch, acks, idx, out)
		return out
	}
	parts := (len(idx) + flushPart - 1) / flushPart
	var wg sync.WaitGroup
	for k := range parts {
		part := idx[k*len(idx)/parts : (k+1)*len(idx)/parts]
		wg.Go(func() { p.flushPart(ctx, batch, acks, part, out) })
	}
	wg.Wait()
	return out
}

// flushPart records the acks of the deliveries batch[i], i in idx, with one
// write, setting out[i]; parts have disjoint idx, so they can run at once.
func (p *Dispatcher) flushPart(ctx context.Context, batch []Delivery, acks []ackFunc, idx []int, out []error) {
	if len(idx) == 0 {
		return
	}
	ds := make([]Delivery, len(idx))
	for k, i := range idx {
		ds[k] = batch[i]
	}
	apply := func(d *Delivery, lease uuid.UUID, ack ackFunc) (Change, error) {
		if d.LeaseID != lease {
			return Change{}, ErrLeaseLost
		}
		var c Change
		ack(d, &c)
		d.LeaseID, d.LeaseUntil = uuid.Nil, time.Time{}
		return c, nil
	}
	failed, err := p.Store.UpdateMany(ctx, ds, func(k int, d *Delivery) (Change, error) {
		i := idx[k]
		return apply(d, batch[i].LeaseID, acks[i])
	})
	one := func(i int) error {
		_, err := p.Store.Update(ctx, batch[i].ID, func(d *Delivery) (Change, error) {
			return apply(d, batch[i].LeaseID, acks[i])
		})
		return err
	}
	if err == nil {
		for k, e := range failed {
			if errors.Is(e, ErrConflict) {
				// Changed since the claim (a status callback, or another
				// dispatcher after the lease ran out): record it on the
				// fresh delivery, whose lease says which.
				e = one(idx[k])
			}
			out[idx[k]] = e
		}
		return
	}
	p.Log.WarnContext(ctx, "delivery: batch write failed, recording one by one", "error", err)
	for _, i := range idx {
		out[i] = one(i)
	}
}

// Run calls Step until ctx ends, pausing interval when the queue is idle.
// When it stops, it gives back the leases of a batch claimed ahead.
func (p *Dispatcher) Run(ctx context.Context, interval time.Duration) error {
	for {
		n, _ := p.Step(ctx)
		if n > 0 && ctx.Err() == nil {
			continue
		}
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := p.release(rctx); err != nil {
				p.Log.WarnContext(ctx, "delivery: giving back the batch claimed ahead failed; its leases run out", "error", err)
			}
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// process does the work for one claimed delivery (send it, or check a
// timer) and returns how to record the result, or an error that leaves the
// delivery leased for a later try.
func (p *Dispatcher) process(ctx context.Context, d *Delivery) (ackFunc, error) {
	a := d.Current()
	if d.State != StateActive || a == nil {
		return func(cur *Delivery, _ *Change) { cur.NextAt = time.Time{} }, nil
	}
	if a.Status != StatusQueued && a.Status != StatusFailedTemporary {
		read := a.Status == StatusRead
		if !read {
			r, err := p.ReadSignal.Read(ctx, d.ID, a.Channel)
			if err != nil {
				return nil, fmt.Errorf("read signal: %w", err)
			}
			read = r
		}
		if ch, ok := p.Channels[a.Channel]; ok && !read {
			// Ask the channel too: a platform without callbacks may still
			// know the message was opened in its portal.
			st, err := ch.Status(ctx, a.Key)
			if err != nil {
				p.Log.InfoContext(ctx, "delivery: channel status unavailable", "document", d.ID, "channel", a.Channel, "error", err)
			}
			read = err == nil && st == StatusRead
		}
		now := p.Clock.Now()
		return func(cur *Delivery, c *Change) { cur.timerDue(c, read, now) }, nil
	}
	ch, ok := p.Channels[a.Channel]
	if !ok {
		now := p.Clock.Now()
		return func(cur *Delivery, c *Change) {
			cur.sendFailed(c, fmt.Errorf("%w: no adapter for channel %s", ErrPermanent, a.Channel), now, p.MaxTries, p.Backoff)
		}, nil
	}
	if now := p.Clock.Now(); !now.Add(p.Lease / 2).Before(d.LeaseUntil) {
		// Too little of the lease is left: another dispatcher may take the
		// delivery over before this send ends. Leave it for the next claim.
		return nil, fmt.Errorf("%w: delivery %s not sent, the lease ends at %s", ErrLeaseLost, d.ID, d.LeaseUntil.Format(time.RFC3339))
	}
	if a.Channel == ChannelPaper && p.PaperDailyLimit > 0 && a.Tries == 0 && a.ProviderRef == "" {
		now := p.Clock.Now()
		day := calendar.DateIn(now)
		ok, err := p.Store.ReservePaper(ctx, day, p.PaperDailyLimit)
		if err != nil {
			return nil, err
		}
		if !ok {
			return func(cur *Delivery, _ *Change) { cur.NextAt = day.AddDays(1).Start() }, nil
		}
	}
	r, err := ch.Send(ctx, p.message(d, a))
	now := p.Clock.Now()
	if err != nil {
		if ctx.Err() != nil {
			return nil, err // shutting down: the lease expires and the send is retried
		}
		return func(cur *Delivery, c *Change) { cur.sendFailed(c, err, now, p.MaxTries, p.Backoff) }, nil
	}
	return func(cur *Delivery, c *Change) { cur.sent(c, r, now) }, nil
}

func (p *Dispatcher) message(d *Delivery, a *Attempt) Message {
	return Message{DocumentID: d.ID, IdempotencyKey: a.Key, Recipient: d.Recipient, Subject: d.Document.Subject,
		Body: d.Document.Body, Attachments: d.Document.Attachments, Registered: d.Rule.Registered}
}

// IsLeaseLost reports whether err means another dispatcher took over.
func IsLeaseLost(err error) bool { return errors.Is(err, ErrLeaseLost) }

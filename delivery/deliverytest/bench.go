package deliverytest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
)

// InstantChannel accepts everything at once and keeps nothing: it measures
// the dispatcher and the store, not a channel.
type InstantChannel struct{ Channel delivery.ChannelKind }

// Kind implements delivery.Channel.
func (c InstantChannel) Kind() delivery.ChannelKind { return c.Channel }

// Send implements delivery.Channel.
func (c InstantChannel) Send(_ context.Context, m delivery.Message) (delivery.Receipt, error) {
	return delivery.Receipt{ProviderRef: m.IdempotencyKey, Status: delivery.StatusDelivered}, nil
}

// Status implements delivery.Channel.
func (c InstantChannel) Status(context.Context, string) (delivery.Status, error) {
	return delivery.StatusDelivered, nil
}

// BenchDispatch enqueues b.N paper documents in s, then times one dispatcher
// with the given number of workers sending them all through an
// InstantChannel, and reports docs/s.
func BenchDispatch(b *testing.B, s delivery.Store, workers int) { BenchDispatchers(b, s, workers, 1) }

// BenchDispatchers is BenchDispatch with several dispatchers stepping at once,
// as several processes would.
func BenchDispatchers(b *testing.B, s delivery.Store, workers, dispatchers int) {
	ctx := context.Background()
	clk := clock.NewSettable(Start)
	svc := delivery.NewService(s, clk, nil)
	if _, err := svc.PutRule(ctx, TaxRule()); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.ChangePreference(ctx, Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &Address
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	doc := Doc(Person)
	for range b.N {
		doc.ID = uuid.New()
		if _, err := svc.Submit(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	disp := &delivery.Dispatcher{Store: s, Clock: clk, Batch: 500, Workers: workers,
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: InstantChannel{delivery.ChannelPaper}}}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	var done atomic.Int64
	for range dispatchers {
		d := *disp
		wg.Go(func() {
			for done.Load() < int64(b.N) {
				n, err := d.Step(ctx)
				if err != nil {
					b.Error(err)
					return
				}
				done.Add(int64(n))
				if n == 0 && done.Load() < int64(b.N) {
					time.Sleep(time.Millisecond) // the others hold the rest
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// DocsPerSecond is the rate BenchDispatch measured, for a benchmark that
// compares it with another figure.
func DocsPerSecond(b *testing.B) float64 { return float64(b.N) / b.Elapsed().Seconds() }

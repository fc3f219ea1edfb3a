package pgstore_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// BenchmarkBookSameMorning has 16 citizens at a time race for the slots of
// one morning (two counters, 09:00–12:00, 24 places); when the morning is
// full they move on to the next working day together. It reports
// successful bookings per second and lost races per booking.
func BenchmarkBookSameMorning(b *testing.B) {
	store := newStore(b, 20)
	f := appointmenttest.NewFixture(b, store)
	ctx := context.Background()
	svc := appointmenttest.EID()
	svc.Horizon, svc.MaxOpenPerCitizen = 0, 0
	require.NoError(b, f.Scheduler.DefineService(ctx, svc))
	cal := calendar.Flanders()
	var day atomic.Int64 // days after Monday
	var citizen, booked, lost atomic.Int64
	b.SetParallelism(8) // 8 × GOMAXPROCS(2) = 16 goroutines
	b.ReportAllocs()
	b.ResetTimer()
	begin := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for {
				offset := day.Load()
				d := appointmenttest.Monday.AddDays(int(offset))
				if !cal.IsWorkingDay(d) {
					day.CompareAndSwap(offset, offset+1)
					continue
				}
				slots, err := f.Scheduler.Availability(ctx, appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis", From: d, To: d, Channel: appointment.Web})
				if err != nil {
					b.Error(err)
					return
				}
				if len(slots) == 0 {
					day.CompareAndSwap(offset, offset+1)
					continue
				}
				_, err = f.Scheduler.Book(ctx, appointmenttest.Req("eid", slots[0].Start, int(citizen.Add(1))))
				if errors.Is(err, appointment.ErrSlotTaken) {
					lost.Add(1)
					continue
				}
				if err != nil {
					b.Error(err)
					return
				}
				booked.Add(1)
				break
			}
		}
	})
	elapsed := time.Since(begin)
	b.ReportMetric(float64(booked.Load())/elapsed.Seconds(), "bookings/s")
	b.ReportMetric(float64(lost.Load())/float64(max(1, booked.Load())), "lost/booking")
}

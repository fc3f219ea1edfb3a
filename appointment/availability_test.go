package appointment_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

func schedule(now time.Time) appointment.Schedule {
	return appointment.Schedule{Service: eid(), Location: townHall(), Calendar: cal, Now: now}
}

func starts(slots []appointment.Slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = s.Start.Format("01-02 15:04")
	}
	return out
}

var monday = calendar.NewDate(2026, 3, 2)

func TestFreeSlotsBasic(t *testing.T) {
	slots := appointment.FreeSlots(schedule(at(2026, 3, 2, 7, 0)), monday, monday)
	require.Len(t, slots, 12)
	assert.Equal(t, at(2026, 3, 2, 9, 0), slots[0].Start)
	assert.Equal(t, at(2026, 3, 2, 9, 15), slots[0].End)
	assert.Equal(t, at(2026, 3, 2, 11, 45), slots[11].Start)
	for _, s := range slots {
		assert.Equal(t, []string{"L1", "L2"}, s.Counters)
		assert.Equal(t, 2, s.Remaining)
	}
	// Weekend: nothing.
	assert.Empty(t, appointment.FreeSlots(schedule(at(2026, 3, 2, 7, 0)), monday.AddDays(5), monday.AddDays(6)))
}

func TestFreeSlotsRules(t *testing.T) {
	easterMonday := calendar.NewDate(2026, 4, 6)
	tests := []struct {
		name   string
		change func(*appointment.Schedule)
		day    calendar.Date
		count  int
		first  string
		check  func(t *testing.T, slots []appointment.Slot)
	}{
		{name: "minimum notice", change: func(s *appointment.Schedule) { s.Now = at(2026, 3, 2, 8, 50) }, day: monday, count: 8, first: "03-02 10:00"},
		{name: "public holiday", day: easterMonday, count: 0},
		{name: "extra opening overrules holiday", day: easterMonday, count: 4, first: "04-06 10:00", change: func(s *appointment.Schedule) {
			s.Location.Exceptions = []appointment.Exception{{Date: easterMonday, Kind: appointment.ExtraOpening, Open: appointment.HM(10, 0), Close: appointment.HM(11, 0)}}
		}},
		{name: "closing day", day: monday, count: 0, change: func(s *appointment.Schedule) {
			s.Calendar = calendar.Flanders(calendar.WithClosingDay(monday, "Kermismaandag"))
		}},
		{name: "closure of one counter", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Location.Exceptions = []appointment.Exception{{Date: monday, Kind: appointment.Closed, CounterID: "L2"}}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, []string{"L1"}, slots[0].Counters)
			assert.Equal(t, 1, slots[0].Remaining)
		}},
		{name: "reduced hours", day: monday, count: 4, first: "03-02 09:00", change: func(s *appointment.Schedule) {
			s.Location.Exceptions = []appointment.Exception{{Date: monday, Kind: appointment.ReducedHours, Open: appointment.HM(8, 0), Close: appointment.HM(10, 0)}}
		}},
		{name: "counter hours narrow the location's", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Location.Counters[1].Hours = []appointment.OpeningHours{{Weekday: time.Monday, Open: appointment.HM(10, 0), Close: appointment.HM(11, 0)}}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, []string{"L1"}, slots[0].Counters)
			assert.Equal(t, []string{"L1", "L2"}, slots[4].Counters)
		}},
		{name: "validity period", day: monday, count: 0, change: func(s *appointment.Schedule) {
			for i := range s.Location.Hours {
				s.Location.Hours[i].ValidFrom = monday.AddDays(1)
			}
		}},
		{name: "horizon", day: monday.AddDays(63), count: 0},
		{name: "booking blocks its counter", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Busy = []appointment.Busy{{CounterID: "L1", ServiceID: "eid", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15)}}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, []string{"L2"}, slots[0].Counters)
			assert.Equal(t, []string{"L1", "L2"}, slots[1].Counters)
		}},
		{name: "buffers", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Service.BufferBefore = 10 * time.Minute
			s.Busy = []appointment.Busy{{CounterID: "L1", ServiceID: "passport", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15)}}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, []string{"L2"}, slots[0].Counters)
			assert.Equal(t, []string{"L2"}, slots[1].Counters, "09:15 needs L1 free from 09:05")
			assert.Equal(t, []string{"L1", "L2"}, slots[2].Counters)
		}},
		{name: "group session capacity", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Service.Capacity = 3
			b := appointment.Busy{CounterID: "L1", ServiceID: "eid", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15)}
			s.Busy = []appointment.Busy{b, b}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, 4, slots[0].Remaining)
			assert.Equal(t, 6, slots[1].Remaining)
		}},
		{name: "full slot disappears", day: monday, count: 11, change: func(s *appointment.Schedule) {
			for _, c := range []string{"L1", "L2"} {
				s.Busy = append(s.Busy, appointment.Busy{CounterID: c, ServiceID: "eid", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15)})
			}
		}, first: "03-02 09:15"},
		{name: "web quota", day: monday, count: 11, first: "03-02 09:15", change: func(s *appointment.Schedule) {
			s.Channel = appointment.Web
			s.Location.Quotas = map[appointment.Channel]int{appointment.Web: 50}
			s.Busy = []appointment.Busy{{CounterID: "L1", ServiceID: "eid", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15), Channel: appointment.Web}}
		}, check: func(t *testing.T, slots []appointment.Slot) {
			assert.Equal(t, 1, slots[0].Remaining, "half of two counters")
		}},
		{name: "phone unaffected by web quota", day: monday, count: 12, change: func(s *appointment.Schedule) {
			s.Channel = appointment.Phone
			s.Location.Quotas = map[appointment.Channel]int{appointment.Web: 50}
			s.Busy = []appointment.Busy{{CounterID: "L1", ServiceID: "eid", Start: at(2026, 3, 2, 9, 0), From: at(2026, 3, 2, 9, 0), To: at(2026, 3, 2, 9, 15), Channel: appointment.Web}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := schedule(at(2026, 3, 2, 7, 0))
			if tt.change != nil {
				tt.change(&s)
			}
			slots := appointment.FreeSlots(s, tt.day, tt.day)
			require.Len(t, slots, tt.count, "%v", starts(slots))
			if tt.first != "" {
				assert.Equal(t, tt.first, starts(slots)[0])
			}
			if tt.check != nil {
				tt.check(t, slots)
			}
		})
	}
}

// TestFreeSlotsDST opens through the night of each daylight-saving change:
// slots step in real time, so the lost hour in March yields two fewer
// half-hour slots and the repeated hour in October two more, none doubled.
func TestFreeSlotsDST(t *testing.T) {
	for _, tc := range []struct {
		day   calendar.Date
		hours float64
	}{
		{calendar.NewDate(2026, 3, 29), 5},
		{calendar.NewDate(2026, 10, 25), 7},
		{calendar.NewDate(2027, 3, 28), 5},
		{calendar.NewDate(2027, 10, 31), 7},
	} {
		t.Run(tc.day.String(), func(t *testing.T) {
			s := schedule(tc.day.AddDays(-7).Start())
			s.Service.Duration, s.Service.Interval, s.Service.Horizon = 30*time.Minute, 30*time.Minute, 0
			s.Location.Exceptions = []appointment.Exception{{Date: tc.day, Kind: appointment.ExtraOpening, Open: appointment.HM(0, 0), Close: appointment.HM(6, 0)}}
			slots := appointment.FreeSlots(s, tc.day, tc.day)
			require.Len(t, slots, int(tc.hours*2))
			seen := map[int64]bool{}
			for i, sl := range slots {
				assert.False(t, seen[sl.Start.Unix()], "doubled %s", sl.Start)
				seen[sl.Start.Unix()] = true
				assert.Equal(t, 30*time.Minute, sl.End.Sub(sl.Start))
				if i > 0 {
					assert.Equal(t, 30*time.Minute, sl.Start.Sub(slots[i-1].Start), "gap before %s", sl.Start)
				}
			}
			// Weekday hours after the change are intact (the Tuesday: the
			// Monday may be Easter Monday or All Saints' Day).
			tue := tc.day.AddDays(2)
			assert.Len(t, appointment.FreeSlots(s, tue, tue), 6)
		})
	}
}

func TestNextFreeSlotAndFirstFreeDay(t *testing.T) {
	s := schedule(at(2026, 3, 6, 11, 30)) // Friday: the notice pushes past closing
	sl, ok := appointment.NextFreeSlot(s)
	require.True(t, ok)
	assert.Equal(t, at(2026, 3, 9, 9, 0), sl.Start)
	d, ok := appointment.FirstFreeDay(s)
	require.True(t, ok)
	assert.Equal(t, calendar.NewDate(2026, 3, 9), d)

	s.Location.Hours = nil
	_, ok = appointment.NextFreeSlot(s)
	assert.False(t, ok)
}

func TestCheckStart(t *testing.T) {
	now := at(2026, 3, 2, 7, 0)
	taken := []appointment.Busy{}
	for _, c := range []string{"L1", "L2"} {
		taken = append(taken, appointment.Busy{CounterID: c, ServiceID: "eid", Start: at(2026, 3, 3, 9, 0), From: at(2026, 3, 3, 9, 0), To: at(2026, 3, 3, 9, 15)})
	}
	tests := []struct {
		name    string
		start   time.Time
		end     time.Time
		counter string
		field   string
		rule    string
		taken   bool
	}{
		{name: "ok", start: at(2026, 3, 2, 9, 0)},
		{name: "past", start: at(2026, 3, 1, 9, 0), field: "start", rule: "future"},
		{name: "within notice", start: at(2026, 3, 2, 7, 30), field: "start", rule: "notice"},
		{name: "past horizon", start: at(2026, 6, 1, 9, 0), field: "start", rule: "horizon"},
		{name: "holiday", start: at(2026, 4, 6, 9, 0), field: "start", rule: "closed"},
		{name: "outside hours", start: at(2026, 3, 2, 13, 0), field: "start", rule: "opening_hours"},
		{name: "runs past closing", start: at(2026, 3, 2, 11, 50), field: "start", rule: "opening_hours"},
		{name: "weekend", start: at(2026, 3, 7, 9, 0), field: "start", rule: "opening_hours"},
		{name: "off the grid", start: at(2026, 3, 2, 9, 5), field: "start", rule: "interval"},
		{name: "shorter than the service", start: at(2026, 3, 2, 9, 0), end: at(2026, 3, 2, 9, 10), field: "end", rule: "duration"},
		{name: "counter without the service", start: at(2026, 3, 2, 9, 0), counter: "L3", field: "counter_id", rule: "offers_service"},
		{name: "unknown counter", start: at(2026, 3, 2, 9, 0), counter: "L9", field: "counter_id", rule: "exists"},
		{name: "full", start: at(2026, 3, 3, 9, 0), taken: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := schedule(now)
			s.Busy, s.CounterID = taken, tt.counter
			counters, err := appointment.CheckStart(s, tt.start, tt.end)
			switch {
			case tt.taken:
				assert.ErrorIs(t, err, appointment.ErrSlotTaken)
				assert.ErrorIs(t, err, appointment.ErrConflict)
			case tt.field != "":
				var ve *errs.ValidationError
				require.ErrorAs(t, err, &ve)
				f, ok := ve.Field(tt.field)
				require.True(t, ok, "%v", ve)
				assert.Equal(t, tt.rule, f.Rule, f.Message)
			default:
				require.NoError(t, err)
				assert.Equal(t, []string{"L1", "L2"}, counters)
			}
		})
	}
}

// bigSchedule is the benchmark's location: 20 counters open 08:00–17:00 on
// weekdays and 20,000 bookings spread over the next 90 days.
func bigSchedule(b *testing.B) (appointment.Schedule, calendar.Date, calendar.Date) {
	b.Helper()
	loc := appointment.Location{ID: "big", Name: "Stadskantoor", Hours: weekdays(appointment.HM(8, 0), appointment.HM(17, 0))}
	for i := range 20 {
		loc.Counters = append(loc.Counters, appointment.Counter{ID: fmt.Sprintf("C%02d", i), Services: []string{"eid"}})
	}
	svc := eid()
	svc.Horizon = 120 * 24 * time.Hour
	now := at(2026, 3, 1, 20, 0)
	from := calendar.NewDate(2026, 3, 2)
	to := from.AddDays(89)
	s := appointment.Schedule{Service: svc, Location: loc, Calendar: cal, Now: now}
	var all []appointment.Slot
	for d := from; !d.After(to); d = d.AddDays(1) {
		all = append(all, appointment.FreeSlots(appointment.Schedule{Service: svc, Location: appointment.Location{ID: "x", Counters: loc.Counters[:1], Hours: loc.Hours}, Calendar: cal, Now: now}, d, d)...)
	}
	// Deterministic spread: every slot of every counter, skipping a stride.
	n := 0
	for i := 0; n < 20000; i += 7 {
		sl := all[i%len(all)]
		c := loc.Counters[(i/len(all)+i)%20].ID
		s.Busy = append(s.Busy, appointment.Busy{CounterID: c, ServiceID: "eid", Start: sl.Start, From: sl.Start, To: sl.End, Channel: appointment.Web})
		n++
	}
	return s, from, to
}

func BenchmarkFreeSlots90Days(b *testing.B) {
	s, from, to := bigSchedule(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(appointment.FreeSlots(s, from, to)) == 0 {
			b.Fatal("no slots")
		}
	}
}

// TestCheckStartAgreesWithFreeSlots cross-checks the booking path, which
// looks at one instant without a planner, against FreeSlots: every instant
// on a five-minute grid is bookable exactly when FreeSlots lists it, with
// the same counters, under counter hours, exceptions, buffers, group
// sessions, a quota and both daylight-saving changes.
func TestCheckStartAgreesWithFreeSlots(t *testing.T) {
	svc := eid()
	svc.Horizon, svc.Capacity, svc.BufferAfter = 0, 2, 5*time.Minute
	loc := townHall()
	loc.Counters = append(loc.Counters,
		appointment.Counter{ID: "L4", Services: []string{"eid"}, Hours: weekdays(appointment.HM(10, 0), appointment.HM(11, 30))},
		appointment.Counter{ID: "L5", Services: []string{"eid"}},
	)
	spring, autumn := calendar.NewDate(2026, 3, 29), calendar.NewDate(2026, 10, 25)
	loc.Exceptions = []appointment.Exception{
		{Date: monday.AddDays(1), Kind: appointment.ReducedHours, Open: appointment.HM(9, 30), Close: appointment.HM(11, 0), CounterID: "L5"},
		{Date: monday.AddDays(2), Kind: appointment.Closed, CounterID: "L1"},
		{Date: monday.AddDays(3), Kind: appointment.Closed},
		{Date: spring, Kind: appointment.ExtraOpening, Open: appointment.HM(1, 0), Close: appointment.HM(4, 0)},
		{Date: autumn, Kind: appointment.ExtraOpening, Open: appointment.HM(1, 0), Close: appointment.HM(4, 0)},
	}
	loc.Quotas = map[appointment.Channel]int{appointment.Web: 50}
	busy := func(c, service string, start time.Time, ch appointment.Channel) appointment.Busy {
		return appointment.Busy{CounterID: c, ServiceID: service, Start: start, From: start, To: start.Add(20 * time.Minute), Channel: ch}
	}
	s := appointment.Schedule{Service: svc, Location: loc, Calendar: cal, Now: at(2026, 3, 1, 20, 0), Channel: appointment.Web, Busy: []appointment.Busy{
		busy("L1", "eid", at(2026, 3, 2, 9, 0), appointment.Web),
		busy("L2", "eid", at(2026, 3, 2, 9, 0), appointment.Phone),
		busy("L2", "eid", at(2026, 3, 2, 9, 0), appointment.Phone),
		busy("L1", "passport", at(2026, 3, 2, 10, 10), appointment.Phone),
		busy("L5", "eid", at(2026, 3, 2, 9, 15), appointment.Web),
		busy("L5", "eid", at(2026, 3, 2, 9, 15), appointment.Web),
		busy("L4", "eid", at(2026, 3, 2, 10, 0), appointment.WalkIn),
		// Web uses half of 11:00 (four of eight places): the quota is spent
		// though L2 and L4 have room.
		busy("L9", "eid", at(2026, 3, 2, 11, 0), appointment.Web),
		busy("L1", "eid", at(2026, 3, 2, 11, 0), appointment.Web),
		busy("L1", "eid", at(2026, 3, 2, 11, 0), appointment.Web),
		busy("L2", "eid", at(2026, 3, 2, 11, 0), appointment.Web),
		busy("L5", "eid", at(2026, 3, 2, 11, 0), appointment.Web),
		// Begins where a visit at 09:45 ends, buffer included (09:45 + 15 +
		// 5 minutes), so it blocks 10:00 but not 09:45.
		busy("L1", "passport", at(2026, 3, 3, 10, 5), appointment.Phone),
		busy("L1", "eid", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC), appointment.Web),
	}}
	days := []calendar.Date{spring, autumn}
	for i := range 7 {
		days = append(days, monday.AddDays(i))
	}
	for _, counter := range []string{"", "L4"} {
		s.CounterID = counter
		for _, d := range days {
			free := map[int64][]string{}
			for _, sl := range appointment.FreeSlots(s, d, d) {
				free[sl.Start.UnixNano()] = sl.Counters
			}
			listed := 0
			for tm := d.Start(); tm.Before(d.AddDays(1).Start()); tm = tm.Add(5 * time.Minute) {
				counters, err := appointment.CheckStart(s, tm, time.Time{})
				want, ok := free[tm.UnixNano()]
				if ok {
					listed++
					if assert.NoError(t, err, "%s %s", counter, tm) {
						assert.Equal(t, want, counters, "%s %s", counter, tm)
					}
					continue
				}
				assert.Error(t, err, "%s %s is not listed but bookable", counter, tm)
			}
			assert.Equal(t, len(free), listed, "%s %s", counter, d)
		}
	}
}

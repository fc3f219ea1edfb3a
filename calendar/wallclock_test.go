package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// firstShowing is the oracle of the wall-clock rule: it walks the instants
// around d minute by minute and returns the first one
// at which the clock in Brussels shows hour:min on d or later.
func firstShowing(t *testing.T, d Date, hour, min int) time.Time {
	t.Helper()
	want := d.AddDays((hour*60 + min) / (24 * 60))
	wantMin := (hour*60 + min) % (24 * 60)
	u := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Add(-4 * time.Hour)
	for range 4 * 24 * 60 {
		l := u.In(clock.Brussels)
		ld := DateOf(l)
		if ld.After(want) || ld == want && l.Hour()*60+l.Minute() >= wantMin {
			return u
		}
		u = u.Add(time.Minute)
	}
	t.Fatalf("the clock never shows %02d:%02d on %s", hour, min, d)
	return time.Time{}
}

func TestAtFollowsTheWallClock(t *testing.T) {
	for _, day := range []string{"2026-03-29", "2026-10-25", "1981-09-27", "1995-09-24", "2026-06-15", "1946-10-07", "2040-03-25", "2040-10-28", "2196-03-25", "2196-10-28", "1940-05-20", "1914-11-08"} {
		d := d(day)
		for m := 0; m <= 24*60; m += 10 {
			want := firstShowing(t, d, 0, m)
			got := d.At(0, m, clock.Brussels)
			require.True(t, want.Equal(got), "%s %02d:%02d: the clock first shows it at %s, At says %s", d, m/60, m%60, want.In(clock.Brussels), got)
		}
	}
	spring, autumn := d("2026-03-29"), d("2026-10-25")
	assert.Equal(t, "2026-03-29 03:00 CEST", spring.At(2, 30, clock.Brussels).Format("2006-01-02 15:04 MST"), "skipped: first instant after the gap")
	assert.Equal(t, "2026-10-25 02:30 CEST", autumn.At(2, 30, clock.Brussels).Format("2006-01-02 15:04 MST"), "repeated: first occurrence")
}

func TestAmbiguousWallTime(t *testing.T) {
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	assert.True(t, AmbiguousWallTime(first.In(clock.Brussels)))
	assert.True(t, AmbiguousWallTime(first.Add(time.Hour).In(clock.Brussels)))
	assert.False(t, AmbiguousWallTime(first.Add(2*time.Hour).In(clock.Brussels)))
	assert.False(t, AmbiguousWallTime(first.Add(-time.Hour).In(clock.Brussels)))
	assert.False(t, AmbiguousWallTime(first), "in UTC nothing repeats")
	assert.False(t, AmbiguousWallTime(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC).In(clock.Brussels)))
}

// TestRepeatedHourKeepsTheOccurrence: issue 15 item 2. 00:30Z and 01:30Z on
// 25 October 2026 both read 02:30 in Brussels; a deadline of zero days, or
// one counted into that night, keeps the occurrence the input had.
func TestRepeatedHourKeepsTheOccurrence(t *testing.T) {
	cal := Flanders()
	for _, in := range []time.Time{
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 0, 59, 59, 999, time.UTC),
		time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC),
	} {
		assert.Equal(t, in, cal.AddWorkingDaysAt(in, 0).UTC(), "AddWorkingDaysAt(%s, 0)", in)
		assert.Equal(t, in, cal.Due(in, Deadline{}).UTC(), "Due(%s, 0 days)", in)
		assert.Equal(t, in, cal.Due(in, Deadline{WorkingDays: true}).UTC(), "Due(%s, 0 working days)", in)
	}
	// Into the repeated hour: a summer-time input keeps +02:00, a winter one +01:00.
	summer := time.Date(2026, 10, 23, 2, 30, 0, 0, clock.Brussels)
	assert.Equal(t, "2026-10-25T00:30:00Z", cal.Due(summer, Deadline{Days: 2}).UTC().Format(time.RFC3339))
	winter := time.Date(2026, 10, 27, 2, 30, 0, 0, clock.Brussels)
	assert.Equal(t, "2026-10-25T01:30:00Z", cal.Due(winter, Deadline{Days: -2}).UTC().Format(time.RFC3339))
	// Out of it: the wall time exists once, the offset changes.
	assert.Equal(t, "2026-10-26 02:30 CET", cal.AddWorkingDaysAt(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), 1).Format("2006-01-02 15:04 MST"))
}

// TestSkippedHour: 02:30 does not exist on 29 March 2026; a deadline at
// that wall time ends when the clock first shows a later time, 03:00 CEST.
func TestSkippedHour(t *testing.T) {
	cal := Flanders()
	from := time.Date(2026, 3, 27, 2, 30, 0, 0, clock.Brussels)
	assert.Equal(t, "2026-03-29 03:00 CEST", cal.Due(from, Deadline{Days: 2}).Format("2006-01-02 15:04 MST"))
	assert.Equal(t, "2026-03-30 02:30 CEST", cal.AddWorkingDaysAt(from, 1).Format("2006-01-02 15:04 MST"))
}

// FuzzSameWallTime checks, for any moment within the horizon, that a
// deadline of zero days is the moment itself, and that n days later shows
// the same wall time, or the first instant after a gap that skips it.
func FuzzSameWallTime(f *testing.F) {
	f.Add(int64(1792888200), 0) // 2026-10-25T00:30Z
	f.Add(int64(1792891800), 3) // 2026-10-25T01:30Z
	f.Add(int64(1774575000), 2) // 2026-03-27T01:30Z
	f.Add(int64(811904400), -1) // 1995-09-24T01:00Z
	cal := Flanders()
	f.Fuzz(func(t *testing.T, unix int64, n int) {
		in := time.Unix(unix, 0)
		if !InHorizon(in) || n < -400 || n > 400 {
			return
		}
		require.Equal(t, in.UTC(), cal.AddWorkingDaysAt(in, 0).UTC())
		require.Equal(t, in.UTC(), cal.Due(in, Deadline{}).UTC())
		got := cal.Due(in, Deadline{Days: n}).In(clock.Brussels)
		b := in.In(clock.Brussels)
		day := DateOf(b).AddDays(n)
		want := firstShowing(t, day, b.Hour(), b.Minute()).Add(time.Duration(b.Second()) * time.Second)
		if AmbiguousWallTime(got) {
			_, o1 := got.Zone()
			_, o2 := b.Zone()
			other := got.Add(time.Duration(o1-o2) * time.Second)
			if o1 != o2 && other.In(clock.Brussels).Format(time.DateTime) == got.Format(time.DateTime) {
				t.Fatalf("%s + %d days = %s, but %s shows the same time with the input's offset", b, n, got, other.In(clock.Brussels))
			}
			return
		}
		if DateOf(got) == day && got.Format(time.TimeOnly) == b.Format(time.TimeOnly) {
			return
		}
		// Skipped: the first instant after the gap, which the oracle finds
		// by the minute.
		require.True(t, want.Truncate(time.Minute).Equal(got), "%s + %d days = %s, want %s", b, n, got, want)
	})
}

func BenchmarkAt(b *testing.B) {
	d := NewDate(2026, time.March, 3)
	b.ReportAllocs()
	for b.Loop() {
		_ = d.At(9, 30, clock.Brussels)
	}
}

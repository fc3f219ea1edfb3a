package calendar

import "time"

// The wall-clock rule: a time of day on a date means the first instant at
// which the clock shows that time. The calendar's deadlines, appointment's
// opening hours and permit's daily periods go through wallTime (by Date.At
// or Date.AtTimeOf), so they agree on the two nights a year
// when the clock jumps:
//   - a time the clock skips (02:30 on the last Sunday of March in
//     Europe/Brussels) is the first instant after the gap, when the clock
//     already shows a later time (03:00 CEST): the moment "02:30" has
//     passed for anyone who reads the clock;
//   - a time the clock shows twice (02:30 on the last Sunday of October)
//     is its first occurrence (02:30 CEST), unless the caller asks for the
//     occurrence with a given offset, as a deadline counted from a moment
//     in the second occurrence does.

// At returns the first instant at which the clock in loc shows hour:min on
// d (the wall-clock rule): a time that a daylight-saving change skips is the
// first instant after the gap (02:30 on 29 March 2026 is 03:00 CEST), a
// repeated one its first occurrence (02:30 on 25 October 2026 is 02:30
// CEST). Minutes beyond 59 carry over, so At(0, 24*60, loc) is the start of
// the next day.
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return wallTime(d, hour, min, 0, 0, loc, nil)
}

// AmbiguousWallTime reports whether the clock in t's location shows t's
// wall-clock time twice that night (the repeated hour when summer time
// ends), so that the local time without its offset does not say which
// instant is meant.
func AmbiguousWallTime(t time.Time) bool {
	w := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	_, n := occurrences(w, t.Location())
	return n == 2
}

// AtTimeOf returns the instant on d at t's wall-clock time in t's location,
// by the wall-clock rule of [Date.At], except that when the time repeats
// on d it is the occurrence with t's offset (if neither has it, the
// first). A deadline counted from t in days ends there: see [Calendar.Due].
func (d Date) AtTimeOf(t time.Time) time.Time {
	_, off := t.Zone()
	return wallTime(d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location(), &off)
}

// wallTime applies the wall-clock rule; offset, when not nil, picks the
// occurrence of a repeated time that has that offset (in seconds east of
// UTC).
func wallTime(d Date, hour, min, sec, nsec int, loc *time.Location, offset *int) time.Time {
	w := time.Date(d.Year, d.Month, d.Day, hour, min, sec, nsec, time.UTC)
	occ, n := occurrences(w, loc)
	switch n {
	case 0:
		// Skipped: read w with the offset before the gap, which lands after
		// the change; the zone period it lands in starts at the change.
		_, before := w.Add(-36 * time.Hour).In(loc).Zone()
		start, _ := w.Add(-time.Duration(before) * time.Second).In(loc).ZoneBounds()
		return start.In(loc)
	case 1:
		return occ[0].In(loc)
	}
	if offset != nil {
		for _, u := range occ[:n] {
			if _, o := u.In(loc).Zone(); o == *offset {
				return u.In(loc)
			}
		}
	}
	return occ[0].In(loc)
}

// occurrences returns, in order, the instants at which the clock in loc
// shows the wall time w (whose fields are read as written, its zone
// ignored), and how many there are: none when a change skips it, two when
// it repeats. The offsets in force at w and a day and a half before and
// after it are the only candidates: zones change their offset at most once
// in that span.
func occurrences(w time.Time, loc *time.Location) (occ [2]time.Time, n int) {
	for _, probe := range [...]time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := w.Add(probe).In(loc).Zone()
		u := w.Add(-time.Duration(off) * time.Second)
		if _, o := u.In(loc).Zone(); o != off || n > 0 && occ[n-1].Equal(u) || n == 2 {
			continue
		}
		occ[n] = u
		n++
	}
	if n == 2 && occ[1].Before(occ[0]) {
		occ[0], occ[1] = occ[1], occ[0]
	}
	return occ, n
}

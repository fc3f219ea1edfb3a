package appointment_test

import (
	"bytes"
	"context"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func booking(start time.Time, status appointment.Status) appointment.Booking {
	return appointment.Booking{
		ID: id.New(), Reference: "K7QM-3XTD", ServiceID: "eid", CounterID: "L1", Status: status,
		Start: start, End: start.Add(30 * time.Minute), CreatedAt: start.Add(-24 * time.Hour),
		Citizen: appointment.Citizen{INSZ: "85073003328", Email: "burger@example.be"},
	}
}

func feed(t *testing.T, bookings []appointment.Booking) []byte {
	t.Helper()
	var seq iter.Seq2[appointment.Booking, error] = func(yield func(appointment.Booking, error) bool) {
		for _, b := range bookings {
			if !yield(b, nil) {
				return
			}
		}
	}
	var buf bytes.Buffer
	require.NoError(t, appointment.CounterFeed(&buf, appointmenttest.TownHall(), "L1", map[string]appointment.Service{"eid": appointmenttest.EID()}, seq, icsOpt))
	return buf.Bytes()
}

// TestICSRepeatedHour: issue 15 item 4. Bookings at 00:30Z and 01:30Z on 25
// October 2026 both start at 02:30 in Brussels; they are written in UTC, in
// REQUEST, CANCEL and the counter feed, and read back at their own instant.
func TestICSRepeatedHour(t *testing.T) {
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	for _, start := range []time.Time{first, first.Add(time.Hour)} {
		for _, status := range []appointment.Status{appointment.Confirmed, appointment.Cancelled} {
			b := booking(start, status)
			out := appointment.ICS(b, appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)
			ev := parseICS(t, out).Events()[0]
			got, err := ev.DateTimeStart(time.UTC)
			require.NoError(t, err)
			assert.Equal(t, b.Start.UTC(), got.UTC(), "%s %s", status, start)
			end, err := ev.DateTimeEnd(time.UTC)
			require.NoError(t, err)
			assert.Equal(t, b.End.UTC(), end.UTC(), "%s %s", status, start)
			assert.Contains(t, string(out), "DTSTART:"+b.Start.UTC().Format("20060102T150405Z")+"\r\n", "written in UTC")
		}
	}
	// 23:45Z is 01:45 CEST, which does not repeat: it keeps its TZID, its
	// end (02:15 CEST, repeated) does not.
	out := appointment.ICS(booking(first.Add(-45*time.Minute), appointment.Confirmed), appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)
	assert.Contains(t, string(out), "DTSTART;TZID=Europe/Brussels:20261025T014500\r\n")
	assert.Contains(t, string(out), "DTEND:20261025T001500Z\r\n")

	bs := []appointment.Booking{booking(first, appointment.Confirmed), booking(first.Add(time.Hour), appointment.Confirmed)}
	evs := parseICS(t, feed(t, bs)).Events()
	require.Len(t, evs, 2)
	for i, ev := range evs {
		got, err := ev.DateTimeStart(time.UTC)
		require.NoError(t, err)
		assert.Equal(t, bs[i].Start.UTC(), got.UTC())
	}
}

// TestICSSecondReader: issue 15 item 5. Two readers that know nothing of
// Go's tz database read the events' DTSTART and DTEND through our
// VTIMEZONE: vtimezoneReader below (RFC 5545 §3.6.5 over rrule-go) always,
// and python-dateutil's tz.tzical when it is installed. Every instant they
// find equals ours, for dates from 1950 to 2100: both change days each
// year around the change, and winter and summer days (winters 1981–1995
// were read as +02:00 before).
func TestICSSecondReader(t *testing.T) {
	var bs []appointment.Booking
	add := func(start time.Time) { bs = append(bs, booking(start, appointment.Confirmed)) }
	for y := 1950; y <= 2100; y++ {
		add(time.Date(y, 1, 15, 10, 0, 0, 0, clock.Brussels))
		add(time.Date(y, 7, 15, 10, 0, 0, 0, clock.Brussels))
		add(time.Date(y, 11, 15, 10, 0, 0, 0, clock.Brussels))
		add(time.Date(y, 9, 28, 10, 0, 0, 0, clock.Brussels)) // between the two autumn rules
		add(time.Date(y, 10, 10, 10, 0, 0, 0, clock.Brussels))
		// Around each real change of the year, every quarter of an hour.
		for _, c := range changes(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)) {
			for q := -8; q <= 8; q++ {
				add(c.Add(time.Duration(q) * 15 * time.Minute))
			}
		}
	}
	file := feed(t, bs)
	want := map[string][2]string{}
	for _, b := range bs {
		want[b.ID.String()+"@"+icsOpt.Domain] = [2]string{b.Start.UTC().Format(time.RFC3339), b.End.UTC().Format(time.RFC3339)}
	}

	t.Run("rrule-go", func(t *testing.T) {
		cal := parseICS(t, file)
		read := vtimezoneReader(t, cal)
		got := map[string][2]string{}
		for _, ev := range cal.Events() {
			var v [2]string
			for i, name := range []string{ical.PropDateTimeStart, ical.PropDateTimeEnd} {
				p := ev.Props.Get(name)
				if strings.HasSuffix(p.Value, "Z") {
					u, err := time.Parse("20060102T150405Z", p.Value)
					require.NoError(t, err)
					v[i] = u.Format(time.RFC3339)
					continue
				}
				require.Equal(t, "Europe/Brussels", p.Params.Get(ical.ParamTimezoneID))
				l, err := time.Parse("20060102T150405", p.Value)
				require.NoError(t, err)
				v[i] = read(l).Format(time.RFC3339)
			}
			got[ev.Props.Get(ical.PropUID).Value] = v
		}
		assert.Equal(t, want, got)
	})

	t.Run("python-dateutil", func(t *testing.T) {
		if err := exec.Command("python3", "-c", "import dateutil.tz").Run(); err != nil {
			t.Skip("python3 with dateutil is not installed:", err)
		}
		ics := filepath.Join(t.TempDir(), "feed.ics")
		require.NoError(t, os.WriteFile(ics, file, 0o600))
		out, err := exec.Command("python3", "-c", dateutilReader, ics).CombinedOutput()
		require.NoError(t, err, "%s", out)
		got := map[string][2]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			require.Len(t, f, 3, line)
			v := got[f[0]]
			if f[1] == "DTSTART" {
				v[0] = f[2]
			} else {
				v[1] = f[2]
			}
			got[f[0]] = v
		}
		assert.Equal(t, want, got)
	})
}

// vtimezoneReader returns a function that reads a local time (its fields,
// written as UTC) in the file's only VTIMEZONE as RFC 5545 §3.6.5 says: the
// offset at an instant is the TZOFFSETTO of the observance whose latest
// onset (expanded by rrule-go) is not after it; a local time is the instant
// whose offset makes it that time, the first of two when it repeats, and
// is read with the offset before the gap when it is skipped (§3.3.5).
func vtimezoneReader(t *testing.T, cal *ical.Calendar) func(local time.Time) time.Time {
	t.Helper()
	type onset struct {
		at       time.Time // UTC
		from, to int
	}
	var onsets []onset
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone {
			continue
		}
		for _, obs := range c.Children {
			from, to := offset(t, obs.Props.Get(ical.PropTimezoneOffsetFrom).Value), offset(t, obs.Props.Get(ical.PropTimezoneOffsetTo).Value)
			set, err := obs.RecurrenceSet(time.FixedZone("", from))
			require.NoError(t, err)
			if set == nil {
				start, err := obs.Props.DateTime(ical.PropDateTimeStart, time.FixedZone("", from))
				require.NoError(t, err)
				onsets = append(onsets, onset{start.UTC(), from, to})
				continue
			}
			for _, at := range set.Between(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC), true) {
				onsets = append(onsets, onset{at.UTC(), from, to})
			}
		}
	}
	require.NotEmpty(t, onsets)
	slices.SortFunc(onsets, func(a, b onset) int { return a.at.Compare(b.at) })
	offsetAt := func(u time.Time) (int, bool) {
		i := sort.Search(len(onsets), func(i int) bool { return onsets[i].at.After(u) })
		if i == 0 {
			return 0, false
		}
		return onsets[i-1].to, true
	}
	var offsets []int
	for _, o := range onsets {
		if !slices.Contains(offsets, o.to) {
			offsets = append(offsets, o.to)
		}
	}
	return func(local time.Time) time.Time {
		var found []time.Time
		for _, o := range offsets {
			u := local.Add(-time.Duration(o) * time.Second)
			if got, ok := offsetAt(u); ok && got == o {
				found = append(found, u)
			}
		}
		switch len(found) {
		case 0:
			// Skipped: the offset before the gap is that of an hour earlier.
			before, ok := offsetAt(local.Add(-3 * time.Hour))
			require.True(t, ok, "%s is before the VTIMEZONE", local)
			return local.Add(-time.Duration(before) * time.Second)
		case 1:
			return found[0]
		}
		return slices.MinFunc(found, func(a, b time.Time) int { return a.Compare(b) })
	}
}

// dateutilReader unfolds an iCalendar file, builds the zone from its
// VTIMEZONE with python-dateutil and prints each event's UID, DTSTART and
// DTEND in UTC.
const dateutilReader = `
import io, sys
from datetime import datetime, timezone
from dateutil import tz
lines = []
for raw in open(sys.argv[1], newline='').read().split('\r\n'):
    if raw.startswith(' ') and lines:
        lines[-1] += raw[1:]
    else:
        lines.append(raw)
vt = '\r\n'.join(lines[lines.index('BEGIN:VTIMEZONE'):lines.index('END:VTIMEZONE') + 1])
zone = tz.tzical(io.StringIO(vt)).get('Europe/Brussels')
uid = None
for l in lines:
    name, _, value = l.partition(':')
    key = name.split(';')[0]
    if key == 'UID':
        uid = value
    if key in ('DTSTART', 'DTEND') and uid is not None:
        if value.endswith('Z'):
            dt = datetime.strptime(value, '%Y%m%dT%H%M%SZ').replace(tzinfo=timezone.utc)
        else:
            assert name == key + ';TZID=Europe/Brussels', name
            dt = datetime.strptime(value, '%Y%m%dT%H%M%S').replace(tzinfo=zone)
        print(uid, key, dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
`

// TestICSAttendeeAndHold: issue 15 item 6. A REQUEST for a citizen without
// an e-mail address still names the citizen as ATTENDEE (urn:uuid of the
// booking, CN the name); a hold is TENTATIVE.
func TestICSAttendeeAndHold(t *testing.T) {
	b := booking(time.Date(2026, 3, 3, 9, 0, 0, 0, clock.Brussels), appointment.Confirmed)
	b.Citizen = appointment.Citizen{INSZ: "85073003328", Name: pii.Name{Given: "Zoë", Family: "D'Hondt"}}
	for _, status := range []appointment.Status{appointment.Confirmed, appointment.Held, appointment.Cancelled} {
		b.Status = status
		ev := parseICS(t, appointment.ICS(b, appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)).Events()[0]
		att := ev.Props.Get(ical.PropAttendee)
		require.NotNil(t, att, "RFC 5546 §3.2.2: a REQUEST has an ATTENDEE (%s)", status)
		u, err := uuid.Parse(att.Value)
		require.NoError(t, err, "a urn:uuid URI: %s", att.Value)
		assert.Equal(t, b.ID, u)
		assert.True(t, strings.HasPrefix(att.Value, "urn:uuid:"), att.Value)
		assert.Equal(t, "Zoë D'Hondt", att.Params.Get(ical.ParamCommonName))
		assert.NotContains(t, att.Value, "85073003328", "no national register number in the file")
	}

	b.Status = appointment.Held
	ev := parseICS(t, appointment.ICS(b, appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)).Events()[0]
	st, err := ev.Status()
	require.NoError(t, err)
	assert.Equal(t, ical.EventTentative, st)

	// Through the Scheduler: a hold's .ics is tentative, the confirmed one not.
	ctx := context.Background()
	f := appointmenttest.NewFixture(t, appointment.NewMemStore(nil))
	r := appointmenttest.Req("eid", time.Date(2026, 3, 3, 9, 0, 0, 0, clock.Brussels), 1)
	h, err := f.Scheduler.Hold(ctx, r)
	require.NoError(t, err)
	st, err = parseICS(t, appointment.ICS(h, appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)).Events()[0].Status()
	require.NoError(t, err)
	assert.Equal(t, ical.EventTentative, st)
	c, err := f.Scheduler.Confirm(ctx, h.ID)
	require.NoError(t, err)
	st, err = parseICS(t, appointment.ICS(c, appointmenttest.EID(), appointmenttest.TownHall(), icsOpt)).Events()[0].Status()
	require.NoError(t, err)
	assert.Equal(t, ical.EventConfirmed, st)
}

// changes returns the instants from from until until at which Brussels
// changes its offset, from Go's tz database: a walk in steps of six hours
// (changes are months apart), then a search to the second. (ZoneBounds is not used: beyond 2037 it reports
// the turn of the year as a boundary and, in leap years, 31 December.)
func changes(from, until time.Time) []time.Time {
	offset := func(t time.Time) int { _, o := t.In(clock.Brussels).Zone(); return o }
	var out []time.Time
	const step = 6 * time.Hour
	for at := from; at.Before(until); at = at.Add(step) {
		next := at.Add(step)
		if offset(at) == offset(next) {
			continue
		}
		lo, hi := at, next // offset(lo) differs from offset(hi)
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if offset(mid) == offset(lo) {
				lo = mid
			} else {
				hi = mid
			}
		}
		out = append(out, hi)
	}
	return out
}

package appointment_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

var icsOpt = appointment.ICSOptions{Domain: "afspraken.gent.be", Organizer: "afspraken@gent.be", OrganizerName: "Stad Gent"}

func parseICS(t *testing.T, b []byte) *ical.Calendar {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(line), 75, "line %d is longer than 75 octets: %q", i, line)
		assert.True(t, utf8.ValidString(line), "line %d splits a UTF-8 character: %q", i, line)
	}
	assert.NotContains(t, strings.ReplaceAll(string(b), "\r\n", ""), "\n", "every line ends in CRLF")
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	require.NoError(t, err)
	return cal
}

func text(t *testing.T, c *ical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	require.NotNil(t, p, name)
	s, err := p.Text()
	require.NoError(t, err)
	return s
}

func TestICSBookingLifecycle(t *testing.T) {
	ctx := context.Background()
	f := appointmenttest.NewFixture(t, appointment.NewMemStore(nil))
	svc := appointmenttest.EID()
	svc.Name = "Identiteitskaart; aanvraag, vernieuwing \\ verlies"
	svc.Documents = []string{"Oude identiteitskaart (of attest van verlies, diefstal of vernietiging bij de politie)", "Recente pasfoto – kleur, ICAO-norm: 35×45 mm, ‘neutrale’ blik 😐"}
	require.NoError(t, f.Scheduler.DefineService(ctx, svc))
	loc := appointmenttest.TownHall()
	r := appointmenttest.Req("eid", time.Date(2026, 3, 3, 9, 0, 0, 0, clock.Brussels), 1)
	r.Citizen.Name = pii.Name{Given: "Zoë", Family: "D'Hondt"}
	b, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err)

	cal := parseICS(t, appointment.ICS(b, svc, loc, icsOpt))
	assert.Equal(t, "REQUEST", cal.Props.Get(ical.PropMethod).Value)
	assert.Equal(t, "2.0", cal.Props.Get(ical.PropVersion).Value)
	evs := cal.Events()
	require.Len(t, evs, 1)
	ev := evs[0]
	uid := text(t, ev.Component, ical.PropUID)
	assert.Equal(t, b.ID.String()+"@afspraken.gent.be", uid)
	assert.Equal(t, "Europe/Brussels", ev.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID))
	start, err := ev.DateTimeStart(time.UTC)
	require.NoError(t, err)
	assert.True(t, start.Equal(b.Start), "%s != %s", start, b.Start)
	end, err := ev.DateTimeEnd(time.UTC)
	require.NoError(t, err)
	assert.True(t, end.Equal(b.End))
	desc := text(t, ev.Component, ical.PropDescription)
	assert.Contains(t, desc, string(b.Reference))
	assert.Contains(t, desc, svc.Documents[1], "unfolded and unescaped intact")
	assert.Contains(t, desc, "\n- ")
	assert.Equal(t, svc.Name+" ("+string(b.Reference)+")", text(t, ev.Component, ical.PropSummary))
	assert.Contains(t, text(t, ev.Component, ical.PropLocation), "Markt 1, 9000 Gent")
	assert.Equal(t, "mailto:burger1@example.be", ev.Props.Get(ical.PropAttendee).Value)
	assert.Equal(t, "Zoë D'Hondt", ev.Props.Get(ical.PropAttendee).Params.Get(ical.ParamCommonName))
	seq, err := ev.Props.Get(ical.PropSequence).Int()
	require.NoError(t, err)
	assert.Equal(t, 0, seq)

	f.Clock.Set(time.Date(2026, 3, 2, 7, 30, 0, 0, clock.Brussels))
	moved, err := f.Scheduler.Reschedule(ctx, b.ID, time.Date(2026, 3, 4, 10, 0, 0, 0, clock.Brussels), "")
	require.NoError(t, err)
	ev = parseICS(t, appointment.ICS(moved, svc, loc, icsOpt)).Events()[0]
	assert.Equal(t, uid, text(t, ev.Component, ical.PropUID), "UID stable across reschedules")
	seq, _ = ev.Props.Get(ical.PropSequence).Int()
	assert.Equal(t, 1, seq)
	start, _ = ev.DateTimeStart(time.UTC)
	assert.True(t, start.Equal(moved.Start))

	cancelled, err := f.Scheduler.Cancel(ctx, b.ID)
	require.NoError(t, err)
	cal = parseICS(t, appointment.ICS(cancelled, svc, loc, icsOpt))
	assert.Equal(t, "CANCEL", cal.Props.Get(ical.PropMethod).Value)
	ev = cal.Events()[0]
	assert.Equal(t, uid, text(t, ev.Component, ical.PropUID))
	seq, _ = ev.Props.Get(ical.PropSequence).Int()
	assert.Equal(t, 2, seq)
	st, err := ev.Status()
	require.NoError(t, err)
	assert.Equal(t, ical.EventCancelled, st)
}

// TestVTimezoneRules expands the VTIMEZONE's observances with an
// independent recurrence engine (rrule-go, through go-ical) and checks
// them against Go's tz database: every change they describe from 1946 to
// 2200 is a real change with the right offsets, and every real change is
// described (issue 15 item 5: before, winters 1981–1995 read as +02:00).
func TestVTimezoneRules(t *testing.T) {
	b := appointment.ICS(appointment.Booking{Start: time.Now(), End: time.Now()}, appointment.Service{}, appointment.Location{}, icsOpt)
	cal := parseICS(t, b)
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz = c
		}
	}
	require.NotNil(t, tz)
	assert.Equal(t, "Europe/Brussels", tz.Props.Get(ical.PropTimezoneID).Value)
	from, until := time.Date(1946, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC)
	described := map[time.Time]bool{}
	for _, obs := range tz.Children {
		off, to := offset(t, obs.Props.Get(ical.PropTimezoneOffsetFrom).Value), offset(t, obs.Props.Get(ical.PropTimezoneOffsetTo).Value)
		set, err := obs.RecurrenceSet(time.FixedZone("", off))
		require.NoError(t, err)
		var onsets []time.Time
		if set == nil {
			start, err := obs.Props.DateTime(ical.PropDateTimeStart, time.FixedZone("", off))
			require.NoError(t, err)
			onsets = []time.Time{start}
		} else {
			onsets = set.Between(from, until, true)
		}
		for _, tr := range onsets {
			_, before := tr.Add(-time.Second).In(clock.Brussels).Zone()
			_, after := tr.In(clock.Brussels).Zone()
			assert.Equal(t, off, before, "%s %s", obs.Name, tr)
			assert.Equal(t, to, after, "%s %s", obs.Name, tr)
			assert.False(t, described[tr.UTC()], "%s described twice", tr)
			described[tr.UTC()] = true
		}
	}
	real := changes(time.Date(1946, 10, 1, 0, 0, 0, 0, time.UTC), until)
	for _, c := range real {
		assert.True(t, described[c.UTC()], "the change at %s is missing", c.UTC())
	}
	assert.Equal(t, len(real), len(described))
	assert.Equal(t, 1+2*(2200-1977+1), len(real))
}

func offset(t *testing.T, s string) int {
	t.Helper()
	tm, err := time.Parse("-0700", s)
	require.NoError(t, err)
	_, off := tm.Zone()
	return off
}

func TestCounterFeed(t *testing.T) {
	ctx := context.Background()
	store := appointment.NewMemStore(nil)
	f := appointmenttest.NewFixture(t, store)
	var ids []string
	for i := range 3 {
		r := appointmenttest.Req("eid", time.Date(2026, 3, 3, 9, 15*i, 0, 0, clock.Brussels), i)
		r.CounterID = "L1"
		b, err := f.Scheduler.Book(ctx, r)
		require.NoError(t, err)
		ids = append(ids, b.ID.String())
	}
	h, err := f.Scheduler.Hold(ctx, appointmenttest.Req("eid", time.Date(2026, 3, 3, 10, 0, 0, 0, clock.Brussels), 9))
	require.NoError(t, err)
	require.Equal(t, "L1", h.CounterID)
	var buf bytes.Buffer
	services := map[string]appointment.Service{"eid": appointmenttest.EID()}
	from := time.Date(2026, 3, 3, 0, 0, 0, 0, clock.Brussels)
	require.NoError(t, appointment.CounterFeed(&buf, appointmenttest.TownHall(), "L1", services, store.CounterBookings(ctx, "L1", from, from.Add(24*time.Hour)), icsOpt))
	cal := parseICS(t, buf.Bytes())
	assert.Equal(t, "PUBLISH", cal.Props.Get(ical.PropMethod).Value)
	evs := cal.Events()
	require.Len(t, evs, 3, "holds are not in the clerk's feed")
	for i, ev := range evs {
		assert.Equal(t, ids[i]+"@afspraken.gent.be", text(t, ev.Component, ical.PropUID))
		assert.Nil(t, ev.Props.Get(ical.PropAttendee), "no personal data in the feed")
	}
	assert.NotContains(t, buf.String(), "burger")
}

// FuzzICSText writes arbitrary text into an event and reads it back with an
// independent parser: escaping and folding must lose nothing but the control
// characters TEXT cannot carry.
func FuzzICSText(f *testing.F) {
	f.Add("Identiteitskaart; aanvraag, vernieuwing \\ verlies")
	f.Add("pasfoto 35×45 mm – ‘neutrale’ blik 😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐😐")
	f.Add("regel 1\nregel 2\r\n\\n is geen nieuwe regel")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		svc := appointment.Service{ID: "x", Name: s, Documents: []string{s}}
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)
		out := appointment.ICS(appointment.Booking{Start: now, End: now.Add(time.Hour), Reference: "K7QM-3XTD"}, svc, appointment.Location{Name: s}, icsOpt)
		for _, line := range strings.Split(string(out), "\r\n") {
			if len(line) > 75 || !utf8.ValidString(line) {
				t.Fatalf("bad line %q", line)
			}
		}
		cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, out)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		want := strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' && r != '\n' {
				return -1
			}
			return r
		}, s)
		desc, err := evs[0].Props.Get(ical.PropDescription).Text()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(desc, strings.TrimRight(want, "\n")) {
			t.Fatalf("description %q lost %q", desc, want)
		}
	})
}

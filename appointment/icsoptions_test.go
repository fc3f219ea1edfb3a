package appointment_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// RFC 5546 requires an ORGANIZER in a REQUEST, a CANCEL and a PUBLISH, and
// the UID needs a domain: without them nothing is written. Before, an empty
// Organizer left the ORGANIZER out and the UID read "<uuid>@".
func TestICSOptionsRequired(t *testing.T) {
	ctx := context.Background()
	store := appointment.NewMemStore(nil)
	f := appointmenttest.NewFixture(t, store)
	b, err := f.Scheduler.Book(ctx, appointmenttest.Req("eid", time.Date(2026, 3, 3, 9, 0, 0, 0, clock.Brussels), 1))
	require.NoError(t, err)
	svc, loc := appointmenttest.EID(), appointmenttest.TownHall()

	cases := []struct {
		name  string
		opt   appointment.ICSOptions
		field string
	}{
		{"no organizer", appointment.ICSOptions{Domain: "afspraken.gent.be"}, "organizer"},
		{"no domain", appointment.ICSOptions{Organizer: "afspraken@gent.be"}, "domain"},
		{"nothing", appointment.ICSOptions{}, "organizer"},
		{"organizer with a name", appointment.ICSOptions{Domain: "gent.be", Organizer: "Stad Gent <afspraken@gent.be>"}, "organizer"},
		{"organizer with a line break", appointment.ICSOptions{Domain: "gent.be", Organizer: "a@gent.be\r\nATTENDEE:mailto:x@y.be"}, "organizer"},
		{"not an address", appointment.ICSOptions{Domain: "gent.be", Organizer: "afspraken"}, "organizer"},
		{"domain with a space", appointment.ICSOptions{Domain: "gent .be", Organizer: "afspraken@gent.be"}, "domain"},
		{"domain with an at sign", appointment.ICSOptions{Domain: "x@gent.be", Organizer: "afspraken@gent.be"}, "domain"},
		{"name with a control character", appointment.ICSOptions{Domain: "gent.be", Organizer: "afspraken@gent.be", OrganizerName: "Stad\x1b Gent"}, "organizer_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			field := func(err error) {
				t.Helper()
				require.ErrorIs(t, err, appointment.ErrValidation)
				var ve *appointment.ValidationError
				require.ErrorAs(t, err, &ve)
				_, ok := ve.Field(c.field)
				assert.True(t, ok, "%v", err)
			}
			field(c.opt.Validate())
			assert.Nil(t, appointment.ICS(b, svc, loc, c.opt), "no REQUEST without its organizer and domain")
			var buf bytes.Buffer
			field(appointment.WriteICS(&buf, b, svc, loc, c.opt))
			assert.Zero(t, buf.Len())
			from := time.Date(2026, 3, 3, 0, 0, 0, 0, clock.Brussels)
			field(appointment.CounterFeed(&buf, loc, b.CounterID, map[string]appointment.Service{"eid": svc}, store.CounterBookings(ctx, b.CounterID, from, from.Add(24*time.Hour)), c.opt))
			assert.Zero(t, buf.Len())
		})
	}

	// With them, REQUEST and CANCEL carry the organizer and a full UID, as
	// an independent reader sees them.
	require.NoError(t, icsOpt.Validate())
	cancelled, err := f.Scheduler.Cancel(ctx, b.ID)
	require.NoError(t, err)
	for _, x := range []struct {
		b      appointment.Booking
		method string
	}{{b, "REQUEST"}, {cancelled, "CANCEL"}} {
		cal := parseICS(t, appointment.ICS(x.b, svc, loc, icsOpt))
		assert.Equal(t, x.method, cal.Props.Get(ical.PropMethod).Value)
		ev := cal.Events()[0]
		org := ev.Props.Get(ical.PropOrganizer)
		require.NotNil(t, org, x.method)
		assert.Equal(t, "mailto:afspraken@gent.be", org.Value)
		assert.Equal(t, b.ID.String()+"@afspraken.gent.be", text(t, ev.Component, ical.PropUID))
	}
}

// ExampleICSOptions_Validate checks the options once, when the
// application starts: without an organizer no calendar file is written.
func ExampleICSOptions_Validate() {
	opt := appointment.ICSOptions{Domain: "afspraken.gent.be"}
	fmt.Println(opt.Validate())
	opt.Organizer = "afspraken@gent.be"
	fmt.Println(opt.Validate())
	// Output:
	// validation failed: organizer: is required: RFC 5546 requires an ORGANIZER to reply to
	// <nil>
}

// FuzzICSOptions: options that pass Validate give a file an independent
// reader parses, with the organizer and UID as given; others give nothing.
func FuzzICSOptions(f *testing.F) {
	f.Add("afspraken.gent.be", "afspraken@gent.be", "Stad Gent")
	f.Add("", "", "")
	f.Add("gent.be", "a@gent.be\r\nX:y", "\"Stad\"")
	f.Fuzz(func(t *testing.T, domain, organizer, name string) {
		opt := appointment.ICSOptions{Domain: domain, Organizer: organizer, OrganizerName: name}
		start := time.Date(2026, 3, 3, 9, 0, 0, 0, clock.Brussels)
		b := appointment.Booking{Start: start, End: start.Add(15 * time.Minute), Status: appointment.Confirmed}
		out := appointment.ICS(b, appointmenttest.EID(), appointmenttest.TownHall(), opt)
		if opt.Validate() != nil {
			require.Nil(t, out)
			return
		}
		ev := parseICS(t, out).Events()[0]
		require.NotNil(t, ev.Props.Get(ical.PropOrganizer))
		assert.Equal(t, "mailto:"+organizer, ev.Props.Get(ical.PropOrganizer).Value)
		assert.Equal(t, b.ID.String()+"@"+domain, text(t, ev.Component, ical.PropUID))
	})
}

package appointment

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Method is the iTIP method (RFC 5546) of an iCalendar object.
type Method string

// The methods this package writes.
const (
	// MethodRequest sends or updates an appointment in the citizen's calendar.
	MethodRequest Method = "REQUEST"
	// MethodCancel removes it.
	MethodCancel Method = "CANCEL"
	// MethodPublish is a read-only feed, like a counter's agenda.
	MethodPublish Method = "PUBLISH"
)

// ICSOptions says who sends the iCalendar objects. Domain and Organizer
// are required (see Validate): ICS, WriteICS and CounterFeed write nothing
// without them.
type ICSOptions struct {
	// Domain makes UIDs globally unique: "<booking id>@<domain>".
	Domain string
	// Organizer is the municipality's address for replies (mailto); RFC
	// 5546 requires it in every REQUEST, CANCEL and PUBLISH.
	Organizer string
	// OrganizerName is shown as the organizer, e.g. "Stad Gent".
	OrganizerName string
}

const prodID = "-//lokaalbestuur//bouwstenen appointment//NL"

// vtimezone is Europe/Brussels as the tz database has it from the end of
// summer time in 1946, one observance per run of years with the same rule:
//   - 1946-10-07 to 1977: CET all year;
//   - 1977–1980: summer time from the first Sunday of April, until the last
//     Sunday of September in 1977, 1 October in 1978 and the last Sunday of
//     September from 1979;
//   - 1981–1995: from the last Sunday of March to the last Sunday of
//     September;
//   - since 1996 (EU rules): until the last Sunday of October.
//
// Every change is at 01:00 UTC: DTSTART is the local time before it (02:00
// CET in spring, 03:00 CEST in autumn). UNTIL is in UTC as §3.6.5 requires,
// at the end of the last change's day rather than at its instant: the bound
// is inclusive either way, and readers that compare UNTIL with local times
// (python-dateutil) then keep the last change. Instants before
// vtimezoneFrom are written in UTC (see icalTime).
const vtimezone = "BEGIN:VTIMEZONE\r\n" +
	"TZID:Europe/Brussels\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19461007T030000\r\n" +
	"END:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:+0100\r\n" +
	"TZOFFSETTO:+0200\r\n" +
	"TZNAME:CEST\r\n" +
	"DTSTART:19770403T020000\r\n" +
	"RRULE:FREQ=YEARLY;UNTIL=19800406T235959Z;BYMONTH=4;BYDAY=1SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19770925T030000\r\n" +
	"END:STANDARD\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19781001T030000\r\n" +
	"END:STANDARD\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19790930T030000\r\n" +
	"RRULE:FREQ=YEARLY;UNTIL=19950924T235959Z;BYMONTH=9;BYDAY=-1SU\r\n" +
	"END:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:+0100\r\n" +
	"TZOFFSETTO:+0200\r\n" +
	"TZNAME:CEST\r\n" +
	"DTSTART:19810329T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19961027T030000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" +
	"END:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// vtimezoneFrom is the first change vtimezone describes; a reader cannot
// tell the offset of an earlier local time from it.
var vtimezoneFrom = time.Date(1946, 10, 7, 1, 0, 0, 0, time.UTC)

// icalTime writes the date-time property name (DTSTART, DTEND) of t: local
// time in Europe/Brussels with its TZID, so calendar clients show the
// municipality's time zone, except where a local time does not say which
// instant is meant, and there in UTC ("...Z"): in the hour the clock shows
// twice when summer time ends (RFC 5545 §3.3.5 reads a repeated local time
// as its first occurrence, so the second would show an hour early), and
// before vtimezoneFrom. Every event this package writes (REQUEST, CANCEL,
// the counter feeds) goes through here.
func (w *icsWriter) icalTime(name string, t time.Time) {
	b := t.In(clock.Brussels)
	if calendar.AmbiguousWallTime(b) || b.Before(vtimezoneFrom) {
		w.prop(name, utc(t))
		return
	}
	w.prop(name+";TZID=Europe/Brussels", b.Format("20060102T150405"))
}

// ICS returns the iCalendar object for one booking: METHOD:REQUEST while it
// stands (STATUS:TENTATIVE for a hold, CONFIRMED otherwise), METHOD:CANCEL
// once cancelled or, for a hold, expired. The UID stays the same when the
// booking is moved and SEQUENCE follows Booking.Sequence, so calendar
// clients update the event instead of adding a second one.
//
// ICS returns nil when opt is not valid (ICSOptions.Validate): a REQUEST or
// CANCEL without an organizer breaks RFC 5546. Check the options once when
// the application starts, or use WriteICS, which says why.
func ICS(b Booking, svc Service, loc Location, opt ICSOptions) []byte {
	var buf bytes.Buffer
	if WriteICS(&buf, b, svc, loc, opt) != nil {
		return nil
	}
	return buf.Bytes()
}

// WriteICS writes ICS's iCalendar object for one booking to out. Options
// that are not valid are a *ValidationError, and nothing is written.
func WriteICS(out io.Writer, b Booking, svc Service, loc Location, opt ICSOptions) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	method := MethodRequest
	if b.Status == Cancelled || b.Status == Expired {
		method = MethodCancel
	}
	w := &icsWriter{w: out}
	w.begin(method)
	w.event(&b, &svc, &loc, opt, true)
	w.end()
	return w.err
}

// CounterFeed writes a counter's agenda for clerks (METHOD:PUBLISH), one
// event per booking, cancelled ones marked as such. To keep personal data
// out of calendar apps, events name the service and the booking reference,
// not the citizen. services resolves service ids to names and documents.
// Options that are not valid (ICSOptions.Validate) are a *ValidationError,
// and nothing is written.
func CounterFeed(out io.Writer, loc Location, counterID string, services map[string]Service, bookings iter.Seq2[Booking, error], opt ICSOptions) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	w := &icsWriter{w: out}
	w.begin(MethodPublish)
	k, ok := loc.Counter(counterID)
	if ok {
		w.prop("X-WR-CALNAME", escapeText(loc.Name+" – "+k.Name))
	}
	for b, err := range bookings {
		if err != nil {
			return err
		}
		if b.Status == Held || b.Status == Expired {
			continue
		}
		svc := services[b.ServiceID]
		w.event(&b, &svc, &loc, opt, false)
	}
	w.end()
	return w.err
}

type icsWriter struct {
	w   io.Writer
	err error
}

func (w *icsWriter) raw(s string) {
	if w.err == nil {
		_, w.err = io.WriteString(w.w, s)
	}
}

// prop writes "name:value" folded at 75 octets (RFC 5545 §3.1): a
// continuation line starts with a space, and a fold never splits a UTF-8
// sequence.
func (w *icsWriter) prop(name, value string) {
	line := name + ":" + value
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.raw(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	w.raw(line + "\r\n")
}

func (w *icsWriter) begin(m Method) {
	w.raw("BEGIN:VCALENDAR\r\n")
	w.prop("PRODID", prodID)
	w.prop("VERSION", "2.0")
	w.prop("CALSCALE", "GREGORIAN")
	w.prop("METHOD", string(m))
	w.raw(vtimezone)
}

func (w *icsWriter) end() { w.raw("END:VCALENDAR\r\n") }

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func (w *icsWriter) event(b *Booking, svc *Service, loc *Location, opt ICSOptions, forCitizen bool) {
	w.raw("BEGIN:VEVENT\r\n")
	w.prop("UID", b.ID.String()+"@"+opt.Domain)
	stamp := b.UpdatedAt
	if stamp.IsZero() {
		stamp = b.CreatedAt
	}
	w.prop("DTSTAMP", utc(stamp))
	w.prop("SEQUENCE", fmt.Sprint(b.Sequence))
	w.icalTime("DTSTART", b.Start)
	w.icalTime("DTEND", b.End)
	name := svc.Name
	if name == "" {
		name = b.ServiceID
	}
	counter := b.CounterID
	if k, ok := loc.Counter(b.CounterID); ok && k.Name != "" {
		counter = k.Name
	}
	w.prop("SUMMARY", escapeText(fmt.Sprintf("%s (%s)", name, b.Reference)))
	w.prop("LOCATION", escapeText(strings.TrimSpace(loc.Name+", "+counter+", "+loc.Address)))
	var d strings.Builder
	fmt.Fprintf(&d, "Afspraak %s: %s\nLoket: %s\n", b.Reference, name, counter)
	if len(svc.Documents) > 0 {
		d.WriteString("Mee te brengen:\n")
		for _, doc := range svc.Documents {
			fmt.Fprintf(&d, "- %s\n", doc)
		}
	}
	w.prop("DESCRIPTION", escapeText(strings.TrimRight(d.String(), "\n")))
	org := "ORGANIZER"
	if opt.OrganizerName != "" {
		org += ";CN=" + paramValue(opt.OrganizerName)
	}
	w.prop(org, "mailto:"+opt.Organizer)
	if forCitizen {
		att := "ATTENDEE;ROLE=REQ-PARTICIPANT"
		if n := b.Citizen.Name.String(); n != "" {
			att += ";CN=" + paramValue(n)
		}
		w.prop(att, attendeeAddress(b))
	}
	status := "CONFIRMED"
	switch b.Status {
	case Held:
		status = "TENTATIVE"
	case Cancelled, Expired:
		status = "CANCELLED"
	}
	w.prop("STATUS", status)
	w.prop("TRANSP", "OPAQUE")
	w.raw("END:VEVENT\r\n")
}

// attendeeAddress is the citizen's calendar address (RFC 5545 §3.3.3, a
// URI). RFC 5546 §3.2.2 requires an ATTENDEE in every REQUEST (and §3.2.5
// in a CANCEL of the whole event), but a citizen may book with an INSZ and
// no e-mail address: then the address is urn:uuid:<booking id> (RFC 4122),
// a URI that no client will try to mail, that carries no personal data and
// that stays the same when the booking is moved or cancelled, so clients
// match the attendee across updates. The citizen's name, when known, is in
// CN either way.
func attendeeAddress(b *Booking) string {
	if b.Citizen.Email != "" {
		return "mailto:" + string(b.Citizen.Email)
	}
	return b.ID.URN()
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 && r != '\t' {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramValue quotes a parameter value; DQUOTE cannot be escaped, so it is
// dropped (RFC 5545 §3.2).
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

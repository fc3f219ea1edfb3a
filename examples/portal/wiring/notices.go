package wiring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/post"
)

// Notifier sends a party a document by the channel they chose; the post
// block implements it.
type Notifier interface {
	Notify(ctx context.Context, n post.Notice) error
}

// requesterParty is the delivery party of a case's requester: the national
// register number is the requester ID for persons, the KBO number for
// enterprises. Anonymous requesters (an e-mail address only) have none.
func requesterParty(r casefile.Requester) (delivery.Party, bool) {
	party := delivery.Party{Kind: delivery.Person, ID: digitsOnly(r.ID)}
	if r.Kind == casefile.PartyEnterprise {
		party.Kind = delivery.Enterprise
	}
	return party, party.Validate() == nil
}

// caseNoticeSubjects words the notice of each status of "meldingen".
var caseNoticeSubjects = map[string]string{
	"in_progress": "Uw melding %s is in behandeling",
	"planned":     "Uw melding %s is ingepland",
	"waiting":     "We hebben een vraag over uw melding %s",
	"answered":    "Antwoord op uw vraag %s",
	"resolved":    "Uw melding %s is afgehandeld",
	"rejected":    "Uw melding %s wordt niet door de gemeente behandeld",
}

// caseNotice delivers a requester notice of the case engine (a status
// change, a merge) to the requester by their chosen channel. The document ID
// is the event's, so the at-least-once bus may repeat the event safely.
func caseNotice(ctx context.Context, n Notifier, municipality string, e event.Event) error {
	rn, err := event.Decode[casefile.RequesterNotice](e)
	if err != nil {
		return err
	}
	party, ok := requesterParty(rn.Requester)
	if !ok {
		return nil // an anonymous requester is told by e-mail, not through delivery
	}
	subject, ok := caseNoticeSubjects[rn.Status]
	if !ok {
		subject = "Nieuws over uw melding %s"
	}
	subject = fmt.Sprintf(subject, rn.Reference)
	var body strings.Builder
	if name := rn.Requester.Name.String(); name != "" {
		fmt.Fprintf(&body, "Beste %s,\n\n", name)
	} else {
		body.WriteString("Beste,\n\n")
	}
	fmt.Fprintf(&body, "Uw melding %s heeft een nieuwe status: %s.\n", rn.Reference, rn.StatusLabel.In("nl"))
	switch rn.Reason {
	case casefile.EntryMerged:
		subject = fmt.Sprintf("Uw melding %s is samengevoegd met melding %s", rn.Reference, rn.ParentReference)
		fmt.Fprintf(&body, "Ze gaat over hetzelfde probleem als melding %s en wordt samen daarmee behandeld.\n", rn.ParentReference)
	case casefile.EntryFollowedParent:
		fmt.Fprintf(&body, "Ze is afgesloten samen met melding %s, die over hetzelfde probleem ging.\n", rn.ParentReference)
	case casefile.EntryAnswered:
		subject = fmt.Sprintf("Antwoord op uw vraag %s", rn.Reference)
	}
	// The clerk's own words: an answer, a question to the reporter, the
	// message of a reopening.
	if rn.Text != "" {
		fmt.Fprintf(&body, "\nHet bericht bij deze stap:\n%s\n", rn.Text)
	}
	fmt.Fprintf(&body, "\nU volgt uw melding op in het digitaal loket van de gemeente, onder Mijn dossiers.\n\nMet vriendelijke groeten,\nGemeente %s\n", municipality)
	return n.Notify(ctx, post.Notice{
		ID: e.ID, Party: party, Name: rn.Requester.Name, Category: post.CategoryCase,
		Subject: subject, Body: body.String(),
		Reference: rn.Reference, Link: "/mijn-dossiers/" + e.AggregateID.String(),
	})
}

// bookingNotice sends the citizen of a booking its confirmation, move or
// cancellation by their chosen channel, with the .ics attached. Citizens
// without a national register number (a phone booking by e-mail address)
// have no party in the delivery package and are skipped.
func bookingNotice(ctx context.Context, n Notifier, sched *appointment.Scheduler, ics appointment.ICSOptions, municipality string, e event.Event) error {
	be, err := event.Decode[appointment.BookingEvent](e)
	if err != nil {
		return err
	}
	b := be.Booking
	party := delivery.Party{Kind: delivery.Person, ID: string(b.Citizen.INSZ)}
	if party.Validate() != nil {
		return nil
	}
	svc, err := sched.Service(ctx, b.ServiceID)
	if err != nil {
		return err
	}
	loc, err := sched.Location(ctx, b.LocationID)
	if err != nil {
		return err
	}
	var subject, what string
	switch e.Type {
	case appointment.EventConfirmed:
		subject, what = "Bevestiging van uw afspraak %s", "Uw afspraak is bevestigd"
	case appointment.EventRescheduled:
		subject, what = "Uw afspraak %s is verplaatst", "Uw afspraak is verplaatst"
	default:
		subject, what = "Uw afspraak %s is geannuleerd", "Uw afspraak is geannuleerd"
	}
	var body strings.Builder
	if name := b.Citizen.Name.String(); name != "" {
		fmt.Fprintf(&body, "Beste %s,\n\n", name)
	}
	fmt.Fprintf(&body, "%s: %s op %s.\nAfspraaknummer: %s\nWaar: %s, %s\n", what, svc.Name, dutchMoment(b.Start), b.Reference, loc.Name, loc.Address)
	if b.Status != appointment.Cancelled && len(svc.Documents) > 0 {
		body.WriteString("\nMee te brengen:\n")
		for _, d := range svc.Documents {
			fmt.Fprintf(&body, "- %s\n", d)
		}
	}
	fmt.Fprintf(&body, "\nMet vriendelijke groeten,\nGemeente %s\n", municipality)
	return n.Notify(ctx, post.Notice{
		ID: e.ID, Party: party, Name: b.Citizen.Name, Category: post.CategoryAppointment,
		Subject: fmt.Sprintf(subject, b.Reference), Body: body.String(),
		Attachments: []delivery.Attachment{{Name: "afspraak-" + string(b.Reference) + ".ics", ContentType: "text/calendar; charset=utf-8",
			Data: appointment.ICS(b, svc, loc, ics)}},
		Reference: string(b.Reference), Link: "/afspraken/" + b.ID.String(),
	})
}

var (
	dutchWeekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	dutchMonths   = [...]string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// dutchDay writes a date the Dutch way: "dinsdag 3 maart 2026".
func dutchDay(d calendar.Date) string {
	return fmt.Sprintf("%s %d %s %d", dutchWeekdays[d.Weekday()], d.Day, dutchMonths[d.Month], d.Year)
}

// dutchMoment writes an instant in Brussels: "dinsdag 3 maart 2026 om 10:15".
func dutchMoment(t time.Time) string {
	return dutchDay(calendar.DateIn(t)) + " om " + t.In(clock.Brussels).Format("15:04")
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Notices subscribes the consumers that send a citizen the news of their
// case and of their bookings, by the channel they chose.
func Notices(ctx context.Context, be *Backend, n Notifier, sched *appointment.Scheduler, ics appointment.ICSOptions, municipality string) error {
	if err := be.On(ctx, "notify case updates", func(ctx context.Context, e event.Event) error {
		return caseNotice(ctx, n, municipality, e)
	}, casefile.EventRequesterNotice); err != nil {
		return err
	}
	return be.On(ctx, "notify booking changes", func(ctx context.Context, e event.Event) error {
		return bookingNotice(ctx, n, sched, ics, municipality, e)
	}, appointment.EventConfirmed, appointment.EventRescheduled, appointment.EventCancelled)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// The document categories the portal sends, each with its rule.
const (
	categoryCase        delivery.Category = "melding"
	categoryAppointment delivery.Category = "afspraak"
)

// postChannels are the channels a party may choose, in the order the form
// offers them.
var postChannels = []delivery.ChannelKind{delivery.ChannelBurgerprofiel, delivery.ChannelEBox, delivery.ChannelEmail, delivery.ChannelPaper}

// postCategories are the categories a party may route differently, with the
// label the preference form shows.
var postCategories = []struct {
	Category delivery.Category
	Label    string
}{
	{categoryCase, "Nieuws over mijn meldingen"},
	{categoryAppointment, "Bevestigingen van afspraken"},
}

// postOffice is the delivery block of the portal: the delivery service,
// through which the pages read and write everything (preferences, a
// recipient's documents, the clerk's queue), and its dispatcher with demo
// channel adapters. It implements notifier for the other blocks.
type postOffice struct {
	svc        *delivery.Service
	dispatcher *delivery.Dispatcher
	town       *municipality
	// paper is the demo mail provider: letters wait in a print batch.
	paper *delivery.PrintBatch
}

// notifier sends a party a document by the channel they chose. The wiring
// of the other blocks (case updates, booking confirmations) calls it; the
// delivery block implements it.
type notifier interface {
	notify(ctx context.Context, n notice) error
}

// notice is one document for one party.
type notice struct {
	// ID is the document ID. The wiring uses the ID of the event the notice
	// answers, so a repeated event submits the same document again, which
	// the delivery package recognises and ignores.
	ID          uuid.UUID
	Party       delivery.Party
	Name        pii.Name
	Category    delivery.Category
	Subject     string
	Body        string
	Attachments []delivery.Attachment
	// Reference and Link name the dossier the notice is about.
	Reference, Link string
}

// setupPost composes the delivery block: the service on the backend's store,
// the rules of the portal's categories, a dispatcher whose channel adapters
// only record (nothing leaves the demo), the demo people's preferences, and
// the wiring that delivers case updates to the requester. It runs before the
// other blocks, so its handler is subscribed and the preferences are there
// before their seeds emit events; setupPostPages adds its pages last.
func (a *app) setupPost(ctx context.Context) error {
	var store delivery.Store = delivery.NewMemStore(a.be.sink())
	if a.be.postgres() {
		pg := pgstore.New(a.be.pool)
		if err := pg.Migrate(ctx); err != nil {
			return err
		}
		store = pg
	}
	clk := clock.Real{}
	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	// A demo mail server that bounces addresses under .invalid, so a
	// permanent failure and its fallback to paper can be tried out.
	email.Fail = func(m delivery.Message) error {
		if strings.HasSuffix(string(m.Recipient.Email), ".invalid") {
			return fmt.Errorf("%w: mailbox does not exist", delivery.ErrPermanent)
		}
		return nil
	}
	po := &postOffice{svc: delivery.NewService(store, clk, a.log), town: a.town, paper: delivery.NewPrintBatch(clk)}
	po.dispatcher = &delivery.Dispatcher{
		Store: store, Clock: clk, Log: a.log,
		Channels: map[delivery.ChannelKind]delivery.Channel{
			delivery.ChannelBurgerprofiel: delivery.NewSimulatedBurgerprofiel(clk),
			delivery.ChannelEBox:          delivery.NewSimulatedEBox(clk),
			delivery.ChannelEmail:         email,
			delivery.ChannelPaper:         po.paper,
		},
	}
	a.post = po
	if err := a.be.on(ctx, "notify case updates", func(ctx context.Context, e event.Event) error {
		return caseNotice(ctx, po, a.town, e)
	}, casefile.EventRequesterNotice); err != nil {
		return err
	}
	return seedPost(ctx, po, a.town)
}

// setupPostPages adds the delivery block's menu entries and its section of
// "Mijn dossiers", after the other blocks' ones.
func (a *app) setupPostPages(context.Context) error {
	a.nav = append(a.nav,
		navLink{Label: "Mijn post", Href: "/mijn-post"},
		navLink{Label: "Verzendwachtrij", Href: "/balie/post", Clerk: true},
	)
	a.sources = append(a.sources, a.postSection)
	return nil
}

// postRules are the rules of the portal's categories: every channel allowed,
// paper when a digital channel fails for good.
func postRules() []delivery.Rule {
	all := append([]delivery.ChannelKind(nil), postChannels...)
	return []delivery.Rule{
		{Category: categoryCase, Allowed: all, Fallback: delivery.Fallback{OnPermanentFailure: true}, RetentionDays: 2 * 365},
		{Category: categoryAppointment, Allowed: all, Fallback: delivery.Fallback{OnPermanentFailure: true}, RetentionDays: 365},
	}
}

// seedPost stores the rules that are missing and the demo preferences: An
// reads her post in Mijn Burgerprofiel, Mohamed wants paper. A database that
// has them keeps its own.
func seedPost(ctx context.Context, po *postOffice, town *municipality) error {
	for _, r := range postRules() {
		_, err := po.svc.Rule(ctx, r.Category)
		if errors.Is(err, delivery.ErrNotFound) {
			_, err = po.svc.PutRule(ctx, r)
		}
		if err != nil {
			return err
		}
	}
	now := time.Now()
	an, _ := town.person("an")
	mo, _ := town.person("mohamed")
	seeds := []struct {
		p  *person
		fn func(*delivery.Preference) error
	}{
		{an, func(pref *delivery.Preference) error {
			pref.Preferred = delivery.ChannelBurgerprofiel
			pref.Consents = append(pref.Consents, delivery.Consent{Channel: delivery.ChannelBurgerprofiel, Given: true, At: now, Source: "mijnburgerprofiel"})
			pref.Email, pref.EmailVerified = an.Email, true
			return nil
		}},
		{mo, func(pref *delivery.Preference) error {
			pref.Preferred = delivery.ChannelPaper
			return nil
		}},
	}
	for _, s := range seeds {
		party := personParty(s.p)
		_, err := po.svc.Preference(ctx, party)
		if err == nil {
			continue // a database that has them keeps its own
		}
		if !errors.Is(err, delivery.ErrNotFound) {
			return err
		}
		addr := s.p.Address
		_, err = po.svc.ChangePreference(ctx, party, "demo", func(pref *delivery.Preference) error {
			pref.Address = &addr
			return s.fn(pref)
		})
		if err != nil {
			return fmt.Errorf("seed preference: %w", err)
		}
	}
	return nil
}

// The metadata keys under which a document keeps the dossier it is about,
// for the lists.
const (
	metaReference = "reference"
	metaLink      = "link"
)

// notify implements notifier: the party gets the address the municipality
// knows when they never chose anything (paper is the legal default), and
// the document is submitted with the dossier it is about as metadata.
func (po *postOffice) notify(ctx context.Context, n notice) error {
	if err := po.ensureKnownAddress(ctx, n.Party); err != nil {
		return err
	}
	_, err := po.svc.Submit(ctx, delivery.Document{ID: n.ID, Party: n.Party, Name: n.Name, Category: n.Category,
		Subject: n.Subject, Body: n.Body, Attachments: n.Attachments,
		Metadata: map[string]string{metaReference: n.Reference, metaLink: n.Link}})
	return err
}

// ensureKnownAddress gives a party without a preference a first version
// holding the postal address from the national register (the demo
// municipality's list), so paper, the default, can reach them.
func (po *postOffice) ensureKnownAddress(ctx context.Context, party delivery.Party) error {
	_, err := po.svc.Preference(ctx, party)
	if !errors.Is(err, delivery.ErrNotFound) {
		return err
	}
	addr, ok := po.town.addressOf(party)
	if !ok {
		return nil // no address known: the delivery records "no channel" for a clerk
	}
	_, err = po.svc.ChangePreference(ctx, party, "rijksregister", func(pref *delivery.Preference) error {
		if pref.Version > 0 {
			return errPreferenceExists
		}
		pref.Address = &addr
		return nil
	})
	if errors.Is(err, errPreferenceExists) || errors.Is(err, delivery.ErrConflict) {
		return nil // the party chose meanwhile: their choice stands
	}
	return err
}

var errPreferenceExists = errors.New("portal: the party has a preference")

// personParty is the delivery party of a person: their national register
// number.
func personParty(p *person) delivery.Party {
	return delivery.Party{Kind: delivery.Person, ID: string(p.INSZ)}
}

// enterpriseParty is the delivery party of an enterprise: its KBO number,
// digits only.
func enterpriseParty(e *enterprise) delivery.Party {
	return delivery.Party{Kind: delivery.Enterprise, ID: digitsOnly(e.KBO)}
}

// parties are the parties whose post p may read: their own, and their
// enterprise's when they act for one; only valid numbers.
func parties(p *person) []delivery.Party {
	if p.INSZ == "" {
		return nil
	}
	out := []delivery.Party{personParty(p)}
	if p.Enterprise != nil {
		out = append(out, enterpriseParty(p.Enterprise))
	}
	// A number that is not valid (a record gone bad) names no one who
	// could have been sent post.
	return slices.DeleteFunc(out, func(party delivery.Party) bool { return party.Validate() != nil })
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
	"resolved":    "Uw melding %s is afgehandeld",
	"rejected":    "Uw melding %s wordt niet door de gemeente behandeld",
}

// caseNotice delivers a requester notice of the case engine (a status
// change, a merge) to the requester by their chosen channel. The document ID
// is the event's, so the at-least-once bus may repeat the event safely.
func caseNotice(ctx context.Context, n notifier, town *municipality, e event.Event) error {
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
	}
	fmt.Fprintf(&body, "\nU volgt uw melding op in het digitaal loket van de gemeente, onder Mijn dossiers.\n\nMet vriendelijke groeten,\nGemeente %s\n", town.Name)
	return n.notify(ctx, notice{
		ID: e.ID, Party: party, Name: rn.Requester.Name, Category: categoryCase,
		Subject: subject, Body: body.String(),
		Reference: rn.Reference, Link: "/mijn-dossiers/" + e.AggregateID.String(),
	})
}

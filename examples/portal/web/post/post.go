package post

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// The document categories the portal sends, each with its rule.
const (
	CategoryCase        delivery.Category = "melding"
	CategoryAppointment delivery.Category = "afspraak"
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
	{CategoryCase, "Nieuws over mijn meldingen"},
	{CategoryAppointment, "Bevestigingen van afspraken"},
}

// postOffice is the delivery block of the portal: the delivery service,
// through which the pages read and write everything (preferences, a
// recipient's documents, the clerk's queue), and its dispatcher with demo
// channel adapters. It implements notifier for the other blocks.
type postOffice struct {
	svc        *delivery.Service
	dispatcher *delivery.Dispatcher
	// addressOf is the postal address the national register knows of a party.
	addressOf func(delivery.Party) (pii.Address, bool)
	// paper is the demo mail provider: letters wait in a print batch.
	paper *delivery.PrintBatch
}

// Notice is one document for one party.
type Notice struct {
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

// Rules are the rules of the portal's categories: every channel allowed,
// paper when a digital channel fails for good.
func Rules() []delivery.Rule {
	all := append([]delivery.ChannelKind(nil), postChannels...)
	return []delivery.Rule{
		{Category: CategoryCase, Allowed: all, Fallback: delivery.Fallback{OnPermanentFailure: true}, RetentionDays: 2 * 365},
		{Category: CategoryAppointment, Allowed: all, Fallback: delivery.Fallback{OnPermanentFailure: true}, RetentionDays: 365},
	}
}

// The metadata keys under which a document keeps the dossier it is about,
// for the lists.
const (
	metaReference = "reference"
	metaLink      = "link"
)

// Notify sends the party of n a document by the channel they chose: the party gets the address the municipality
// knows when they never chose anything (paper is the legal default), and
// the document is submitted with the dossier it is about as metadata.
func (po *postOffice) notify(ctx context.Context, n Notice) error {
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
	addr, ok := po.addressOf(party)
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
func enterpriseParty(e *frontoffice.Enterprise) delivery.Party {
	return delivery.Party{Kind: delivery.Enterprise, ID: digitsOnly(e.KBO)}
}

// parties are the parties whose post p may read: signed in for an
// enterprise, the enterprise's and not their own; as a citizen, their own;
// only valid numbers.
func parties(p *person) []delivery.Party {
	if p.INSZ == "" {
		return nil
	}
	out := []delivery.Party{personParty(p)}
	if p.Enterprise != nil { // for an enterprise, only its post
		out = []delivery.Party{enterpriseParty(p.Enterprise)}
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

// plausibleEmail accepts a bare address with a dot in its domain.
func plausibleEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".")
}

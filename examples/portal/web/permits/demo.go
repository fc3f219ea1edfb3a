package permits

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"

	"github.com/lokaalbestuur/bouwstenen/permit"
)

// SeedDemo fills the demo: planned sewer works in the Kerkstraat (so an
// application there shows a conflict), An's granted parking ban with its
// invoice open, An's container waiting for the completeness check, the
// terrace of Lotte's café in the advice round, and Mohamed's granted moving
// lift. Everything goes through the services and the wiring, as in real
// use; the dates follow today so the lead times hold.
func (a *Block) SeedDemo(ctx context.Context, people func(id string) (frontoffice.Visitor, pii.Email, pii.Phone, pii.Address, bool)) error {
	b := a.permits
	lat, lon, _ := geocode("Kerkstraat", "12")
	const northOfKerkstraat12 = 8.0 / 111320 // 8 m in degrees of latitude
	works, err := permit.ParseGeometry(shape(lat+northOfKerkstraat12, lon, 60, 0, true), permit.Lambert72)
	if err != nil {
		return fmt.Errorf("seed works: %w", err)
	}
	today := calendar.DateIn(b.clock.Now())
	if err := b.svc.LoadWorks(ctx, permit.PlannedWorks{
		ID: uuid.Must(uuid.NewV7()), Owner: "Rioolbeheerder", Description: "Rioleringswerken Kerkstraat",
		Location: works,
		Periods:  []permit.Period{{Start: today.AddDays(1).Start(), End: today.AddDays(180).Start()}},
	}); err != nil {
		return fmt.Errorf("seed works: %w", err)
	}

	type seed struct {
		person, typ, street, number, description string
		enterprise                               bool
		length, width                            float64
		after, days, places                      int // start this many days after the earliest start
		attachments                              []permit.Attachment
		steps                                    []string // complete, advice, grant
	}
	plan := []permit.Attachment{{Kind: "situation_plan", Filename: "terras-situatieschets.pdf", MediaType: "application/pdf", Size: 48213}}
	seeds := []seed{
		{person: "an", typ: "parking_ban", street: "Kerkstraat", number: "12", description: "Parkeerverbod voor de verhuiswagen",
			length: 15, after: 25, days: 1, places: 3, steps: []string{"complete", "grant"}},
		{person: "an", typ: "container", street: "Kerkstraat", number: "12", description: "Container voor de renovatie van de badkamer",
			length: 3, width: 2, after: 10, days: 5, places: 1},
		{person: "lotte", enterprise: true, typ: "terrace", street: "Dorpsplein", number: "3", description: "Zomerterras van Café De Hoek",
			length: 6, width: 4, after: 5, days: 92, attachments: plan, steps: []string{"complete", "advice"}},
		{person: "mohamed", typ: "moving_lift", street: "Stationsstraat", number: "4", description: "Verhuislift",
			length: 4, width: 2.5, after: 7, days: 1, places: 2, steps: []string{"complete", "grant"}},
	}
	for _, s := range seeds {
		v, email, phone, addr, ok := people(s.person)
		p := frontoffice.PersonOf(v)
		p.Email, p.Phone, p.Address = email, phone, addr
		if !ok {
			return fmt.Errorf("seed: unknown person %q", s.person)
		}
		typ, err := b.types.Lookup(s.typ)
		if err != nil {
			return err
		}
		lat, lon, _ := geocode(s.street, s.number)
		start := b.earliestStart(typ).AddDays(s.after)
		f := permitForm{Type: s.typ, Applicant: "self", Description: s.description, Street: s.street, Number: s.number,
			PostalCode: p.Address.PostalCode, Municipality: p.Address.Municipality,
			Lat: fmt.Sprint(lat), Lon: fmt.Sprint(lon), Length: fmt.Sprint(s.length), Width: fmt.Sprint(s.width),
			Start: start.String(), End: start.AddDays(s.days - 1).String(), ParkingPlaces: fmt.Sprint(s.places), Email: string(p.Email), Phone: string(p.Phone)}
		if s.enterprise {
			f.Applicant = "enterprise"
		}
		in, problems := a.permitInput(f, p, s.attachments)
		if len(problems) > 0 {
			return fmt.Errorf("seed %s: %v", s.typ, problems)
		}
		ap, err := b.svc.Draft(ctx, in)
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.typ, err)
		}
		if _, err := b.records.Add(ctx, records.Permit{PermitID: ap.ID, Applicant: string(ap.Applicant.ID()), CreatedAt: ap.CreatedAt}); err != nil {
			return err
		}
		if _, err := b.svc.Submit(ctx, ap.ID); err != nil {
			return fmt.Errorf("seed %s: %w", s.typ, err)
		}
		for _, step := range s.steps {
			switch step {
			case "complete":
				_, err = b.records.Update(ctx, ap.ID, func(r *records.Permit) error { r.CompleteAt = b.clock.Now(); return nil })
			case "advice":
				_, err = b.svc.StartAdvice(ctx, ap.ID)
			case "grant":
				_, err = b.svc.Grant(ctx, ap.ID, []string{"De signalisatie staat minstens 48 uur vooraf.", "Laat een doorgang van 1,5 m vrij voor voetgangers."})
			}
			if err != nil {
				return fmt.Errorf("seed %s %s: %w", s.typ, step, err)
			}
		}
	}
	return nil
}

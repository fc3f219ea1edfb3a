package delivery_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ExampleService_Documents lists a citizen's post ("mijn post") page by
// page, newest first, with the dossier each document is about kept as the
// sender's metadata.
func ExampleService_Documents() {
	ctx := context.Background()
	svc := delivery.NewService(delivery.NewMemStore(nil), clock.NewSettable(t0), nil)
	_, _ = svc.PutRule(ctx, delivery.Rule{Category: "melding", Allowed: []delivery.ChannelKind{delivery.ChannelPaper}, RetentionDays: 365})
	citizen := delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	_, _ = svc.ChangePreference(ctx, citizen, "loket", func(p *delivery.Preference) error {
		p.Address = &pii.Address{Street: "Kouter", Number: "1", PostalCode: "9000", Municipality: "Gent"}
		return nil
	})
	for i, ref := range []string{"2026-000001", "2026-000002", "2026-000003"} {
		_, err := svc.Submit(ctx, delivery.Document{ID: uuid.MustParse(fmt.Sprintf("0193a1c2-0000-7000-8000-00000000000%d", i+1)),
			Party: citizen, Category: "melding", Subject: "Uw melding " + ref, Body: "...",
			Metadata: map[string]string{"reference": ref}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	q := delivery.Query{Parties: []delivery.Party{citizen}, Limit: 2}
	for {
		page, err := svc.Documents(ctx, q)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, d := range page.Deliveries {
			fmt.Println(d.Document.Metadata["reference"], d.Document.Subject)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	// Output:
	// 2026-000003 Uw melding 2026-000003
	// 2026-000002 Uw melding 2026-000002
	// 2026-000001 Uw melding 2026-000001
}

// ExampleService_Summaries lists a citizen's post as a list shows it: each
// document's subject and state, without its body or attachments, which
// Delivery reads when the citizen opens one.
func ExampleService_Summaries() {
	ctx := context.Background()
	svc := delivery.NewService(delivery.NewMemStore(nil), clock.NewSettable(t0), nil)
	_, _ = svc.PutRule(ctx, delivery.Rule{Category: "melding", Allowed: []delivery.ChannelKind{delivery.ChannelPaper}, RetentionDays: 365})
	citizen := delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	_, _ = svc.ChangePreference(ctx, citizen, "loket", func(p *delivery.Preference) error {
		p.Address = &pii.Address{Street: "Kouter", Number: "1", PostalCode: "9000", Municipality: "Gent"}
		return nil
	})
	d, err := svc.Submit(ctx, delivery.Document{ID: uuid.MustParse("0193a1c2-0000-7000-8000-000000000001"),
		Party: citizen, Category: "melding", Subject: "Uw afspraak", Body: "Tot dan.",
		Attachments: []delivery.Attachment{{Name: "afspraak.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR")}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := svc.Summaries(ctx, delivery.Query{Parties: []delivery.Party{citizen}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range page.Deliveries {
		fmt.Printf("%s, %s: body %q, %d attachments\n", s.Document.Subject, s.State, s.Document.Body, len(s.Document.Attachments))
	}
	whole, _ := svc.Delivery(ctx, d.ID)
	fmt.Printf("opened: body %q, %d attachment\n", whole.Document.Body, len(whole.Document.Attachments))
	// Output:
	// Uw afspraak, active: body "", 0 attachments
	// opened: body "Tot dan.", 1 attachment
}

// ExampleService_Submit_retry shows that the document ID is the idempotency
// key of Submit: a retry returns the first delivery, and another document
// under the ID is refused.
func ExampleService_Submit_retry() {
	ctx := context.Background()
	svc := delivery.NewService(delivery.NewMemStore(nil), clock.NewSettable(t0), nil)
	_, _ = svc.PutRule(ctx, delivery.Rule{Category: "melding", Allowed: []delivery.ChannelKind{delivery.ChannelPaper}, RetentionDays: 365})
	doc := delivery.Document{ID: uuid.MustParse("0193a1c2-0000-7000-8000-0000000000aa"),
		Party: delivery.Party{Kind: delivery.Person, ID: "85073003328"}, Category: "melding", Subject: "Uw melding", Body: "..."}
	first, _ := svc.Submit(ctx, doc)
	again, err := svc.Submit(ctx, doc) // a retry after a timeout
	fmt.Println(again.ID == first.ID, err)
	doc.Body = "iets anders"
	_, err = svc.Submit(ctx, doc)
	fmt.Println(errors.Is(err, delivery.ErrConflict))
	// Output:
	// true <nil>
	// true
}

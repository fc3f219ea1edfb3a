package delivery_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Example shows the main path: a citizen chooses Mijn Burgerprofiel, does not
// read the document within the rule's days, and the municipality falls back
// to paper; the evidence log proves each step.
func Example() {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	store := delivery.NewMemStore(nil)
	svc := delivery.NewService(store, clk, nil)

	_, _ = svc.PutRule(ctx, delivery.Rule{
		Category:      "parking-fine",
		Allowed:       []delivery.ChannelKind{delivery.ChannelBurgerprofiel, delivery.ChannelEmail, delivery.ChannelPaper},
		Fallback:      delivery.Fallback{AfterDaysUnread: 10},
		RetentionDays: 5 * 365,
	})
	citizen := delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	_, err := svc.ChangePreference(ctx, citizen, "burger", func(p *delivery.Preference) error {
		p.Preferred = delivery.ChannelBurgerprofiel
		p.Consents = append(p.Consents, delivery.Consent{Channel: delivery.ChannelBurgerprofiel, Given: true, At: t0, Source: "mijnburgerprofiel"})
		p.Address = &pii.Address{Street: "Kouter", Number: "1", PostalCode: "9000", Municipality: "Gent"}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	doc := delivery.Document{ID: uuid.MustParse("0193a1c2-0000-7000-8000-000000000001"), Party: citizen,
		Category: "parking-fine", Subject: "Retributie parkeren", Body: "..."}
	d, _ := svc.Submit(ctx, doc)
	fmt.Println("routed to", d.Decision.Channel, "on consent from", d.Decision.Consent.Source)

	burgerprofiel := delivery.NewSimulatedBurgerprofiel(clk)
	paper := delivery.NewPrintBatch(clk)
	disp := &delivery.Dispatcher{Store: store, Clock: clk, Channels: map[delivery.ChannelKind]delivery.Channel{
		delivery.ChannelBurgerprofiel: burgerprofiel, delivery.ChannelPaper: paper}}
	_, _ = disp.Step(ctx)
	clk.Advance(10 * 24 * time.Hour) // ten days, unread
	_, _ = disp.Step(ctx)
	_, _ = disp.Step(ctx)

	d, _ = svc.Delivery(ctx, doc.ID)
	for _, a := range d.Attempts {
		fmt.Println(a.Channel, a.Status)
	}
	fmt.Println("state:", d.State, "letters in print batch:", paper.Pending())
	ev, _ := store.Evidence(ctx, doc.ID)
	for _, e := range ev {
		fmt.Println(strings.TrimSpace(fmt.Sprint(e.Seq, " ", e.Kind, " ", e.Channel, " ", e.Status)))
	}
	fmt.Println("chain intact:", delivery.VerifyChain(ev) == nil)
	// Output:
	// routed to burgerprofiel on consent from mijnburgerprofiel
	// burgerprofiel delivered
	// paper sent
	// state: completed letters in print batch: 1
	// 1 routed burgerprofiel queued
	// 2 sent burgerprofiel delivered
	// 3 fallback paper
	// 4 queued paper queued
	// 5 sent paper sent
	// 6 completed
	// chain intact: true
}

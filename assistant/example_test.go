package assistant_test

import (
	"context"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/assistant/demo"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

func demoService(cfg assistant.Config) *assistant.Service {
	cfg.Store = assistant.NewMemStore(nil)
	cfg.Clock = clock.NewSettable(start)
	svc, err := assistant.NewService(cfg)
	if err != nil {
		panic(err)
	}
	entries, err := assistant.LoadCatalogue(demo.CatalogueYAML())
	if err != nil {
		panic(err)
	}
	if err := svc.Import(context.Background(), entries); err != nil {
		panic(err)
	}
	return svc
}

// A citizen asks what an identity card costs; the answer quotes the
// costs of the demo catalogue's entry and links to it.
func ExampleService_Ask() {
	svc := demoService(assistant.Config{})
	r, err := svc.Ask(context.Background(), assistant.Question{Text: "wa kost een eid"})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Intent, r.Sources[0].EntryID, r.Sources[0].Section, r.Sources[0].URL)
	// Output: information identiteitskaart costs https://www.demogem.be/identiteitskaart
}

// A question the catalogue does not answer is refused, and a person is
// offered.
func ExampleService_Ask_outOfScope() {
	svc := demoService(assistant.Config{})
	r, _ := svc.Ask(context.Background(), assistant.Question{Text: "wie heeft de tour de france gewonnen"})
	fmt.Println(r.Intent, r.OfferHandover)
	// Output: out_of_scope true
}

type printHandover struct{}

func (printHandover) HandOver(_ context.Context, r assistant.HandoverRequest) (assistant.Ticket, error) {
	fmt.Println("case with", len(r.Transcript), "turns, first:", r.Transcript[0].Text)
	return assistant.Ticket{Channel: assistant.ChannelCase, Reference: "2026-000042"}, nil
}

// Asking for a person hands the conversation over with its redacted
// transcript.
func ExampleService_HandOver() {
	svc := demoService(assistant.Config{Handover: printHandover{}})
	ctx := context.Background()
	an := &assistant.Person{ID: "an"}
	r, _ := svc.Ask(ctx, assistant.Question{Text: "mijn IBAN BE68 5390 0754 7034 werd twee keer gedebiteerd", Person: an})
	r, _ = svc.HandOver(ctx, r.ConversationID, an)
	fmt.Println(r.Handover.Reference)
	// Output:
	// case with 3 turns, first: mijn IBAN [IBAN] werd twee keer gedebiteerd
	// 2026-000042
}

// Redact masks personal data before anything is stored.
func ExampleRedact() {
	fmt.Println(assistant.Redact("bel 0470 12 34 56 of mail an@example.be, INSZ 85.07.30-033.28"))
	// Output: bel [telefoonnummer] of mail [e-mail], INSZ [rijksregisternummer]
}

// The default retriever ranks the demo catalogue for a question in
// Dutch, with compounds and typos.
func ExampleIndex_Retrieve() {
	entries, _ := assistant.LoadCatalogue(demo.CatalogueYAML())
	ix := assistant.NewIndex(entries, assistant.Options{})
	r, _ := ix.Retrieve(context.Background(), "parkeerkaart voor bewoners", 3)
	fmt.Println(r.Hits[0].EntryID, r.OutOfScope)
	// Output: bewonerskaart false
}

// LoadLDES reads IPDC's event-stream pages into catalogue entries.
func ExampleLoadLDES() {
	page := []byte(`{"member":[
	  {"isVersionOf":"https://data.example/ps/1","generatedAtTime":"2024-01-01T00:00:00Z","naam":{"nl":"Parkeerkaart"}},
	  {"isVersionOf":"https://data.example/ps/1","generatedAtTime":"2024-02-01T00:00:00Z","naam":{"nl":"Bewonerskaart"}},
	  {"isVersionOf":"https://data.example/ps/2","generatedAtTime":"2024-02-01T00:00:00Z","naam":{"nl":"Oud"},"gearchiveerd":"true"}]}`)
	entries, err := assistant.LoadLDES("nl", page)
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		fmt.Println(e.ID, e.Title, e.Version)
	}
	// Output: https://data.example/ps/1 Bewonerskaart 2
}

// Options.Home names the municipality itself: a question naming it is
// answered, one naming another Belgian municipality is refused.
func ExampleOptions_home() {
	entries, err := assistant.LoadCatalogue(demo.CatalogueYAML())
	if err != nil {
		panic(err)
	}
	ix := assistant.NewIndex(entries, assistant.Options{Home: []string{"Sint-Niklaas", "Belsele", "Nieuwkerken-Waas", "Sinaai"}})
	for _, q := range []string{"bewonerskaart in sint niklaas", "bewonerskaart in Gent", "bewonerskaart aanvragen in Sinaai"} {
		r, err := ix.Retrieve(context.Background(), q, 1)
		if err != nil {
			panic(err)
		}
		fmt.Println(q, "→", r.Hits[0].EntryID, "out of scope:", r.OutOfScope)
	}
	// Output:
	// bewonerskaart in sint niklaas → bewonerskaart out of scope: false
	// bewonerskaart in Gent → bewonerskaart out of scope: true
	// bewonerskaart aanvragen in Sinaai → bewonerskaart out of scope: false
}

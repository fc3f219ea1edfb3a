package assistant_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

const serviceCatalogue = `
- id: identiteitskaart
  title: Elektronische identiteitskaart (eID)
  description: Elke Belg vanaf 12 jaar die in de gemeente woont, heeft een elektronische identiteitskaart nodig.
  procedure: Maak een afspraak bij Burgerzaken. Na ongeveer drie weken is je kaart klaar.
  costs: "€ 25,00 (normale procedure)"
  keywords: [eid, id-kaart, identiteitsbewijs]
  url: https://www.demogem.be/identiteitskaart
- id: rijbewijs
  title: Rijbewijs
  description: Je vraagt je rijbewijs aan bij de dienst Burgerzaken.
  costs: "€ 30,00"
  keywords: [rijbewijs, bankkaartmodel]
  url: https://www.demogem.be/rijbewijs
- id: bewonerskaart
  title: Bewonerskaart parkeren
  description: Met een bewonerskaart parkeer je in je eigen straat in de blauwe zone.
  costs: "€ 20,00 per jaar"
  keywords: [bewonerskaart, parkeerkaart, parkeren]
  url: https://www.demogem.be/bewonerskaart
- id: parkeervergunning-zorg
  title: Parkeervergunning voor zorgverleners
  description: Zorgverleners parkeren met een parkeervergunning in de blauwe zone bij hun patiënten.
  keywords: [parkeervergunning, zorgverlener, thuisverpleging]
  url: https://www.demogem.be/parkeervergunning-zorg
- id: grofvuil
  title: Grofvuil laten ophalen
  description: Grofvuil wordt op afspraak aan huis opgehaald.
  costs: "€ 25,00 per ophaling"
  keywords: [grofvuil, ophaling, meubels]
  url: https://www.demogem.be/grofvuil
- id: recyclagepark
  title: Recyclagepark
  description: Op het recyclagepark breng je gesorteerd afval binnen.
  keywords: [recyclagepark, containerpark]
  url: https://www.demogem.be/recyclagepark
`

type fixture struct {
	svc   *assistant.Service
	store *assistant.MemStore
	rec   *event.Recorder
	clock *clock.Settable
}

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

func newFixture(t *testing.T, mod func(*assistant.Config)) *fixture {
	t.Helper()
	rec := &event.Recorder{}
	st := assistant.NewMemStore(rec)
	clk := clock.NewSettable(start)
	cfg := assistant.Config{Store: st, Clock: clk}
	if mod != nil {
		mod(&cfg)
	}
	svc, err := assistant.NewService(cfg)
	require.NoError(t, err)
	entries, err := assistant.LoadCatalogue([]byte(serviceCatalogue))
	require.NoError(t, err)
	require.NoError(t, svc.Import(context.Background(), entries))
	return &fixture{svc: svc, store: st, rec: rec, clock: clk}
}

func (f *fixture) ask(t *testing.T, q assistant.Question) *assistant.Reply {
	t.Helper()
	r, err := f.svc.Ask(context.Background(), q)
	require.NoError(t, err)
	return r
}

func TestAskInformation(t *testing.T) {
	f := newFixture(t, nil)
	r := f.ask(t, assistant.Question{Text: "wa kost een nieuwe identiteitskaart"})
	assert.Equal(t, assistant.IntentInformation, r.Intent)
	assert.Equal(t, "nl", r.Language)
	require.Len(t, r.Sources, 1)
	assert.Equal(t, "identiteitskaart", r.Sources[0].EntryID)
	assert.Equal(t, assistant.SectionCosts, r.Sources[0].Section, "a question about the price quotes the costs")
	assert.Contains(t, r.Text, "€ 25,00")
	assert.Contains(t, r.Text, "https://www.demogem.be/identiteitskaart")
	assert.True(t, r.Resolved)
	assert.False(t, r.Generated)

	r = f.ask(t, assistant.Question{Text: "how long does it take to get my identity card", ConversationID: r.ConversationID})
	assert.Equal(t, "en", r.Language)
	assert.Equal(t, "identiteitskaart", r.Sources[0].EntryID)
	assert.Equal(t, assistant.SectionProcedure, r.Sources[0].Section)
	assert.Contains(t, r.Text, "More information: https://www.demogem.be/identiteitskaart")
}

func TestAskOutOfScopeOffersHandover(t *testing.T) {
	f := newFixture(t, nil)
	for _, q := range []string{"wie heeft de tour de france gewonnen", "quel temps fera-t-il demain", "vertel een mop"} {
		r := f.ask(t, assistant.Question{Text: q})
		assert.Equal(t, assistant.IntentOutOfScope, r.Intent, q)
		assert.True(t, r.OfferHandover, q)
		assert.Empty(t, r.Sources, q)
		assert.False(t, r.Resolved, q)
	}
}

// TestAskOtherLanguage: a question in a language other than Dutch or
// English is refused, even on a catalogue topic, with a sentence in both
// saying which languages the assistant answers in.
func TestAskOtherLanguage(t *testing.T) {
	f := newFixture(t, nil)
	for _, q := range []string{"je voudrais une nouvelle carte d'identité", "ich möchte einen neuen Personalausweis", "kimlik kartımı kaybettim"} {
		r := f.ask(t, assistant.Question{Text: q})
		assert.Equal(t, assistant.IntentOutOfScope, r.Intent, q)
		assert.Contains(t, r.Text, "Nederlands of het Engels", q)
		assert.Contains(t, r.Text, "Dutch or English", q)
		assert.True(t, r.OfferHandover, q)
	}
	r := f.ask(t, assistant.Question{Text: "vertel een mop"})
	assert.NotContains(t, r.Text, "Dutch or English", "a Dutch question is refused in Dutch")
}

func TestAskClarifiesWhenClose(t *testing.T) {
	f := newFixture(t, func(c *assistant.Config) { c.ClarifyRatio = 0.5 })
	r := f.ask(t, assistant.Question{Text: "parkeren blauwe zone"})
	require.Len(t, r.Options, 2, "both parking entries are offered")
	assert.ElementsMatch(t, []string{"bewonerskaart", "parkeervergunning-zorg"}, []string{r.Options[0].EntryID, r.Options[1].EntryID})
	assert.Empty(t, r.Sources)

	// The citizen picks by number; the choice is remembered in the conversation.
	second := r.Options[1].EntryID
	r2 := f.ask(t, assistant.Question{ConversationID: r.ConversationID, Text: "de tweede"})
	require.Len(t, r2.Sources, 1)
	assert.Equal(t, second, r2.Sources[0].EntryID)

	// Or by words of the title.
	r = f.ask(t, assistant.Question{Text: "parkeren blauwe zone"})
	r3 := f.ask(t, assistant.Question{ConversationID: r.ConversationID, Text: "die voor zorgverleners"})
	assert.Equal(t, "parkeervergunning-zorg", r3.Sources[0].EntryID)
}

func TestAskReportDraftAcrossTurns(t *testing.T) {
	f := newFixture(t, nil)
	r := f.ask(t, assistant.Question{Text: "de straatlamp voor mijn deur is kapot"})
	assert.Equal(t, assistant.IntentReport, r.Intent)
	require.NotNil(t, r.Draft)
	assert.Equal(t, "street_lighting", r.Draft.Category)
	assert.Empty(t, r.Draft.Location)
	assert.False(t, r.Resolved, "still needs a location")

	r = f.ask(t, assistant.Question{ConversationID: r.ConversationID, Text: "Kerkstraat 12"})
	assert.Equal(t, assistant.IntentReport, r.Intent)
	require.NotNil(t, r.Draft)
	assert.Equal(t, "Kerkstraat 12", r.Draft.Location)
	assert.Equal(t, "street_lighting", r.Draft.Category)
	assert.Equal(t, "de straatlamp voor mijn deur is kapot", r.Draft.Description)
	assert.True(t, r.Resolved)

	// In one go, with personal data masked in the draft.
	r = f.ask(t, assistant.Question{Text: "sluikstort in de Molenstraat, bel me op 0470 12 34 56"})
	assert.Equal(t, "waste", r.Draft.Category)
	assert.Equal(t, "Molenstraat", r.Draft.Location)
	assert.Equal(t, "sluikstort in de Molenstraat, bel me op [telefoonnummer]", r.Draft.Description)
}

type fakeDossiers struct{ asked []assistant.Person }

func (d *fakeDossiers) Dossiers(_ context.Context, p assistant.Person) ([]assistant.DossierStatus, error) {
	d.asked = append(d.asked, p)
	return []assistant.DossierStatus{{Reference: "2026-000123", Title: "Melding straatverlichting", Status: "In behandeling"}}, nil
}

func TestAskDossierOnlyForSignedInPerson(t *testing.T) {
	d := &fakeDossiers{}
	f := newFixture(t, func(c *assistant.Config) { c.Dossiers = d })

	// A reference alone gets nothing: references are guessable.
	r := f.ask(t, assistant.Question{Text: "waar staat mijn dossier 2026-000123"})
	assert.Equal(t, assistant.IntentDossier, r.Intent)
	assert.Empty(t, r.Dossiers)
	assert.Contains(t, r.Text, "Meld je aan")
	assert.Empty(t, d.asked)

	r = f.ask(t, assistant.Question{Text: "waar staat mijn dossier", Person: &assistant.Person{ID: "person-an"}})
	require.Len(t, r.Dossiers, 1)
	assert.Equal(t, "2026-000123", r.Dossiers[0].Reference)
	assert.Equal(t, []assistant.Person{{ID: "person-an"}}, d.asked)
	assert.True(t, r.Resolved)

	// The person is never stored.
	c, err := f.svc.Conversation(context.Background(), r.ConversationID)
	require.NoError(t, err)
	assert.NotContains(t, string(mustJSON(t, c)), "person-an")
}

type fakeSlots struct{ entry string }

func (s *fakeSlots) Slots(_ context.Context, entryID string, limit int) ([]assistant.Slot, error) {
	s.entry = entryID
	return []assistant.Slot{{Start: start.Add(24 * time.Hour), Label: "dinsdag 3 maart 09:00", URL: "/afspraak?slot=1"}}[:min(limit, 1)], nil
}

func TestAskAppointment(t *testing.T) {
	s := &fakeSlots{}
	f := newFixture(t, func(c *assistant.Config) { c.Appointments = s })
	r := f.ask(t, assistant.Question{Text: "ik wil een afspraak maken voor mijn rijbewijs"})
	assert.Equal(t, assistant.IntentAppointment, r.Intent)
	assert.Equal(t, "rijbewijs", s.entry, "slots for the service asked about")
	require.Len(t, r.Slots, 1)
	assert.Equal(t, "/afspraak?slot=1", r.Slots[0].URL)
}

// caseHandover is the case path: it files a question case and remembers
// what it was given.
type caseHandover struct {
	mu   sync.Mutex
	reqs []assistant.HandoverRequest
}

func (h *caseHandover) HandOver(_ context.Context, r assistant.HandoverRequest) (assistant.Ticket, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqs = append(h.reqs, r)
	return assistant.Ticket{Channel: assistant.ChannelCase, Reference: "2026-000777"}, nil
}

func TestHandoverCarriesRedactedTranscript(t *testing.T) {
	h := &caseHandover{}
	f := newFixture(t, func(c *assistant.Config) { c.Handover = h })
	an := &assistant.Person{ID: "person-an"}
	r := f.ask(t, assistant.Question{Text: "mijn rekening BE68 5390 0754 7034 werd gedebiteerd voor een rijbewijs", Person: an})
	r = f.ask(t, assistant.Question{ConversationID: r.ConversationID, Text: "ik wil met een medewerker spreken", Person: an})
	assert.Equal(t, assistant.IntentHandover, r.Intent)
	require.NotNil(t, r.Handover)
	assert.Equal(t, "2026-000777", r.Handover.Reference)
	assert.Contains(t, r.Text, "2026-000777")

	require.Len(t, h.reqs, 1)
	req := h.reqs[0]
	assert.Equal(t, an, req.Person)
	require.Len(t, req.Transcript, 3)
	assert.Equal(t, "mijn rekening [IBAN] werd gedebiteerd voor een rijbewijs", req.Transcript[0].Text)
	assert.Equal(t, "asked", req.Reason)

	// One event, and asking again does not open a second case.
	assert.Equal(t, []string{assistant.EventHandedOver}, f.rec.Types())
	r = f.ask(t, assistant.Question{ConversationID: r.ConversationID, Text: "talk to a person please", Person: an})
	assert.Equal(t, "2026-000777", r.Handover.Reference)
	assert.Len(t, h.reqs, 1)
	assert.Len(t, f.rec.Events(), 1)

	// The portal's button does the same for a new conversation.
	r = f.ask(t, assistant.Question{Text: "hoeveel kost grofvuil"})
	r, err := f.svc.HandOver(context.Background(), r.ConversationID, an)
	require.NoError(t, err)
	assert.NotNil(t, r.Handover)
	assert.Len(t, h.reqs, 2)

	// Anonymous: asked to sign in, nothing handed over.
	r = f.ask(t, assistant.Question{Text: "ik wil een medewerker spreken"})
	assert.Nil(t, r.Handover)
	assert.Contains(t, r.Text, "Meld je aan")
	assert.Len(t, h.reqs, 2)
}

// liveChat is a fake live chat: it accepts after delay, or never.
type liveChat struct {
	delay time.Duration
	fail  error
}

func (c liveChat) Join(ctx context.Context, _ assistant.HandoverRequest) (string, error) {
	if c.fail != nil {
		return "", c.fail
	}
	if c.delay < 0 {
		<-ctx.Done()
		return "", ctx.Err()
	}
	select {
	case <-time.After(c.delay):
		return "chat-42", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func TestLiveChatHandoverFallsBackToCase(t *testing.T) {
	req := assistant.HandoverRequest{ConversationID: uuid.New(), Reason: "asked"}
	for name, c := range map[string]struct {
		chat        liveChat
		wantChannel string
		fellBack    bool
	}{
		"agent accepts in time": {liveChat{delay: 0}, assistant.ChannelLiveChat, false},
		"queue times out":       {liveChat{delay: -1}, assistant.ChannelCase, true},
		"agent too late":        {liveChat{delay: time.Second}, assistant.ChannelCase, true},
		"nobody on duty":        {liveChat{fail: assistant.ErrNoAgent}, assistant.ChannelCase, true},
	} {
		t.Run(name, func(t *testing.T) {
			cases := &caseHandover{}
			h := &assistant.LiveChatHandover{Chat: c.chat, Fallback: cases, QueueTimeout: 30 * time.Millisecond}
			began := time.Now()
			tk, err := h.HandOver(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, c.wantChannel, tk.Channel)
			assert.Equal(t, c.fellBack, tk.FellBack)
			assert.Less(t, time.Since(began), 900*time.Millisecond, "never waits past the queue timeout")
			if c.fellBack {
				require.Len(t, cases.reqs, 1)
				assert.Equal(t, req.ConversationID, cases.reqs[0].ConversationID)
			} else {
				assert.Equal(t, "chat-42", tk.Reference)
				assert.Empty(t, cases.reqs)
			}
		})
	}

	t.Run("citizen leaves", func(t *testing.T) {
		cases := &caseHandover{}
		h := &assistant.LiveChatHandover{Chat: liveChat{delay: -1}, Fallback: cases, QueueTimeout: time.Minute}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := h.HandOver(ctx, req)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Empty(t, cases.reqs, "no case for a request that was abandoned")
	})
}

type fakeGenerator struct {
	draft assistant.Draft
	got   assistant.GenerateRequest
}

func (g *fakeGenerator) Generate(_ context.Context, r assistant.GenerateRequest) (assistant.Draft, error) {
	g.got = r
	return g.draft, nil
}

func TestGeneratorMustCiteRetrievedPassages(t *testing.T) {
	for name, c := range map[string]struct {
		draft     assistant.Draft
		generated bool
	}{
		"grounded":          {assistant.Draft{Text: "Een eID kost 25 euro.", Cites: []string{"identiteitskaart"}}, true},
		"cites unretrieved": {assistant.Draft{Text: "Een eID kost 10 euro.", Cites: []string{"identiteitskaart", "reispas"}}, false},
		"cites nothing":     {assistant.Draft{Text: "Een eID kost 10 euro."}, false},
		"says nothing":      {assistant.Draft{Cites: []string{"identiteitskaart"}}, false},
	} {
		t.Run(name, func(t *testing.T) {
			g := &fakeGenerator{draft: c.draft}
			f := newFixture(t, func(cfg *assistant.Config) { cfg.Generator = g })
			r := f.ask(t, assistant.Question{Text: "wat kost een identiteitskaart? mail an@example.be"})
			assert.Equal(t, c.generated, r.Generated)
			assert.NotContains(t, g.got.Question, "an@example.be", "the generator sees the redacted question")
			require.NotEmpty(t, g.got.Passages)
			assert.Equal(t, "identiteitskaart", r.Sources[0].EntryID)
			if c.generated {
				assert.Equal(t, c.draft.Text, r.Text)
			} else {
				assert.Contains(t, r.Text, "€ 25,00", "the extractive answer instead")
			}
		})
	}
}

func TestConversationBoundedRedactedAndExpiring(t *testing.T) {
	f := newFixture(t, func(c *assistant.Config) { c.TTL = 10 * time.Minute })
	r := f.ask(t, assistant.Question{Text: "mijn rijksregisternummer is 85.07.30-033.28, wat kost een rijbewijs?"})
	id := r.ConversationID
	for range assistant.MaxTurns {
		f.ask(t, assistant.Question{ConversationID: id, Text: "en grofvuil?"})
	}
	c, err := f.svc.Conversation(context.Background(), id)
	require.NoError(t, err)
	assert.Len(t, c.Turns, assistant.MaxTurns, "bounded")
	stored, err := json.Marshal(c)
	require.NoError(t, err)
	assert.NotContains(t, string(stored), "85.07.30")

	f.clock.Advance(11 * time.Minute)
	_, err = f.svc.Conversation(context.Background(), id)
	assert.ErrorIs(t, err, assistant.ErrNotFound)
	r = f.ask(t, assistant.Question{ConversationID: id, Text: "wat kost een rijbewijs"})
	assert.NotEqual(t, id, r.ConversationID, "an expired conversation starts anew")
	n, err := f.svc.Sweep(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestStatisticsKeepOnlyFlags(t *testing.T) {
	f := newFixture(t, nil)
	f.ask(t, assistant.Question{Text: "wat kost een rijbewijs, mail an@example.be"})
	f.ask(t, assistant.Question{Text: "wat kost een rijbewijs"})
	f.ask(t, assistant.Question{Text: "wie wint de tour"})
	day := calendar.DateIn(start)
	got, err := f.svc.Outcomes(context.Background(), day, day)
	require.NoError(t, err)
	assert.Equal(t, []assistant.OutcomeCount{
		{Outcome: assistant.Outcome{Day: day, Intent: assistant.IntentInformation, EntryID: "rijbewijs", Resolved: true}, Count: 2},
		{Outcome: assistant.Outcome{Day: day, Intent: assistant.IntentOutOfScope}, Count: 1},
	}, got)
}

func TestAskValidation(t *testing.T) {
	f := newFixture(t, nil)
	for name, c := range map[string]struct {
		q     assistant.Question
		field string
	}{
		"empty":        {assistant.Question{Text: "  "}, "text"},
		"too long":     {assistant.Question{Text: strings.Repeat("a", assistant.MaxQuestion+1)}, "text"},
		"control":      {assistant.Question{Text: "hallo\x00"}, "text"},
		"bad utf-8":    {assistant.Question{Text: "\xff"}, "text"},
		"language":     {assistant.Question{Text: "hallo", Language: "fr"}, "language"},
		"empty person": {assistant.Question{Text: "hallo", Person: &assistant.Person{}}, "person.id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Ask(context.Background(), c.q)
			var ve *assistant.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(c.field)
			assert.True(t, ok, "%v", ve)
		})
	}
	_, err := assistant.NewService(assistant.Config{})
	assert.ErrorIs(t, err, assistant.ErrValidation)
	r := f.ask(t, assistant.Question{Text: "wat kost een rijbewijs"})
	_, err = f.svc.HandOver(context.Background(), r.ConversationID, &assistant.Person{})
	assert.ErrorIs(t, err, assistant.ErrValidation)
	_, err = f.svc.HandOver(context.Background(), uuid.New(), nil)
	assert.ErrorIs(t, err, assistant.ErrNotFound)
}

func FuzzAsk(f *testing.F) {
	for _, s := range []string{"wat kost een identiteitskaart", "de tweede", "Kerkstraat 12", "ik wil een medewerker spreken", "\u00e9\u0301", "waar staat mijn dossier"} {
		f.Add(s)
	}
	fx := newFixture(&testing.T{}, func(c *assistant.Config) { c.Handover = &caseHandover{}; c.Dossiers = &fakeDossiers{} })
	f.Fuzz(func(t *testing.T, text string) {
		r, err := fx.svc.Ask(context.Background(), assistant.Question{Text: text, Person: &assistant.Person{ID: "p"}})
		if err != nil {
			require.True(t, errors.Is(err, assistant.ErrValidation), "%v", err)
			return
		}
		assert.NotEmpty(t, r.Text)
		c, err := fx.svc.Conversation(context.Background(), r.ConversationID)
		require.NoError(t, err)
		for _, turn := range c.Turns {
			assert.Equal(t, turn.Text, assistant.Redact(turn.Text), "stored text is redacted")
		}
	})
}

// Entries outside their validity period are not answered from.
func TestReloadKeepsValidEntries(t *testing.T) {
	f := newFixture(t, nil)
	ended := assistant.Entry{ID: "kerstmarkt-2025", Title: "Standplaats kerstmarkt 2025", Description: "Een standplaats op de kerstmarkt van 2025.",
		Keywords: []string{"kerstmarkt", "standplaats"}, ValidUntil: calendar.NewDate(2026, 1, 6)}
	future := assistant.Entry{ID: "kerstmarkt-2026", Title: "Standplaats kerstmarkt 2026", Description: "Een standplaats op de kerstmarkt van 2026.",
		Keywords: []string{"kerstmarkt", "standplaats"}, ValidFrom: calendar.NewDate(2026, 9, 1)}
	require.NoError(t, f.svc.Import(context.Background(), []assistant.Entry{ended, future}))
	r := f.ask(t, assistant.Question{Text: "standplaats kerstmarkt"})
	assert.Equal(t, assistant.IntentOutOfScope, r.Intent, "neither is valid on 2 March 2026")

	f.clock.Set(time.Date(2026, 9, 2, 9, 0, 0, 0, clock.Brussels))
	require.NoError(t, f.svc.Reload(context.Background()))
	r = f.ask(t, assistant.Question{Text: "standplaats kerstmarkt"})
	require.Len(t, r.Sources, 1)
	assert.Equal(t, "kerstmarkt-2026", r.Sources[0].EntryID)
}

package assistant_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
)

func TestIntents(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range []struct {
		text string
		want assistant.Intent
	}{
		{"ik wil met een medewerker spreken", assistant.IntentHandover},
		{"kan ik iemand aan de lijn krijgen, met een echte mens praten", assistant.IntentHandover},
		{"can I talk to a person", assistant.IntentHandover},
		{"waar staat mijn aanvraag voor een bouwvergunning", assistant.IntentDossier},
		{"what is the status of my application", assistant.IntentDossier},
		{"ik wil een afspraak maken voor een nieuwe identiteitskaart", assistant.IntentAppointment},
		{"book an appointment for my passport", assistant.IntentAppointment},
		{"de straatverlichting in mijn straat werkt niet meer", assistant.IntentReport},
		{"er ligt een sluikstort aan de glasbol", assistant.IntentReport},
		{"I want to report a pothole", assistant.IntentReport},
		{"wat kost een rijbewijs", assistant.IntentInformation},
		{"hoe lang duurt een identiteitskaart", assistant.IntentInformation},
	} {
		r, err := f.svc.Ask(context.Background(), assistant.Question{Text: c.text})
		require.NoError(t, err)
		assert.Equal(t, c.want, r.Intent, c.text)
	}
}

// A handover asked for in the very first message publishes its event too.
func TestHandoverInFirstMessage(t *testing.T) {
	h := &caseHandover{}
	f := newFixture(t, func(c *assistant.Config) { c.Handover = h })
	r := f.ask(t, assistant.Question{Text: "ik wil een medewerker spreken", Person: &assistant.Person{ID: "p"}})
	require.NotNil(t, r.Handover)
	assert.Equal(t, []string{assistant.EventHandedOver}, f.rec.Types())
	c, err := f.svc.Conversation(context.Background(), r.ConversationID)
	require.NoError(t, err)
	assert.Equal(t, "2026-000777", c.Handover.Reference)
	require.Len(t, h.reqs, 1)
	assert.Len(t, h.reqs[0].Transcript, 1)
}

func FuzzRetrieve(f *testing.F) {
	entries, items := loadEval(f)
	ix := assistant.NewIndex(entries, assistant.Options{})
	for _, it := range items[:40] {
		f.Add(it.Q)
	}
	f.Add("")
	f.Add("\xff\xfe kaartje-s'n --- é́́́́")
	f.Fuzz(func(t *testing.T, q string) {
		r, err := ix.Retrieve(context.Background(), q, 5)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(r.Hits), 5)
		if len(r.Hits) == 0 {
			assert.True(t, r.OutOfScope)
		}
		for i, h := range r.Hits {
			assert.GreaterOrEqual(t, h.Coverage, 0.0)
			assert.LessOrEqual(t, h.Coverage, 1.0+1e-9)
			if i > 0 {
				assert.LessOrEqual(t, h.Score, r.Hits[i-1].Score)
			}
		}
	})
}

package wiring

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

func TestTranscriptKeepsTheNewestTurnsWithinTheLimit(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	r := assistant.HandoverRequest{Reason: "out_of_scope"}
	for i := range assistant.MaxTurns {
		r.Transcript = append(r.Transcript, assistant.Turn{At: at, From: assistant.FromCitizen, Text: strings.Repeat("é", 900) + " beurt " + string(rune('a'+i))})
	}
	got := Transcript(r)
	assert.LessOrEqual(t, len(got), maxTranscript)
	assert.True(t, utf8.ValidString(got))
	assert.True(t, strings.HasPrefix(got, "Vraag doorgegeven door de virtuele assistent (de assistent kon ze niet beantwoorden)."))
	assert.Contains(t, got, "beurt t", "the newest turn is kept")
	assert.NotContains(t, got, "beurt a", "the oldest goes first")
	assert.Contains(t, got, "Burger (10:30): ", "times in Brussels")

	// One turn too long on its own is cut, not dropped.
	r.Transcript = []assistant.Turn{{At: at, From: assistant.FromAssistant, Text: strings.Repeat("ü", 6000)}}
	got = Transcript(r)
	assert.LessOrEqual(t, len(got), maxTranscript)
	assert.True(t, utf8.ValidString(got))
	assert.Contains(t, got, "Assistent (10:30): üü")
}

func TestAssistantAdaptersServeOnlyTheSignedInVisitor(t *testing.T) {
	an := frontoffice.Visitor{Subject: "an", INSZ: "85073003328"}
	ctx := frontoffice.WithVisitor(context.Background(), an)
	d := AssistantDossiers{Sources: []DossierSource{sectionOf{
		frontoffice.DossierItem{Reference: "A-1", Subject: "Straatverlichting", Status: "Afgehandeld", Done: true},
		frontoffice.DossierItem{Reference: "A-2", Subject: "Voetpad", Status: "Gemeld", Link: "/mijn-dossiers/x"},
	}}}

	got, err := d.Dossiers(ctx, assistant.Person{ID: "an"})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, assistant.DossierStatus{Reference: "A-2", Title: "Meldingen: Voetpad", Status: "Gemeld", URL: "/mijn-dossiers/x"}, got[0], "open dossiers first")
	assert.Equal(t, "A-1", got[1].Reference)

	_, err = d.Dossiers(ctx, assistant.Person{ID: "mohamed"})
	assert.ErrorIs(t, err, errNotTheVisitor, "never for someone other than the visitor")
	_, err = d.Dossiers(context.Background(), assistant.Person{ID: "an"})
	assert.ErrorIs(t, err, errNotTheVisitor, "never without a signed-in visitor")

	h := AssistantHandover{}
	_, err = h.HandOver(ctx, assistant.HandoverRequest{ConversationID: uuid.Must(uuid.NewV7()), Person: &assistant.Person{ID: "mohamed"}})
	assert.ErrorIs(t, err, errNotTheVisitor)
	_, err = h.HandOver(ctx, assistant.HandoverRequest{ConversationID: uuid.Must(uuid.NewV7())})
	assert.Error(t, err, "an anonymous handover files no case")
}

// sectionOf is a block's section with the given items, for any visitor.
type sectionOf []frontoffice.DossierItem

func (s sectionOf) Dossiers(context.Context, frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return frontoffice.DossierSection{Title: "Meldingen", Items: s}, nil
}

package delivery_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
)

func paperPref(p *delivery.Preference) error {
	p.Preferred = delivery.ChannelPaper
	p.Address = &deliverytest.Address
	return nil
}

func sentEvidence(t *testing.T) (*delivery.Service, delivery.Delivery, []delivery.Evidence) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", paperPref)
	require.NoError(t, err)
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	disp := &delivery.Dispatcher{Store: s, Clock: clk, Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: paper}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	ev, err := s.Evidence(ctx, d.ID)
	require.NoError(t, err)
	require.NoError(t, delivery.VerifyChain(ev))
	return svc, d, ev
}

func TestEvidenceTampering(t *testing.T) {
	_, _, ev := sentEvidence(t)
	require.GreaterOrEqual(t, len(ev), 3)
	tamper := map[string]func([]delivery.Evidence) []delivery.Evidence{
		"changed content hash": func(e []delivery.Evidence) []delivery.Evidence { e[2].ContentSHA256 = "00"; return e },
		"changed time": func(e []delivery.Evidence) []delivery.Evidence {
			e[1].At = e[1].At.Add(-time.Hour)
			return e
		},
		"changed recipient": func(e []delivery.Evidence) []delivery.Evidence { e[2].Recipient = "someone else"; return e },
		"removed entry":     func(e []delivery.Evidence) []delivery.Evidence { return append(e[:1], e[2:]...) },
		"swapped entries":   func(e []delivery.Evidence) []delivery.Evidence { e[1], e[2] = e[2], e[1]; return e },
		"rehashed entry": func(e []delivery.Evidence) []delivery.Evidence {
			e[1].Detail = "forged"
			e[1].Hash = e[1].ComputeHash() // the next link still points at the old hash
			return e
		},
	}
	for name, f := range tamper {
		t.Run(name, func(t *testing.T) {
			c := f(append([]delivery.Evidence(nil), ev...))
			assert.ErrorIs(t, delivery.VerifyChain(c), delivery.ErrTampered)
		})
	}
}

func TestEvidenceExport(t *testing.T) {
	svc, d, ev := sentEvidence(t)
	b, err := svc.ExportEvidence(context.Background(), d.ID)
	require.NoError(t, err)
	var x delivery.EvidenceExport
	require.NoError(t, json.Unmarshal(b, &x))
	assert.Equal(t, d.ID, x.DocumentID)
	assert.Equal(t, ev[len(ev)-1].Hash, x.Head)
	require.NoError(t, delivery.VerifyChain(x.Entries), "the export verifies on its own")
	var sent *delivery.Evidence
	for i := range x.Entries {
		if x.Entries[i].Kind == delivery.EvidenceSent {
			sent = &x.Entries[i]
		}
	}
	require.NotNil(t, sent)
	assert.Equal(t, d.Document.ContentSHA256(), sent.ContentSHA256)
	assert.Equal(t, delivery.ChannelPaper, sent.Channel)
	assert.Contains(t, sent.Recipient, "9000 GENT")
}

func TestPaperDailyLimit(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", paperPref)
	require.NoError(t, err)
	for range 5 {
		_, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
		require.NoError(t, err)
	}
	paper := delivery.NewSimulatedChannel(delivery.ChannelPaper, clk)
	disp := &delivery.Dispatcher{Store: s, Clock: clk, PaperDailyLimit: 2,
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: paper}}
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, paper.Delivered())
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, paper.Delivered(), "limit reached today")
	clk.Set(calendar.DateIn(t0).AddDays(1).Start())
	_, err = disp.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, paper.Delivered())
}

func TestSubmitBadInput(t *testing.T) {
	ctx := context.Background()
	s := delivery.NewMemStore(nil)
	svc := delivery.NewService(s, clock.NewSettable(t0), nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	doc := deliverytest.Doc(deliverytest.Person)
	doc.Category = "unknown"
	_, err = svc.Submit(ctx, doc)
	assert.ErrorIs(t, err, delivery.ErrValidation)
	doc = deliverytest.Doc(deliverytest.Person)
	doc.Attachments = []delivery.Attachment{{Name: "x.pdf", Data: make([]byte, 2<<20)}}
	_, err = svc.Submit(ctx, doc)
	assert.ErrorIs(t, err, delivery.ErrAttachmentTooLarge)
	_, err = s.Get(ctx, doc.ID)
	assert.ErrorIs(t, err, delivery.ErrNotFound, "nothing stored")

	// No preference and no address: stored with an explicit outcome.
	doc = deliverytest.Doc(deliverytest.Enterprise)
	d, err := svc.Submit(ctx, doc)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateNoChannel, d.State)
	assert.Equal(t, delivery.OutcomeNoChannel, d.Decision.Outcome)
	ev, err := s.Evidence(ctx, doc.ID)
	require.NoError(t, err)
	require.Len(t, ev, 1)
	assert.Equal(t, delivery.EvidenceNoChannel, ev[0].Kind)
	assert.Contains(t, ev[0].Detail, "no_postal_address")
}

package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

func TestMemStore(t *testing.T) {
	deliverytest.Run(t, func(*testing.T) deliverytest.Harness {
		rec := &event.Recorder{}
		return deliverytest.Harness{Store: delivery.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}

func TestIDsAreVersion7(t *testing.T) {
	ctx := context.Background()
	var rec event.Recorder
	s := delivery.NewMemStore(&rec)
	svc := delivery.NewService(s, clock.NewSettable(deliverytest.Start), nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "burger", func(p *delivery.Preference) error {
		p.Preferred = delivery.ChannelPaper
		p.Address = &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	evs := rec.Events()
	require.GreaterOrEqual(t, len(evs), 2, "a preference and a delivery event")
	for _, e := range evs {
		assert.Equal(t, uuid.Version(7), e.ID.Version(), "event %s", e.Type)
	}
}

// FuzzServiceInput feeds the service's doors arbitrary text and years: it
// never panics, refuses what validate.Input refuses, and stores the rest.
func FuzzServiceInput(f *testing.F) {
	f.Add("Aanslagbiljet", "Uw aanslag", 2026)
	f.Add("a\x00b", "caf\xe9", 9999)
	f.Add("", "\r\n\t", 1899)
	f.Fuzz(func(t *testing.T, subject, body string, year int) {
		ctx := context.Background()
		svc := delivery.NewService(delivery.NewMemStore(nil), clock.NewSettable(deliverytest.Start), nil)
		_, err := svc.PutRule(ctx, deliverytest.TaxRule())
		require.NoError(t, err)
		doc := deliverytest.Doc(deliverytest.Person)
		doc.Subject, doc.Body = subject, body
		_, err = svc.Submit(ctx, doc)
		if err != nil {
			require.ErrorIs(t, err, delivery.ErrValidation)
		} else {
			require.Empty(t, firstProblem(subject, body))
		}
		at := time.Date(year%20000, 6, 1, 12, 0, 0, 0, time.UTC)
		_, err = svc.ChangePreference(ctx, deliverytest.Person, "burger", func(p *delivery.Preference) error {
			p.Preferred = delivery.ChannelEmail
			p.Email = "an@example.be"
			p.Consents = []delivery.Consent{{Channel: delivery.ChannelEmail, Given: true, At: at, Source: "webform"}}
			return nil
		})
		if year%20000 < calendar.MinYear || year%20000 > calendar.MaxYear {
			require.ErrorIs(t, err, delivery.ErrValidation)
		} else {
			require.NoError(t, err)
		}
	})
}

func firstProblem(texts ...string) string {
	for _, s := range texts {
		if rule, _ := validate.TextProblem(s); rule != "" {
			return rule
		}
	}
	return ""
}

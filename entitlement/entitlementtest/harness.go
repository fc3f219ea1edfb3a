package entitlementtest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// storeHarness hands the shared event subtests entitlement's operations: a
// grant is created by a run over one eligible subject (keyed runs share
// the subject of their key), changed by a revocation.
func storeHarness(_ *testing.T, h Harness) eventtest.StoreHarness {
	svc := entitlement.NewService(rules, h.Store, clock.NewSettable(t0))
	var n atomic.Int64
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			subject := fmt.Sprintf("harness-%d", n.Add(1))
			if key != "" {
				subject = "keyed-" + key
			}
			o := opts(calendar.NewDate(2026, 3, 1))
			o.IdempotencyKey = key
			if _, err := svc.Run(ctx, one(eligible(subject, nil)), o); err != nil {
				return uuid.Nil, err
			}
			g, err := svc.Current(ctx, subject, entitlement.BenefitUiTPASKansentarief)
			if err != nil {
				return uuid.Nil, err
			}
			return g.ID, nil
		},
		Change: func(ctx context.Context, grantID uuid.UUID) error {
			_, err := svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: grantID, Reason: "wrong data", Actor: "clerk-7"})
			return err
		},
		FailingChange: func(ctx context.Context, grantID uuid.UUID) error {
			_, err := h.Store.Update(ctx, grantID, func(g *entitlement.Grant) (entitlement.GrantChange, error) {
				g.Status = entitlement.GrantRevoked
				e := event.Event{ID: id.New(), Type: entitlement.EventRevoked, AggregateID: g.ID, Time: t0, Payload: entitlement.GrantEvent{GrantID: g.ID}}
				return entitlement.GrantChange{Events: []event.Event{e}}, errors.New("the decision is not signed")
			})
			return err
		},
		StaleChange: func(ctx context.Context, grantID uuid.UUID) error {
			_, err := svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: grantID, Version: 1, Reason: "fraud", Actor: "clerk-8"})
			return err
		},
	}
}

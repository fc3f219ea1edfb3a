package entitlement_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// FuzzRunIdempotencyKey: whatever key a caller gives a run, it is refused
// as a validation error, or the run grants once and its retry grants
// nothing, even after the grant was revoked; the key a grant keeps is
// bounded whatever the subject's ID.
func FuzzRunIdempotencyKey(f *testing.F) {
	for _, k := range []string{"run:2026-03", "", "k\x00", "\xff", string(make([]byte, 256)), "é/ü"} {
		f.Add(k, "s1")
	}
	f.Fuzz(func(t *testing.T, key, subjectID string) {
		ctx := context.Background()
		svc := entitlement.NewService(ghent, entitlement.NewMemStore(nil), clock.NewSettable(benchDay.Start()))
		s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
		s.Reset(subjectID)
		_ = s.Set("resident", entitlement.Bool(true), prov)
		_ = s.Set("increased_allowance", entitlement.Bool(true), prov)
		opt := entitlement.RunOptions{Date: benchDay, Actor: "batch", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}, IdempotencyKey: key}
		rep, err := svc.Run(ctx, slices.Values([]*entitlement.Subject{s}), opt)
		if err != nil {
			require.ErrorIs(t, err, entitlement.ErrValidation)
			return
		}
		if rep.Granted == 0 {
			return // a subject ID no store keeps is reported faulty
		}
		g, err := svc.Current(ctx, subjectID, entitlement.BenefitUiTPASKansentarief)
		require.NoError(t, err)
		require.LessOrEqual(t, len(g.IdempotencyKey), idem.MaxKey+1+64)
		_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID, Reason: "test", Actor: "clerk"})
		require.NoError(t, err)
		rep, err = svc.Run(ctx, slices.Values([]*entitlement.Subject{s}), opt)
		require.NoError(t, err)
		if key == "" {
			require.Equal(t, 1, rep.Granted, "an unkeyed run grants anew")
		} else {
			require.Equal(t, 0, rep.Granted, "a retried run grants nobody twice")
		}
	})
}

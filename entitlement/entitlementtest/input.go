package entitlementtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Text no store should keep: a NUL byte (PostgreSQL refuses it in text
// and jsonb), invalid UTF-8, another control character.
var badTexts = map[string]string{"nul": "batch\x00", "utf8": "batch\xff\xfe", "control": "batch\x1b[2J"}

// eligible is one subject entitled to the UiTPAS discount, with the given
// ID and provenance (set through SetRaw, the door that checks nothing).
func eligible(id string, p *entitlement.Provenance) *entitlement.Subject {
	s := rules.Schema().NewSubject(id)
	sc := rules.Schema()
	s.Person.SetRaw(sc.MustID(entitlement.FactResident), 1, p)
	s.Person.SetRaw(sc.MustID(entitlement.FactIncreasedAllowance), 1, p)
	return s
}

func one(s *entitlement.Subject) func(func(*entitlement.Subject) bool) {
	return func(yield func(*entitlement.Subject) bool) { yield(s) }
}

// testInputAtTheEdges: every date the service accepts lies within
// calendar.MinYear..MaxYear and is a day of the calendar, and every text is valid, refused by the
// service with a validation error before any store sees it, so every store
// behaves the same.
func testInputAtTheEdges(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, st, clock.NewSettable(t0))
	day := calendar.NewDate(2026, 3, 1)
	good := &entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
	held := func() int {
		n := 0
		for _, err := range st.Held(ctx, entitlement.BenefitUiTPASKansentarief) {
			require.NoError(t, err)
			n++
		}
		return n
	}

	for _, d := range []calendar.Date{{Year: 9999, Month: 12, Day: 30}, {Year: 1, Month: 1, Day: 1}, {Year: 1899, Month: 12, Day: 31}, {Year: 2201, Month: 1, Day: 1}, {Year: 2026, Month: 2, Day: 30}} {
		_, err := svc.Run(ctx, one(eligible("p-date", good)), opts(d))
		require.ErrorIs(t, err, entitlement.ErrValidation, "run date %s", d)
		var ve *entitlement.ValidationError
		require.ErrorAs(t, err, &ve)
		_, ok := ve.Field("date")
		assert.True(t, ok, "%v", err)
		_, err = svc.Assess(ctx, "p-date", entitlement.BenefitUiTPASKansentarief, d)
		assert.ErrorIs(t, err, entitlement.ErrValidation, "assess date %s", d)
	}
	for name, bad := range badTexts {
		o := opts(day)
		o.Actor = bad
		_, err := svc.Run(ctx, one(eligible("p-actor", good)), o)
		assert.ErrorIs(t, err, entitlement.ErrValidation, "actor %s", name)
		o = opts(day)
		o.DecisionRef = bad
		_, err = svc.Run(ctx, one(eligible("p-ref", good)), o)
		assert.ErrorIs(t, err, entitlement.ErrValidation, "decision_ref %s", name)

		// A subject whose ID or provenance no store should keep is
		// reported faulty; the run goes on.
		rep, err := svc.Run(ctx, one(eligible(bad, good)), opts(day))
		require.NoError(t, err, "subject ID %s", name)
		assert.Equal(t, 0, rep.Granted)
		assert.Len(t, rep.Faulty, 1, "subject ID %s", name)
		rep, err = svc.Run(ctx, one(eligible("p-source-"+name, &entitlement.Provenance{Source: bad})), opts(day))
		require.NoError(t, err, "source %s", name)
		assert.Equal(t, 0, rep.Granted)
		assert.Len(t, rep.Faulty, 1, "source %s", name)
	}
	far := &entitlement.Provenance{Source: "x", RetrievedAt: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
	rep, err := svc.Run(ctx, one(eligible("p-retrieved", far)), opts(day))
	require.NoError(t, err)
	assert.Len(t, rep.Faulty, 1, "retrieved in 9999")
	assert.Equal(t, 0, held(), "nothing refused reached the store")

	// Facts set through Set are checked when set.
	s := rules.Schema().NewSubject("p-set")
	assert.ErrorIs(t, s.Set(entitlement.FactResident, entitlement.Bool(true), entitlement.Provenance{Source: "a\x00"}), entitlement.ErrValidation)
	assert.ErrorIs(t, s.Set(entitlement.FactResident, entitlement.Bool(true), entitlement.Provenance{Source: "a", ValidUntil: calendar.Date{Year: 9999, Month: 1, Day: 1}}), entitlement.ErrValidation)

	// Opt-out and revocation refuse bad text, and the grant stays as it was.
	rep, err = svc.Run(ctx, one(eligible("p-ok", good)), opts(day))
	require.NoError(t, err)
	require.Equal(t, 1, rep.Granted)
	cur, err := st.Current(ctx, "p-ok", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	for name, bad := range badTexts {
		_, err := svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: cur.ID, Reason: bad, Actor: "clerk"})
		assert.ErrorIs(t, err, entitlement.ErrValidation, "reason %s", name)
		_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: cur.ID, Reason: "moved", Actor: bad})
		assert.ErrorIs(t, err, entitlement.ErrValidation, "actor %s", name)
		assert.ErrorIs(t, svc.OptOut(ctx, "p-ok", entitlement.BenefitUiTPASKansentarief, bad, "citizen"), entitlement.ErrValidation, "reason %s", name)
		assert.ErrorIs(t, svc.OptOut(ctx, bad, entitlement.BenefitUiTPASKansentarief, "", "citizen"), entitlement.ErrValidation, "subject %s", name)
	}
	got, err := st.Get(ctx, cur.ID)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantActive, got.Status)
	_, err = st.OptOutOf(ctx, "p-ok", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	assert.Equal(t, 1, held())
}

// testLookupWithBadText: a look-up key that is not text (a NUL byte,
// invalid UTF-8, a control character, more than 64 KiB) is refused at the
// service's door with a validation error naming the key, whatever the
// store: PostgreSQL must never see the bytes.
func testLookupWithBadText(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, st, clock.NewSettable(t0))
	bads := map[string]string{"long": strings.Repeat("x", validate.MaxText+1)}
	for name, bad := range badTexts {
		bads[name] = bad
	}
	field := func(t *testing.T, err error, want string) {
		t.Helper()
		var ve *entitlement.ValidationError
		require.ErrorAs(t, err, &ve)
		_, ok := ve.Field(want)
		assert.True(t, ok, "field %s in %v", want, err)
	}
	first := func(seq func(func(entitlement.Grant, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	for name, bad := range bads {
		t.Run(name, func(t *testing.T) {
			_, err := svc.Current(ctx, bad, entitlement.BenefitUiTPASKansentarief)
			field(t, err, "subject_id")
			_, err = svc.Current(ctx, "p1", bad)
			field(t, err, "benefit")
			_, err = svc.OptOutOf(ctx, bad, entitlement.BenefitUiTPASKansentarief)
			field(t, err, "subject_id")
			_, err = svc.OptOutOf(ctx, "p1", bad)
			field(t, err, "benefit")
			field(t, first(svc.Grants(ctx, bad)), "subject_id")
			field(t, first(svc.Held(ctx, bad)), "benefit")
			var auditErr error
			for _, err := range svc.Audit(ctx, bad) {
				auditErr = err
				break
			}
			field(t, auditErr, "subject_id")
			_, err = svc.Assess(ctx, bad, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
			field(t, err, "subject_id")
		})
	}
	// A good key that nobody has is still simply not found.
	_, err := svc.Current(ctx, "nobody", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
}

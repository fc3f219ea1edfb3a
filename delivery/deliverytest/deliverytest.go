// Package deliverytest is the conformance suite every delivery.Store passes:
// the in-memory store and the PostgreSQL store run the very same tests,
// including the concurrency and crash-resume ones.
package deliverytest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Person is a valid test person.
var Person = delivery.Party{Kind: delivery.Person, ID: "85073003328"}

// Enterprise is a valid test enterprise.
var Enterprise = delivery.Party{Kind: delivery.Enterprise, ID: "0403012234"}

// Address is a valid Belgian postal address.
var Address = pii.Address{Street: "Grote Markt", Number: "1", PostalCode: "9000", Municipality: "Gent"}

// Start is the suite's starting time.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

// TaxRule is a category rule with an e-mail channel, verified addresses,
// read confirmation and a paper fallback after 14 days or on failure.
func TaxRule() delivery.Rule {
	return delivery.Rule{Category: "tax", Allowed: []delivery.ChannelKind{delivery.ChannelEmail, delivery.ChannelBurgerprofiel, delivery.ChannelPaper},
		RequireVerifiedEmail: true, ReadConfirmation: true,
		Fallback:      delivery.Fallback{AfterDaysUnread: 14, OnPermanentFailure: true},
		RetentionDays: 3650, MaxAttachmentBytes: 1 << 20}
}

// Doc returns a document of category "tax" for p.
func Doc(p delivery.Party) delivery.Document {
	return delivery.Document{ID: uuid.New(), Party: p, Category: "tax", Subject: "Aanslagbiljet", Body: "Uw aanslag",
		Name: pii.Name{Given: "An", Family: "Peeters"}}
}

// Run runs the suite against stores made by newHarness (a fresh, empty
// store per call), the shared event subtests (eventtest.StoreEvents)
// included.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	newStore := func(t *testing.T) delivery.Store { return newHarness(t).Store }
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	t.Run("Preferences", func(t *testing.T) { testPreferences(t, newStore(t)) })
	t.Run("Rules", func(t *testing.T) { testRules(t, newStore(t)) })
	t.Run("EnqueueIdempotent", func(t *testing.T) { testEnqueue(t, newStore(t)) })
	t.Run("IdempotentSubmit", func(t *testing.T) { testIdempotentSubmit(t, newHarness(t)) })
	t.Run("ClaimAndLease", func(t *testing.T) { testClaim(t, newStore(t)) })
	t.Run("ConcurrentClaimers", func(t *testing.T) { testConcurrentClaim(t, newStore(t)) })
	t.Run("ConcurrentPaperReservations", func(t *testing.T) { testPaper(t, newStore(t)) })
	t.Run("ConcurrentPreferenceUpdates", func(t *testing.T) { testConcurrentPrefs(t, newStore(t)) })
	t.Run("DispatchFallbackAndEvidence", func(t *testing.T) { testDispatch(t, newStore(t)) })
	t.Run("CrashBetweenSendAndAck", func(t *testing.T) { testCrash(t, newStore(t)) })
	t.Run("KilledDuringSend", func(t *testing.T) { testKilledDuringSend(t, newStore(t)) })
	t.Run("LateAckAfterLeaseExpired", func(t *testing.T) { testLateAck(t, newStore(t)) })
	t.Run("ConcurrentDispatchers", func(t *testing.T) { testConcurrentDispatchers(t, newStore(t)) })
	t.Run("ClaimAheadGivenBack", func(t *testing.T) { testClaimAheadGivenBack(t, newStore(t)) })
	t.Run("BadTextAndDates", func(t *testing.T) { testBadInput(t, newStore(t)) })
	t.Run("UpdateManyIsOneWriteWithPerDeliveryErrors", func(t *testing.T) { testUpdateMany(t, newStore(t)) })
	t.Run("StoreRulesAreThePackages", func(t *testing.T) { testStoreRules(t, newStore(t)) })
	t.Run("DocumentsOfARecipient", func(t *testing.T) { testDocuments(t, newStore(t)) })
}

func setup(t *testing.T, s delivery.Store, c clock.Clock) *delivery.Service {
	t.Helper()
	svc := delivery.NewService(s, c, nil)
	_, err := svc.PutRule(context.Background(), TaxRule())
	require.NoError(t, err)
	return svc
}

func emailPref(p *delivery.Preference) error {
	p.Preferred = delivery.ChannelEmail
	p.Email = "an@example.be"
	p.EmailVerified = true
	p.Address = &Address
	p.Consents = append(p.Consents, delivery.Consent{Channel: delivery.ChannelEmail, Given: true, At: Start, Source: "webform"})
	return nil
}

func testPreferences(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := s.Preference(ctx, Person)
	assert.ErrorIs(t, err, delivery.ErrNotFound)
	p1, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	assert.Equal(t, 1, p1.Version)
	_, err = svc.ChangePreference(ctx, Person, "loket", func(p *delivery.Preference) error {
		p.Preferred = delivery.ChannelPaper
		return nil
	})
	require.NoError(t, err)
	got, err := s.Preference(ctx, Person)
	require.NoError(t, err)
	assert.Equal(t, delivery.ChannelPaper, got.Preferred)
	assert.Equal(t, "an@example.be", string(got.Email))
	require.NotNil(t, got.Address)
	assert.Equal(t, "Gent", got.Address.Municipality)
	hist, err := s.PreferenceHistory(ctx, Person)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, delivery.ChannelEmail, hist[0].Preferred)
	assert.Equal(t, "loket", hist[1].ChangedBy)
	require.Len(t, hist[0].Consents, 1)
	assert.Equal(t, "webform", hist[0].Consents[0].Source)

	// Bad input stores nothing.
	_, err = svc.ChangePreference(ctx, Person, "burger", func(p *delivery.Preference) error {
		p.Overrides = map[delivery.Category]delivery.ChannelKind{"tax": delivery.ChannelEBox}
		return nil
	})
	assert.ErrorIs(t, err, delivery.ErrChannelNotAllowed)
	hist, _ = s.PreferenceHistory(ctx, Person)
	assert.Len(t, hist, 2)
	// A stale version loses.
	err = s.UpdatePreference(ctx, Person, func(p *delivery.Preference, _ bool) ([]event.Event, error) { return nil, nil })
	assert.ErrorIs(t, err, delivery.ErrConflict)
}

func testRules(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	r := TaxRule()
	r.Fallback.AfterDaysUnread = 7
	r2, err := svc.PutRule(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, 2, r2.Version)
	got, err := s.Rule(ctx, "tax")
	require.NoError(t, err)
	assert.Equal(t, 7, got.Fallback.AfterDaysUnread)
	assert.Equal(t, 2, got.Version)
	r.Version = 2
	assert.ErrorIs(t, s.PutRule(ctx, r), delivery.ErrConflict)
	_, err = s.Rule(ctx, "none")
	assert.ErrorIs(t, err, delivery.ErrNotFound)
}

func testEnqueue(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	doc := Doc(Person)
	d1, err := svc.Submit(ctx, doc)
	require.NoError(t, err)
	assert.Equal(t, delivery.ChannelEmail, d1.Decision.Channel)
	d2, err := svc.Submit(ctx, doc)
	require.NoError(t, err, "same document, same content: ignored duplicate")
	assert.Equal(t, d1.ContentSHA256, d2.ContentSHA256)
	doc.Body = "other"
	_, err = svc.Submit(ctx, doc)
	assert.ErrorIs(t, err, delivery.ErrConflict)
	ev, err := s.Evidence(ctx, doc.ID)
	require.NoError(t, err)
	require.Len(t, ev, 1)
	assert.NoError(t, delivery.VerifyChain(ev))
	_, err = s.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, delivery.ErrNotFound)
}

func testClaim(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	d, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)
	got, err := s.Claim(ctx, Start.Add(-time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, got, "not due yet")
	got, err = s.Claim(ctx, Start, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, d.ID, got[0].ID)
	assert.NotEqual(t, uuid.Nil, got[0].LeaseID)
	again, err := s.Claim(ctx, Start.Add(30*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again, "leased")
	again, err = s.Claim(ctx, Start.Add(2*time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, again, 1, "lease expired")
	assert.NotEqual(t, got[0].LeaseID, again[0].LeaseID)

	// A failing update changes nothing.
	boom := errors.New("boom")
	_, err = s.Update(ctx, d.ID, func(d *delivery.Delivery) (delivery.Change, error) {
		d.State = delivery.StateFailed
		return delivery.Change{}, boom
	})
	assert.ErrorIs(t, err, boom)
	cur, err := s.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StateActive, cur.State)
	_, err = s.Update(ctx, uuid.New(), func(*delivery.Delivery) (delivery.Change, error) { return delivery.Change{}, nil })
	assert.ErrorIs(t, err, delivery.ErrNotFound)
}

func testConcurrentClaim(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	const n = 40
	for range n {
		_, err := svc.Submit(ctx, Doc(Person))
		require.NoError(t, err)
	}
	var mu sync.Mutex
	seen := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.Claim(ctx, Start, time.Minute, 3)
				if !assert.NoError(t, err) || len(got) == 0 {
					return
				}
				mu.Lock()
				for _, d := range got {
					seen[d.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, n)
	for id, c := range seen {
		assert.Equal(t, 1, c, "claimed twice: %s", id)
	}
}

func testPaper(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	day := calendar.NewDate(2026, 3, 2)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got, err := s.ReservePaper(ctx, day, 13)
				assert.NoError(t, err)
				if got {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(13), ok.Load())
	got, err := s.ReservePaper(ctx, day.AddDays(1), 13)
	require.NoError(t, err)
	assert.True(t, got, "a new day has fresh slots")
}

func testConcurrentPrefs(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	var wg sync.WaitGroup
	var okCount atomic.Int32
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.ChangePreference(ctx, Person, "loket", func(p *delivery.Preference) error {
				p.Consents = append(p.Consents, delivery.Consent{Channel: delivery.ChannelEBox, Given: i%2 == 0, At: Start, Source: "loket"})
				return nil
			})
			if err == nil {
				okCount.Add(1)
			} else {
				assert.ErrorIs(t, err, delivery.ErrConflict)
			}
		}()
	}
	wg.Wait()
	hist, err := s.PreferenceHistory(ctx, Person)
	require.NoError(t, err)
	assert.Len(t, hist, 1+int(okCount.Load()), "every successful change is one version")
	for i, p := range hist {
		assert.Equal(t, i+1, p.Version)
		assert.Len(t, p.Consents, i+1, "no lost update")
	}
}

// testBadInput checks that text no store can keep (a NUL byte, invalid
// UTF-8, control characters) and dates outside the calendar's horizon are
// refused by the service before any store sees them, so every store
// behaves the same.
func testBadInput(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	docs := map[string]func(*delivery.Document){
		"NUL in subject":     func(d *delivery.Document) { d.Subject = "Aanslag\x00" },
		"invalid UTF-8 body": func(d *delivery.Document) { d.Body = "caf\xe9" },
		"escape in name":     func(d *delivery.Document) { d.Name.Family = "\x1b[2J" },
		"NUL in attachment": func(d *delivery.Document) {
			d.Attachments = []delivery.Attachment{{Name: "a\x00.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}
		},
	}
	for name, spoil := range docs {
		doc := Doc(Person)
		spoil(&doc)
		_, err := svc.Submit(ctx, doc)
		assert.ErrorIs(t, err, delivery.ErrValidation, name)
		_, err = s.Get(ctx, doc.ID)
		assert.ErrorIs(t, err, delivery.ErrNotFound, "%s: nothing stored", name)
	}
	// Binary attachment content is not text and passes.
	doc := Doc(Person)
	doc.Attachments = []delivery.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Data: []byte{0, 0xff, 0x1b}}}
	_, err := svc.Submit(ctx, doc)
	assert.NoError(t, err)

	_, err = svc.ChangePreference(ctx, Person, "burger", func(p *delivery.Preference) error {
		p.Consents = append(p.Consents, delivery.Consent{Channel: delivery.ChannelEmail, Given: true, At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), Source: "webform"})
		return nil
	})
	assert.ErrorIs(t, err, delivery.ErrValidation, "a consent in the year 9999")
	_, err = s.Preference(ctx, Person)
	assert.ErrorIs(t, err, delivery.ErrNotFound, "no preference stored")
	_, err = svc.ChangePreference(ctx, Person, "loket\x00", emailPref)
	assert.ErrorIs(t, err, delivery.ErrValidation, "NUL in changed_by")
	_, err = s.Preference(ctx, Person)
	assert.ErrorIs(t, err, delivery.ErrNotFound, "no preference stored")
}

func testUpdateMany(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	var ids []uuid.UUID
	var ds []delivery.Delivery
	for range 4 {
		d, err := svc.Submit(ctx, Doc(Person))
		require.NoError(t, err)
		ids = append(ids, d.ID)
		ds = append(ds, d)
	}
	// The fourth changed since the caller read it: its copy is stale.
	_, err = s.Update(ctx, ids[3], func(d *delivery.Delivery) (delivery.Change, error) { return delivery.Change{}, nil })
	require.NoError(t, err)
	refused := errors.New("refused")
	unknown := ds[0]
	unknown.ID = uuid.New()
	failed, err := s.UpdateMany(ctx, []delivery.Delivery{ds[0], unknown, ds[1], ds[2], ds[3]}, func(i int, d *delivery.Delivery) (delivery.Change, error) {
		switch i {
		case 2:
			return delivery.Change{}, refused
		case 0:
			d.Document.Subject = "changed" // not progress: undone (ApplyProgress)
		case 3:
			d.Version++ // a rule may not touch the version
		}
		d.NextAt = Start.Add(time.Duration(i+1) * time.Hour)
		return delivery.Change{}, nil
	})
	require.NoError(t, err)
	require.Len(t, failed, 5)
	assert.NoError(t, failed[0])
	assert.ErrorIs(t, failed[1], delivery.ErrNotFound)
	assert.ErrorIs(t, failed[2], refused)
	assert.ErrorIs(t, failed[3], delivery.ErrConflict, "the rule touched the version")
	assert.ErrorIs(t, failed[4], delivery.ErrConflict, "a stale copy")
	d0, err := s.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.True(t, d0.NextAt.Equal(Start.Add(time.Hour)), "stored")
	assert.Equal(t, 2, d0.Version)
	assert.Equal(t, ds[0].Document.Subject, d0.Document.Subject, "UpdateMany changes progress only")
	for _, id := range ids[1:3] {
		d, err := s.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, 1, d.Version, "a delivery whose rule failed is untouched")
	}
	d3, err := s.Get(ctx, ids[3])
	require.NoError(t, err)
	assert.Equal(t, 2, d3.Version, "a stale copy changes nothing")
	assert.True(t, d3.NextAt.Equal(ds[3].NextAt), "a stale copy changes nothing")
}

package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

var t0 = deliverytest.Start

func consent(ch delivery.ChannelKind, given bool, at time.Time) delivery.Consent {
	return delivery.Consent{Channel: ch, Given: given, At: at, Source: "webform"}
}

func TestRoute(t *testing.T) {
	addr := deliverytest.Address
	rule := deliverytest.TaxRule()
	rule.Version = 3
	registered := delivery.Rule{Category: "tax", Version: 1, Allowed: []delivery.ChannelKind{delivery.ChannelPaper, delivery.ChannelEBox}, Registered: true, RetentionDays: 1}
	tests := []struct {
		name     string
		pref     delivery.Preference
		rule     delivery.Rule
		want     delivery.ChannelKind
		rejected []string
	}{
		{"no preference, address: paper", delivery.Preference{Address: &addr}, rule, delivery.ChannelPaper, nil},
		{"no preference, no address: no channel", delivery.Preference{}, rule, "", []string{"no_postal_address"}},
		{"verified e-mail with consent", delivery.Preference{Preferred: delivery.ChannelEmail, Email: "a@b.be", EmailVerified: true,
			Consents: []delivery.Consent{consent(delivery.ChannelEmail, true, t0)}}, rule, delivery.ChannelEmail, nil},
		{"unverified e-mail falls to paper", delivery.Preference{Preferred: delivery.ChannelEmail, Email: "a@b.be", Address: &addr,
			Consents: []delivery.Consent{consent(delivery.ChannelEmail, true, t0)}}, rule, delivery.ChannelPaper, []string{"email_unverified"}},
		{"withdrawn consent falls to paper", delivery.Preference{Preferred: delivery.ChannelEmail, Email: "a@b.be", EmailVerified: true, Address: &addr,
			Consents: []delivery.Consent{consent(delivery.ChannelEmail, true, t0), consent(delivery.ChannelEmail, false, t0.Add(time.Hour))}},
			rule, delivery.ChannelPaper, []string{"no_consent"}},
		{"override per category", delivery.Preference{Preferred: delivery.ChannelEmail, Email: "a@b.be", EmailVerified: true,
			Overrides: map[delivery.Category]delivery.ChannelKind{"tax": delivery.ChannelBurgerprofiel},
			Consents:  []delivery.Consent{consent(delivery.ChannelBurgerprofiel, true, t0)}}, rule, delivery.ChannelBurgerprofiel, nil},
		{"registered mail refuses e-mail", delivery.Preference{Preferred: delivery.ChannelEmail, Email: "a@b.be", EmailVerified: true, Address: &addr,
			Consents: []delivery.Consent{consent(delivery.ChannelEmail, true, t0)}}, registered, delivery.ChannelPaper, []string{"channel_not_allowed"}},
		{"registered mail on eBox", delivery.Preference{Preferred: delivery.ChannelEBox,
			Consents: []delivery.Consent{consent(delivery.ChannelEBox, true, t0)}}, registered, delivery.ChannelEBox, nil},
		{"nothing fits", delivery.Preference{Preferred: delivery.ChannelEmail}, rule, "", []string{"no_consent", "no_postal_address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pref.Party = deliverytest.Person
			tt.pref.Version = 2
			d := delivery.Route(tt.pref, tt.rule, t0)
			assert.Equal(t, tt.want, d.Channel)
			if tt.want == "" {
				assert.Equal(t, delivery.OutcomeNoChannel, d.Outcome)
			} else {
				assert.Equal(t, delivery.OutcomeRouted, d.Outcome)
			}
			var reasons []string
			for _, r := range d.Rejected {
				reasons = append(reasons, r.Reason)
			}
			assert.Equal(t, tt.rejected, reasons)
			assert.Equal(t, tt.rule.Version, d.RuleVersion)
			assert.Equal(t, 2, d.PreferenceVersion)
			assert.Equal(t, t0, d.DecidedAt)
			if tt.want.Digital() {
				require.NotNil(t, d.Consent)
				assert.Equal(t, "webform", d.Consent.Source)
			}
		})
	}
}

func TestCheckChannelErrors(t *testing.T) {
	rule := deliverytest.TaxRule()
	ok := []delivery.Consent{consent(delivery.ChannelEmail, true, t0), consent(delivery.ChannelBurgerprofiel, true, t0)}
	tests := []struct {
		pref delivery.Preference
		ch   delivery.ChannelKind
		want error
	}{
		{delivery.Preference{Consents: ok}, delivery.ChannelEmail, delivery.ErrNoEmail},
		{delivery.Preference{Consents: ok, Email: "a@b.be"}, delivery.ChannelEmail, delivery.ErrEmailUnverified},
		{delivery.Preference{}, delivery.ChannelPaper, delivery.ErrNoPostalAddress},
		{delivery.Preference{Consents: ok}, delivery.ChannelEBox, delivery.ErrChannelNotAllowed},
		{delivery.Preference{Party: deliverytest.Enterprise, Consents: ok}, delivery.ChannelBurgerprofiel, delivery.ErrChannelNotAllowed},
		{delivery.Preference{Email: "a@b.be", EmailVerified: true}, delivery.ChannelEmail, delivery.ErrNoConsent},
	}
	for _, tt := range tests {
		err := delivery.CheckChannel(tt.pref, rule, tt.ch)
		assert.ErrorIs(t, err, tt.want, "%s", tt.ch)
		assert.ErrorIs(t, err, delivery.ErrValidation)
	}
}

func TestValidateDocument(t *testing.T) {
	rule := deliverytest.TaxRule()
	doc := deliverytest.Doc(deliverytest.Person)
	require.NoError(t, delivery.ValidateDocument(doc, rule))
	big := doc
	big.Attachments = []delivery.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Data: make([]byte, rule.MaxAttachmentBytes+1)}}
	err := delivery.ValidateDocument(big, rule)
	assert.ErrorIs(t, err, delivery.ErrAttachmentTooLarge)
	var ve *delivery.ValidationError
	require.True(t, errors.As(err, &ve))
	_, found := ve.Field("attachments[0].data")
	assert.True(t, found)
	bad := doc
	bad.ID = uuid.Nil
	bad.Subject = ""
	bad.Party.ID = "123"
	require.True(t, errors.As(delivery.ValidateDocument(bad, rule), &ve))
	for _, f := range []string{"id", "subject", "party.id"} {
		_, found := ve.Field(f)
		assert.True(t, found, f)
	}
}

func TestPreferenceValidate(t *testing.T) {
	p := delivery.Preference{Party: deliverytest.Person, Preferred: delivery.ChannelPaper}
	var ve *delivery.ValidationError
	require.True(t, errors.As(p.Validate(), &ve))
	_, found := ve.Field("address")
	assert.True(t, found)
	p.Address = &pii.Address{Street: "x", Number: "1", PostalCode: "12", Municipality: "Gent"}
	p.Email = "not-an-email"
	require.True(t, errors.As(p.Validate(), &ve))
	for _, f := range []string{"address.postal_code", "email"} {
		_, found := ve.Field(f)
		assert.True(t, found, f)
	}
}

func TestRuleValidate(t *testing.T) {
	r := delivery.Rule{Category: "x", Allowed: []delivery.ChannelKind{delivery.ChannelEmail}, Registered: true,
		Fallback: delivery.Fallback{AfterDaysUnread: 3}}
	var ve *delivery.ValidationError
	require.True(t, errors.As(r.Validate(), &ve))
	for _, f := range []string{"allowed", "fallback.to", "retention_days"} {
		_, found := ve.Field(f)
		assert.True(t, found, f)
	}
	assert.NoError(t, deliverytest.TaxRule().Validate())
}

func TestStatusOrder(t *testing.T) {
	assert.True(t, delivery.StatusQueued.CanBecome(delivery.StatusSent))
	assert.True(t, delivery.StatusSent.CanBecome(delivery.StatusRead))
	assert.True(t, delivery.StatusSent.CanBecome(delivery.StatusReturned))
	assert.False(t, delivery.StatusRead.CanBecome(delivery.StatusDelivered))
	assert.False(t, delivery.StatusDelivered.CanBecome(delivery.StatusSent))
	assert.False(t, delivery.StatusReturned.CanBecome(delivery.StatusRead))
	assert.False(t, delivery.StatusSent.CanBecome("bogus"))
}

func FuzzParseIdempotencyKey(f *testing.F) {
	f.Add(delivery.IdempotencyKey(uuid.New(), delivery.ChannelEmail))
	f.Add("garbage")
	f.Add("00000000-0000-0000-0000-000000000000.paper")
	f.Fuzz(func(t *testing.T, s string) {
		d, ch, ok := delivery.ParseIdempotencyKey(s)
		if ok {
			assert.Equal(t, s, delivery.IdempotencyKey(d, ch))
		}
	})
}

func FuzzPreferenceValidate(f *testing.F) {
	f.Add("a@b.be", "9000", "email")
	f.Add("", "12", "paper")
	f.Fuzz(func(t *testing.T, email, postcode, ch string) {
		p := delivery.Preference{Party: deliverytest.Person, Preferred: delivery.ChannelKind(ch), Email: pii.Email(email),
			Address: &pii.Address{Street: "s", Number: "1", PostalCode: postcode, Municipality: "m"}}
		err := p.Validate()
		if err != nil {
			assert.ErrorIs(t, err, delivery.ErrValidation)
		}
	})
}

func FuzzValidateDocument(f *testing.F) {
	f.Add("Aanslag", "a.pdf", 10, "85073003328")
	f.Add("", "", 2<<20, "123")
	rule := deliverytest.TaxRule()
	f.Fuzz(func(t *testing.T, subject, name string, size int, party string) {
		if size < 0 || size > 2<<20 {
			return
		}
		doc := deliverytest.Doc(delivery.Party{Kind: delivery.Person, ID: party})
		doc.Subject = subject
		doc.Attachments = []delivery.Attachment{{Name: name, Data: make([]byte, size)}}
		err := delivery.ValidateDocument(doc, rule)
		if err != nil {
			assert.ErrorIs(t, err, delivery.ErrValidation)
		}
		assert.Equal(t, size > rule.MaxAttachmentBytes, errors.Is(err, delivery.ErrAttachmentTooLarge))
	})
}

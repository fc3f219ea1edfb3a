package subsidy_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// The references a call keeps are HMAC-SHA-256 (RFC 2104) of the applicant's
// number under the municipality's secret, so a database dump alone cannot
// be reversed by hashing every possible national register number.
func TestApplicantRefIsKeyedHMAC(t *testing.T) {
	ctx := context.Background()
	key := subsidytest.Key("gent-2026")
	svc := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)), subsidy.WithApplicantKeys(key))
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, subsidytest.Rules())
	require.NoError(t, err)
	in := subsidytest.Input(call.ID, "100")
	in.Applicant = subsidy.Applicant{Kind: subsidy.Person, INSZ: pii.INSZ("85.07.31-003.28"), Name: pii.Name{Given: "An", Family: "Peeters"},
		IBAN: subsidytest.ValidIBAN, Email: "an@example.be", Address: pii.Address{Street: "Kerkstraat", Number: "1", PostalCode: "9000", Municipality: "Gent"}}
	a, err := svc.CreateDraft(ctx, in)
	require.NoError(t, err)

	mac := hmac.New(sha256.New, key.Secret)
	mac.Write([]byte("insz:" + subsidytest.ValidINSZ))
	want := hex.EncodeToString(mac.Sum(nil))
	assert.Equal(t, want, a.ApplicantRef)
	unkeyed := sha256.Sum256([]byte("insz:" + subsidytest.ValidINSZ))
	assert.NotContains(t, a.ApplicantRef, hex.EncodeToString(unkeyed[:12]), "not the unkeyed hash anyone can recompute")

	c, err := svc.Call(ctx, call.ID)
	require.NoError(t, err)
	ref, err := svc.ApplicantRef(&c, in.Applicant)
	require.NoError(t, err)
	assert.Equal(t, want, ref)

	other := subsidy.NewService(subsidy.NewMemStore(nil), nil, subsidy.WithApplicantKeys(subsidytest.Key("brugge-2026")))
	c.ApplicantKeyID = "brugge-2026"
	ref, err = other.ApplicantRef(&c, in.Applicant)
	require.NoError(t, err)
	assert.NotEqual(t, want, ref, "another municipality's secret gives another reference")
}

func TestWithApplicantKeysRefusesWeakKeys(t *testing.T) {
	for name, keys := range map[string][]subsidy.ApplicantKey{
		"short secret": {{ID: "k", Secret: []byte("too short")}},
		"no id":        {{Secret: make([]byte, 32)}},
		"id twice":     {subsidytest.Key("k1"), subsidytest.Key("k1")},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Panics(t, func() {
				subsidy.NewService(subsidy.NewMemStore(nil), nil, subsidy.WithApplicantKeys(keys[0], keys[1:]...))
			})
		})
	}
}

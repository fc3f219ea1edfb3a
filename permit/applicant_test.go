package permit_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestApplicantID(t *testing.T) {
	for _, tt := range []struct {
		name string
		a    permit.Applicant
		want permit.ApplicantID
	}{
		{"an enterprise, by its KBO number", permit.Applicant{INSZ: "85073003328", KBO: "0403.170.701"}, "kbo:0403170701"},
		{"BE and spaces", permit.Applicant{KBO: "BE 0403 170 701"}, "kbo:0403170701"},
		{"the old nine-digit form", permit.Applicant{KBO: "403.170.701"}, "kbo:0403170701"},
		{"a person", permit.Applicant{INSZ: "85073003328"}, "insz:85073003328"},
		{"a person, formatted", permit.Applicant{INSZ: "85.07.30-033.28"}, "insz:85073003328"},
		{"known by name only", permit.Applicant{}, ""},
	} {
		assert.Equal(t, tt.want, tt.a.ID(), tt.name)
	}
	assert.Equal(t, permit.ApplicantID(""), permit.EnterpriseApplicant("BE"))
	assert.Equal(t, permit.ApplicantID(""), permit.PersonApplicant(pii.INSZ("-")))
}

// FuzzApplicantID checks that every valid KBO number gives one ID whatever
// its form, and that an ID holds only its prefix and digits.
func FuzzApplicantID(f *testing.F) {
	for _, s := range []string{"0403.170.701", "BE0403170701", "403170701", "85073003328", "", "\x00", "１２３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, id := range []permit.ApplicantID{permit.EnterpriseApplicant(s), permit.PersonApplicant(pii.INSZ(s))} {
			rest, ok := strings.CutPrefix(string(id), "kbo:")
			if !ok {
				rest, ok = strings.CutPrefix(string(id), "insz:")
			}
			if id == "" {
				continue
			}
			assert.True(t, ok, "%q", id)
			assert.NotEmpty(t, rest)
			assert.Equal(t, -1, strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }), "%q", id)
		}
		if validate.KBO(s) {
			plain := strings.NewReplacer(".", "", " ", "", "BE", "", "be", "").Replace(s)
			assert.Equal(t, permit.EnterpriseApplicant(plain), permit.EnterpriseApplicant(s))
			assert.Len(t, string(permit.EnterpriseApplicant(s)), len("kbo:")+10)
		}
	})
}

func TestRatingOrdered(t *testing.T) {
	lo, hi := uuid.UUID{1}, uuid.UUID{2}
	r := permit.Rating{A: hi, B: lo, Party: hi, ARevision: 3, BRevision: 7}
	o := r.Ordered()
	assert.Equal(t, permit.Rating{A: lo, B: hi, Party: hi, ARevision: 7, BRevision: 3}, o, "the revisions go with their sides")
	assert.Equal(t, o, o.Ordered())
	x, y := permit.Pair(hi, lo)
	assert.Equal(t, [2]uuid.UUID{lo, hi}, [2]uuid.UUID{x, y})
}

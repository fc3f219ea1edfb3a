package permit

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemStoreApplicantIndex checks that ByApplicant reads an index kept
// in step with every save, not a scan: the index holds exactly each
// applicant's applications and drops an applicant with none left.
func TestMemStoreApplicantIndex(t *testing.T) {
	ctx := context.Background()
	s := NewMemStore(nil)
	g, err := ParseGeometry([]byte(`{"type":"Point","coordinates":[4.40,51.21]}`), WGS84)
	require.NoError(t, err)
	an, bouw := PersonApplicant("85073003328"), EnterpriseApplicant("0403170701")
	a := &Application{ID: uuid.New(), Applicant: Applicant{INSZ: "85073003328"}, Location: g}
	b := &Application{ID: uuid.New(), Applicant: Applicant{KBO: "0403.170.701"}, Location: g}
	anonymous := &Application{ID: uuid.New(), Location: g}
	for _, x := range []*Application{a, b, anonymous} {
		require.NoError(t, s.Create(ctx, x, nil))
	}
	assert.Equal(t, map[ApplicantID]map[uuid.UUID]struct{}{an: {a.ID: {}}, bouw: {b.ID: {}}}, s.byApplicant)
	_, err = s.Update(ctx, a.ID, func(x *Application) (Change, error) {
		x.Applicant.KBO = "0403170701"
		return Change{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, map[ApplicantID]map[uuid.UUID]struct{}{bouw: {a.ID: {}, b.ID: {}}}, s.byApplicant)
}

// BenchmarkMemStoreByApplicant lists one applicant's three applications
// among n: with the index the cost does not grow with n.
func BenchmarkMemStoreByApplicant(b *testing.B) {
	g, err := ParseGeometry([]byte(`{"type":"Point","coordinates":[4.40,51.21]}`), WGS84)
	require.NoError(b, err)
	for _, n := range []int{1_000, 30_000} {
		s := NewMemStore(nil)
		ctx := context.Background()
		for i := range n {
			kbo := fmt.Sprintf("0%09d", i/3)
			require.NoError(b, s.Create(ctx, &Application{ID: uuid.New(), Applicant: Applicant{KBO: kbo}, Location: g}, nil))
		}
		who := []ApplicantID{EnterpriseApplicant(fmt.Sprintf("0%09d", n/6))}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				k := 0
				for _, err := range s.ByApplicant(ctx, who) {
					if err != nil {
						b.Fatal(err)
					}
					k++
				}
				if k != 3 {
					b.Fatalf("%d applications, want 3", k)
				}
			}
		})
	}
}

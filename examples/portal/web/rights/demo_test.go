package rights

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestDemoPopulationHasUniqueValidNumbers(t *testing.T) {
	reg := newDemoRegister(entitlement.MustCompile(entitlement.GhentExample()).Schema(),
		[]Resident{{ID: "an", INSZ: "85073003328"}, {ID: "mohamed", INSZ: "17073003384"}, {ID: "lotte", INSZ: "90020199704"}}, time.Now())
	seen := map[string]bool{}
	for s := range reg.population(1, nil) {
		assert.False(t, seen[s.ID], "subject %s twice", s.ID)
		seen[s.ID] = true
		n, ok := pii.ParseINSZ(s.ID)
		assert.True(t, ok, "%s is a valid national number", s.ID)
		assert.Equal(t, s.ID, string(n))
	}
	assert.Len(t, seen, generatedSubjects+3)
	assert.Equal(t, generatedSubjects+3, reg.size(1))
	assert.Less(t, reg.size(2), reg.size(1), "some move away from the second run on")
}

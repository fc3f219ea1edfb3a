package frontoffice

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// gate is a Gate that counts its "not found" answers.
type gate struct{ notFound int }

func (g *gate) NotFound(w http.ResponseWriter, r *http.Request) {
	g.notFound++
	http.NotFound(w, r)
}

func (g *gate) Contact(r *http.Request) (pii.Email, pii.Phone, pii.Address) {
	return "an@example.be", "+3250123456", pii.Address{Street: "Markt", Number: "1", PostalCode: "8000", Municipality: "Brugge"}
}

func TestPersonOf(t *testing.T) {
	ent := &Enterprise{KBO: "0203201340", Name: "Bakkerij Peeters"}
	v := Visitor{Subject: "sub-1", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters", Enterprise: ent}
	p := PersonOf(v)
	assert.Equal(t, &Person{ID: "sub-1", Name: pii.Name{Given: "An", Family: "Peeters"}, INSZ: "85073003328",
		Enterprise: &Enterprise{KBO: "0203201340", Name: "Bakkerij Peeters"}}, p)
	p.Enterprise.Name = "changed"
	assert.Equal(t, "Bakkerij Peeters", ent.Name, "the person has a copy of the visitor's enterprise")
	assert.Nil(t, PersonOf(Visitor{Subject: "c", Clerk: true}).Enterprise)
	assert.True(t, PersonOf(Visitor{Subject: "c", Clerk: true}).Clerk)
}

func TestPersonLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	g := &gate{}
	p := PersonOf(Visitor{Subject: "85073003328", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters"})
	p.Email, p.Phone, p.Address = g.Contact(nil)
	log.Info("filed", "person", p, "value", *p)
	out := buf.String()
	for _, clear := range []string{"85073003328", "Peeters", "an@example.be", "123456", "Markt"} {
		assert.NotContains(t, out, clear)
	}
	assert.Contains(t, out, `"contact":true`)
}

func TestRoleGuards(t *testing.T) {
	citizen := Visitor{Subject: "sub-1", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters"}
	clerk := Visitor{Subject: "sub-2", GivenName: "Bart", FamilyName: "Claes", Clerk: true}
	tests := []struct {
		name     string
		guard    func(Gate, PersonHandler) http.HandlerFunc
		visitor  *Visitor
		want     int // the status; 200 when the handler ran
		location string
	}{
		{"person, nobody signed in", RequirePerson, nil, http.StatusSeeOther, SignInPath},
		{"person, citizen", RequirePerson, &citizen, http.StatusOK, ""},
		{"person, clerk", RequirePerson, &clerk, http.StatusOK, ""},
		{"citizen, nobody signed in", RequireCitizen, nil, http.StatusSeeOther, SignInPath},
		{"citizen, citizen", RequireCitizen, &citizen, http.StatusOK, ""},
		{"citizen, clerk", RequireCitizen, &clerk, http.StatusNotFound, ""},
		{"clerk, nobody signed in", RequireClerk, nil, http.StatusSeeOther, SignInPath},
		{"clerk, citizen", RequireClerk, &citizen, http.StatusNotFound, ""},
		{"clerk, clerk", RequireClerk, &clerk, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &gate{}
			var got *Person
			h := tt.guard(g, func(w http.ResponseWriter, r *http.Request, p *Person) { got = p })
			r := httptest.NewRequest(http.MethodGet, "/pagina", nil)
			if tt.visitor != nil {
				r = r.WithContext(WithVisitor(context.Background(), *tt.visitor))
			}
			w := httptest.NewRecorder()
			h(w, r)
			assert.Equal(t, tt.want, w.Code)
			assert.Equal(t, tt.location, w.Header().Get("Location"))
			if tt.want != http.StatusOK {
				assert.Nil(t, got, "the handler must not run")
				assert.Equal(t, tt.want == http.StatusNotFound, g.notFound == 1)
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.visitor.Subject, got.ID)
			assert.Equal(t, tt.visitor.Clerk, got.Clerk)
			assert.Equal(t, pii.Email("an@example.be"), got.Email, "the contact details come from the gate")
			assert.Equal(t, "Brugge", got.Address.Municipality)
		})
	}
}

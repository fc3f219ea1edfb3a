package pii

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogsHidePersonalData(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	n, ok := ParseINSZ("85.07.30-033.28")
	require.True(t, ok)
	log.Info("x",
		"insz", n,
		"name", Name{Given: "Jan", Family: "Peeters"},
		"address", Address{Street: "Botermarkt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
		"email", Email("jan.peeters@example.be"),
		"phone", Phone("+32 9 123 45 67"))
	out := buf.String()
	for _, secret := range []string{"850730", "Jan", "Peeters", "Botermarkt", "jan.peeters", "123 45"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "*********28")
	assert.Contains(t, out, "J. P.")
	assert.Contains(t, out, "9000 Gent")
	assert.Contains(t, out, "j***@example.be")
}

func TestINSZ(t *testing.T) {
	n, ok := ParseINSZ("85073003328")
	require.True(t, ok)
	assert.Equal(t, "85.07.30-033.28", n.Formatted())
	_, ok = ParseINSZ("85073003329")
	assert.False(t, ok)
}

func TestAddressLines(t *testing.T) {
	a := Address{Street: "Botermarkt", Number: "1", Box: "3", PostalCode: "9000", Municipality: "Gent"}
	assert.Equal(t, []string{"Botermarkt 1 bus 3", "9000 GENT"}, a.Lines())
	a.Country = "NL"
	assert.Equal(t, "Botermarkt 1 bus 3, 9000 GENT, NL", a.String())
}

package frontoffice

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVisitorInContext(t *testing.T) {
	_, ok := VisitorFrom(context.Background())
	assert.False(t, ok)
	v := Visitor{Subject: "sub-1", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters",
		Enterprise: &Enterprise{KBO: "0203201340", Name: "Bakkerij Peeters"}}
	got, ok := VisitorFrom(WithVisitor(context.Background(), v))
	require.True(t, ok)
	assert.Equal(t, v, got)
}

func TestVisitorLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	v := Visitor{Subject: "85073003328", INSZ: "85073003328", GivenName: "An", FamilyName: "Peeters",
		Enterprise: &Enterprise{KBO: "0203201340", Name: "Bakkerij Peeters"}, Clerk: true}
	log.Info("signed in", "visitor", v)
	out := buf.String()
	assert.NotContains(t, out, "85073003328", "neither the INSZ nor a subject that is one")
	assert.NotContains(t, out, "073003", "no part of the INSZ beyond its last two digits")
	assert.NotContains(t, out, "Peeters")
	assert.NotContains(t, out, "An ")
	assert.Contains(t, out, `"insz":"*********28"`)
	assert.Contains(t, out, `"name":"A. P."`)
	assert.Contains(t, out, `"kbo":"0203201340"`)
	assert.Contains(t, out, `"clerk":true`)
	assert.Regexp(t, `"subject":"[0-9a-f]{12}"`, out)

	// The same subject logs the same way, so lines can be matched.
	buf.Reset()
	log.Info("again", "visitor", Visitor{Subject: "85073003328"})
	assert.Regexp(t, `"visitor":\{"subject":"[0-9a-f]{12}"\}`, buf.String())
	first := subjectOf(t, out)
	assert.Equal(t, first, subjectOf(t, buf.String()))

	buf.Reset()
	log.Info("nobody", "visitor", Visitor{})
	assert.Contains(t, buf.String(), `"msg":"nobody"`)
	assert.NotContains(t, buf.String(), `"insz"`)
}

func subjectOf(t *testing.T, line string) string {
	t.Helper()
	i := bytes.Index([]byte(line), []byte(`"subject":"`))
	require.GreaterOrEqual(t, i, 0)
	return line[i+11 : i+23]
}

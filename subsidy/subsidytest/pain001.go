package subsidytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// Pain001Schema is the path of the official ISO 20022 schema of
// pain.001.001.09 kept in subsidy/testdata (see the README there).
func Pain001Schema() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "pain.001.001.09.xsd")
}

// SchemaErrors validates doc against the pain.001.001.09 schema with
// xmllint and returns xmllint's complaints, or "" when doc is valid. The
// test is skipped when xmllint is not installed.
func SchemaErrors(t testing.TB, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("skipping: xmllint not found; install libxml2-utils")
	}
	f := filepath.Join(t.TempDir(), "pain001.xml")
	require.NoError(t, os.WriteFile(f, doc, 0o600))
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", Pain001Schema(), f).CombinedOutput()
	if err == nil {
		return ""
	}
	// xmllint exits 3 when the document breaks the schema and 1 when it is
	// not well-formed; anything else (4, 5: the schema did not load) is a
	// broken test, never a verdict on the document.
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "xmllint did not run: %s", out)
	require.Contains(t, []int{1, 3}, exit.ExitCode(), "xmllint could not check the document: %s", out)
	require.NotEmpty(t, out, "xmllint failed without saying why")
	return string(out)
}

// ValidPain001 fails the test when doc does not pass the pain.001.001.09
// schema (skipped without xmllint, see SchemaErrors).
func ValidPain001(t testing.TB, doc []byte) {
	t.Helper()
	if msg := SchemaErrors(t, doc); msg != "" {
		t.Fatalf("pain.001 output refused by the ISO 20022 schema:\n%s\n%s", msg, doc)
	}
}

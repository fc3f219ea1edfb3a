package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copiedModule is the module a municipality's team makes of the pages it
// takes: its own path, the SDK as a dependency.
const copiedModule = "example.com/loket"

// portalPath is this portal's import path; nothing under it may be needed
// by a copied block but records.
const portalPath = "github.com/lokaalbestuur/bouwstenen/examples/portal"

// hostMain is the smallest host of the permit pages: it implements their
// Site and composes them on in-memory stores.
const hostMain = `package main

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"

	"example.com/loket/permits"
	"example.com/loket/records"
)

type site struct{}

func (site) Render(w http.ResponseWriter, r *http.Request, status int, page *template.Template, title string, data any) {
	w.WriteHeader(status)
	_ = page.ExecuteTemplate(w, "content", map[string]any{"Title": title, "Data": data})
}
func (site) Message(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	http.Error(w, message, status)
}
func (site) Fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := frontoffice.Status(err)
	http.Error(w, msg, code)
}
func (site) NotFound(w http.ResponseWriter, r *http.Request)          { http.NotFound(w, r) }
func (site) Flash(w http.ResponseWriter, r *http.Request, msg string) {}
func (site) Confirm(w http.ResponseWriter, r *http.Request, c frontoffice.Confirmation) {
	http.Error(w, c.Question, http.StatusOK)
}
func (site) Contact(r *http.Request) (pii.Email, pii.Phone, pii.Address) {
	return "", "", pii.Address{}
}

func main() {
	cal := calendar.Flanders()
	pages, err := permits.New(site{}, slog.Default(), permits.Deps{
		Permits:  permit.NewService(permit.Config{Store: permit.NewMemStore(event.Discard), Clock: clock.Real{}, Calendar: cal, Catalogue: permit.DefaultCatalogue()}),
		Records:  records.NewMemPermits(),
		Types:    permit.DefaultCatalogue(),
		Calendar: cal,
		Clock:    clock.Real{},
		Payments: payment.NewService(payment.NewMemStore(event.Discard), clock.Real{}),
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	pages.Register(mux)
	_ = context.Background()
	_ = http.ListenAndServe("127.0.0.1:0", mux)
}
`

// TestPermitPagesBuildOutsideThisModule copies web/permits and records
// into a new module outside this one, as a municipality's team would, with
// the import of records rewritten to the new module and a small host of
// its own, and builds it. It fails when the block needs anything of the
// portal besides records.
func TestPermitPagesBuildOutsideThisModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module: not in -short")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	dir := t.TempDir()
	copyDir(t, "web/permits", filepath.Join(dir, "permits"))
	copyDir(t, "records", filepath.Join(dir, "records"))
	// The SDK's own requirements, as "go mod tidy" would copy them: with
	// them the go command needs no module outside the cache this module
	// was built with (without, it looks for old go.mod files of the
	// dependencies' dependencies, which an offline cache may lack).
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	_, requires, ok := strings.Cut(string(gomod), "\nrequire")
	require.True(t, ok, "the SDK's go.mod requires modules")
	for path, body := range map[string]string{
		"go.mod": "module " + copiedModule + "\n\ngo 1.26.0\n\nrequire github.com/lokaalbestuur/bouwstenen v0.0.0\n\nrequire" + requires +
			"\nreplace github.com/lokaalbestuur/bouwstenen => " + root + "\n",
		"cmd/loket/main.go": hostMain,
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, path), []byte(body), 0o644))
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))

	// Nothing of the portal but records, directly.
	for _, imp := range copiedImports(t, dir) {
		assert.False(t, strings.HasPrefix(imp, portalPath), "the copied block imports %s", imp)
	}
	// Nor through the SDK: every package the module builds with.
	out := goCmd(t, dir, "list", "-deps", "./...")
	for _, dep := range strings.Fields(out) {
		assert.False(t, strings.HasPrefix(dep, portalPath), "the copied module needs %s", dep)
	}
	goCmd(t, dir, "build", "-o", t.TempDir()+string(filepath.Separator), "./...")
	goCmd(t, dir, "vet", "./...") // the tests compile too: records' conformance suite
}

// copyDir copies the Go files and templates of src to dst, rewriting the
// portal's records import to the new module, as the team would.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b = bytes.ReplaceAll(b, []byte(strconv.Quote(portalPath+"/records")), []byte(strconv.Quote(copiedModule+"/records")))
		b = bytes.ReplaceAll(b, []byte(strconv.Quote(portalPath+"/records/recordstest")), []byte(strconv.Quote(copiedModule+"/records/recordstest")))
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	require.NoError(t, err)
}

// copiedImports lists every import of every Go file under dir.
func copiedImports(t *testing.T, dir string) []string {
	t.Helper()
	var imps []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imps = append(imps, p)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, imps)
	return imps
}

// goCmd runs the go command in dir offline, on the module cache this
// module was built with.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

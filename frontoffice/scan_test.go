package frontoffice

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The SDK's own source is read by these tests, so a new error or rule
// without Dutch fails them instead of reaching a citizen in English.

// domainPackages are the packages whose exported errors Status must know.
var domainPackages = []string{"appointment", "assistant", "casefile", "delivery", "entitlement", "event", "payment", "permit", "session", "signin", "subsidy"}

// exportedErrors lists "pkg.ErrName" for every exported package-level
// variable named Err... in the top directory of each domain package.
func exportedErrors(t *testing.T) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	for _, pkg := range domainPackages {
		files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, files, pkg)
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			require.NoError(t, err)
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					for _, name := range spec.(*ast.ValueSpec).Names {
						if strings.HasPrefix(name.Name, "Err") && name.IsExported() {
							out = append(out, pkg+"."+name.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// ruleUse is one place the SDK reports a rule: the rule, the English
// message (a format, its verbs filled with 2000 or "x") and where.
type ruleUse struct {
	rule, english, param, where string
}

// sdkRules lists every rule the SDK's code reports: the rule literal of
// each Collector.Add, collector.add and errs.Invalid call, and each tag of
// each `validate:"..."` struct tag, in every non-test file of the module
// outside examples/.
func sdkRules(t *testing.T) []ruleUse {
	t.Helper()
	var out []ruleUse
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != ".." && (d.Name() == "examples" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if u, ok := ruleCall(n); ok {
					u.where = fset.Position(n.Pos()).String()
					out = append(out, u)
				}
			case *ast.Field:
				if n.Tag == nil {
					return true
				}
				tag, err := strconv.Unquote(n.Tag.Value)
				if err != nil {
					return true
				}
				for _, part := range strings.Split(reflect.StructTag(tag).Get("validate"), ",") {
					for _, alt := range strings.Split(part, "|") {
						name, param, _ := strings.Cut(alt, "=")
						if name == "" || name == "omitempty" {
							continue
						}
						out = append(out, ruleUse{rule: name, param: param, where: fset.Position(n.Pos()).String()})
					}
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return out
}

// ruleCall recognises c.Add(field, "rule", "format", args...) and
// errs.Invalid(field, "rule", "format", args...).
func ruleCall(c *ast.CallExpr) (ruleUse, bool) {
	if len(c.Args) < 3 {
		return ruleUse{}, false
	}
	var name string
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	case *ast.Ident:
		name = fn.Name
	}
	if name != "Add" && name != "add" && name != "Invalid" {
		return ruleUse{}, false
	}
	lit, ok := c.Args[1].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ruleUse{}, false // a rule passed on from elsewhere (a TextProblem's, a merged one)
	}
	rule, err := strconv.Unquote(lit.Value)
	if err != nil {
		return ruleUse{}, false
	}
	english := ""
	if f, ok := c.Args[2].(*ast.BasicLit); ok && f.Kind == token.STRING {
		english, _ = strconv.Unquote(f.Value)
	}
	return ruleUse{rule: rule, english: fillVerbs(english)}, true
}

// fillVerbs replaces the verbs of a format with samples: numbers with
// 2000, the rest with "x".
func fillVerbs(format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j == len(format) {
			break
		}
		switch format[j] {
		case 'd', 'g', 'f':
			b.WriteString("2000")
		case '%':
			b.WriteByte('%')
		default:
			b.WriteString("x")
		}
		i = j
	}
	return b.String()
}

func TestScansFindTheSDK(t *testing.T) {
	// The scans must see what they claim to, or the tests built on them pass for nothing.
	uses := sdkRules(t)
	seen := map[string]bool{}
	for _, u := range uses {
		seen[u.rule] = true
	}
	for _, r := range []string{"required", "max", "iban", "insz", "kbo", "be_postcode", "euro", "horizon", "utf8", "closed", "gtefield", "dive"} {
		require.True(t, seen[r], "the scan should find rule %q", r)
	}
	require.Greater(t, len(uses), 400)
	errs := exportedErrors(t)
	require.Contains(t, errs, "appointment.ErrSlotTaken")
	require.Contains(t, errs, "delivery.ErrTemporary")
	require.Contains(t, errs, "casefile.ErrNotFound")
	require.Equal(t, "is longer than 2000 characters", fillVerbs("is longer than %d characters"))
	require.Equal(t, "x is 50%, not 2000", fillVerbs("%q is 50%%, not %5.1f"))
}

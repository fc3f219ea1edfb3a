package entitlement

import (
	"bytes"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzYAMLDepthScan: the byte scan never counts more levels than the
// parsed document has, so it refuses no document the parser would accept
// within the limit (a rule file is a mapping; a document that is one text
// may make the scan count its lines as levels); and the line counter agrees with counting from the start.
func FuzzYAMLDepthScan(f *testing.F) {
	for _, s := range []string{"a: [b, {c: d}]\n", "- - - x\n", "a:\n  b:\n    - c: |\n        [[[\n", "a: 'x [' # [\n", "k: \"[\\\"\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 6
		if line, ok := yamlDepthWithin(data, limit); !ok {
			var root yaml.Node
			if yaml.Unmarshal(data, &root) == nil && len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode && yamlTooDeep(root.Content[0], limit) == nil {
				t.Fatalf("scan refused line %d of a document within %d levels: %q", line, limit, data)
			}
		}
		c := newLineCounter(data)
		for _, off := range []int{len(data) / 3, len(data) / 2, len(data) / 4, len(data)} {
			if got, want := c.at(int64(off)), bytes.Count(data[:off], []byte{'\n'})+1; got != want {
				t.Fatalf("line of %d: %d, want %d", off, got, want)
			}
		}
	})
}

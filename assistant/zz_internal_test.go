package assistant

import (
	"context"
	"fmt"
	"os"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/assistant/demo"
)

func TestZZFeatures(t *testing.T) {
	entries, _ := LoadCatalogue(demo.CatalogueYAML())
	ix := NewIndex(entries, Options{})
	b, _ := os.ReadFile("testdata/eval.yaml")
	var items []struct{ Q, Expect string }
	yaml.Unmarshal(b, &items)
	out, _ := os.Create("/tmp/features.tsv")
	defer out.Close()
	for _, it := range items {
		terms, mass := ix.query(it.Q)
		var wordsOf []string
		seen := map[string]bool{}
		tokens(it.Q, func(w string) {
			if _, asp := aspectWords[w]; asp || seen[w] {
				return
			}
			seen[w] = true
			wordsOf = append(wordsOf, w)
		})
		res, _ := ix.Retrieve(context.Background(), it.Q, 10)
		top := ""
		var s1, s2 float64
		if len(res.Hits) > 0 {
			top, s1 = res.Hits[0].EntryID, res.Hits[0].Score
		}
		if len(res.Hits) > 1 {
			s2 = res.Hits[1].Score
		}
		// per group: mass, known, matched by top
		d := -1
		for i, id := range ix.ids {
			if id == top {
				d = i
			}
		}
		gs := ""
		for g, m := range mass {
			known, matched, nm := false, false, false
			for _, qt := range terms {
				if qt.group != g {
					continue
				}
				known = true
				for _, p := range ix.postings[qt.id] {
					if int(p.doc) == d {
						matched = true
						nm = nm || p.name
					}
				}
			}
			gs += fmt.Sprintf("%.3f:%v:%v:%v,", m, known, matched, nm)
			_ = wordsOf
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%.3f\t%.3f\t%s\t%.3f\n", it.Expect, top, it.Q, s1, s2, gs, ix.maxIDF)
	}
}

package demo

import (
	"strings"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// RightsPolicy is the proactive rights rules the demo municipality uses:
// the SDK's example rules (entitlement.GhentExample), with the town they
// name in their Dutch labels ("Ingeschreven in Gent", "Woont in Gent")
// replaced by town, so a citizen of Demogem does not read that they live
// in Gent. The legal basis keeps its name: it says it is an example.
func RightsPolicy(town string) entitlement.Policy {
	p := entitlement.GhentExample()
	rename := func(s string) string { return strings.ReplaceAll(s, "in Gent", "in "+town) }
	for i := range p.Facts {
		p.Facts[i].LabelNL = rename(p.Facts[i].LabelNL)
	}
	for i := range p.Definitions {
		p.Definitions[i].LabelNL = rename(p.Definitions[i].LabelNL)
	}
	return p
}

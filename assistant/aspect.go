package assistant

import "strings"

// aspectWords ask about a part of an entry rather than which entry: its
// costs, its procedure and duration, its conditions. Retrieval ignores
// them (every entry has costs); the answer uses them to quote the right
// section.
var aspectWords = func() map[string]string {
	m := map[string]string{}
	for sec, ws := range map[string]string{
		SectionCosts:      "kost kosten kostte prijs prijzen tarief tarieven betalen betaal gratis duur euro cost costs price fee fees pay much",
		SectionProcedure:  "duurt duren lang termijn procedure aanvragen aanvraag vraag aanvragen indienen hoe stappen meebrengen meenemen afhalen ophalen klaar long take takes apply application steps",
		SectionConditions: "voorwaarden voorwaarde recht mag mogen wie toegelaten eisen vereisten conditions eligible requirements who",
	} {
		for _, w := range strings.Fields(ws) {
			m[w] = sec
		}
	}
	return m
}()

// aspectOf returns the section a question asks about, or "" when it asks
// about the entry as a whole.
func aspectOf(question string) string {
	votes := map[string]int{}
	words(fold(question), func(w string) {
		if s, ok := aspectWords[w]; ok {
			votes[s]++
		}
	})
	best, n := "", 0
	for _, s := range []string{SectionCosts, SectionProcedure, SectionConditions} {
		if votes[s] > n {
			best, n = s, votes[s]
		}
	}
	return best
}

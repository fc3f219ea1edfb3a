package assistant

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
)

func TestReportLinkFillsTheReportForm(t *testing.T) {
	b := testBlock(t)
	tests := []struct {
		draft assistant.ReportDraft
		want  url.Values
	}{
		{assistant.ReportDraft{Category: "street_lighting", Description: "lamp stuk", Location: "Kerkstraat 12b"},
			url.Values{"categorie": {"street_lighting"}, "omschrijving": {"lamp stuk"}, "straat": {"Kerkstraat"}, "huisnummer": {"12b"}}},
		{assistant.ReportDraft{Category: "road", Description: "put", Location: "Lange Nieuwstraat 4"},
			url.Values{"categorie": {"roads"}, "omschrijving": {"put"}, "straat": {"Lange Nieuwstraat"}, "huisnummer": {"4"}}},
		{assistant.ReportDraft{Category: "noise", Description: "lawaai", Location: "aan het station"},
			url.Values{"categorie": {"nuisance"}, "omschrijving": {"lawaai"}, "straat": {"aan het station"}}},
		{assistant.ReportDraft{Category: "unknown", Description: "iets & nog iets", Location: "Markt"},
			url.Values{"omschrijving": {"iets & nog iets"}, "straat": {"Markt"}}},
	}
	for _, tt := range tests {
		t.Run(tt.draft.Category, func(t *testing.T) {
			u, err := url.Parse(b.reportLink(&tt.draft))
			require.NoError(t, err)
			assert.Equal(t, "/melding-maken", u.Path)
			assert.Equal(t, tt.want, u.Query())
		})
	}
}

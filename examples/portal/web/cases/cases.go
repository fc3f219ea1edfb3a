package cases

import (
	"context"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// DemoRouting sends reports to the demo municipality's teams by category;
// questions and everything else go to the counter ("balie").
var DemoRouting = []casefile.RoutingRule{
	{Team: "verlichting", Category: "street_lighting"},
	{Team: "netheid", Category: "waste"},
	{Team: "openbaar-domein", Category: "roads"},
	{Team: "openbaar-domein", Category: "traffic_signs"},
	{Team: "groen", Category: "greenery"},
}

// teamNames are the demo teams in Dutch, for the clerk's worklist.
var teamNames = map[string]string{
	"balie": "Balie", "verlichting": "Openbare verlichting", "netheid": "Netheid",
	"openbaar-domein": "Wegen en openbaar domein", "groen": "Groendienst",
}

// requester identifies p as the requester by national register number, as
// the service expects, so "Mijn dossiers" finds the case again.
func requester(p *person) casefile.Requester {
	return casefile.Requester{Kind: casefile.PartyPerson, ID: string(p.INSZ), Name: p.Name, Email: p.Email, Phone: p.Phone}
}

// caseSection lists the person's reports for "Mijn dossiers".
func (a *Block) caseSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{
		Title: "Meldingen en vragen", Empty: "U hebt nog geen meldingen of vragen.", DateLabel: "Uiterlijk behandeld op",
		Action: &frontoffice.Link{Label: "Een probleem melden", Href: "/melding-maken"},
	}
	// Never query with an empty RequesterID: it matches every case. The
	// demo clerk has none.
	for _, rid := range requesterIDs(p) {
		if err := a.addCases(ctx, &sec, rid); err != nil {
			return sec, err
		}
	}
	return sec, nil
}

// addCases adds the cases of one requester to sec.
func (a *Block) addCases(ctx context.Context, sec *frontoffice.DossierSection, requesterID string) error {
	for c, err := range a.cases.Summaries(ctx, casefile.Query{RequesterID: requesterID}) {
		if err != nil {
			return err
		}
		v := a.summaryLabels(c)
		if c.Type == "vragen" {
			v.Category = "Vraag: " + v.Category
		}
		if c.RequesterKind == casefile.PartyEnterprise {
			v.Category += " (onderneming)"
		}
		item := frontoffice.DossierItem{Reference: c.Reference, Link: "/mijn-dossiers/" + c.ID.String(), Subject: v.Category, Status: v.StatusLabel, Done: c.Closed}
		if !c.Closed {
			item.Date = c.Due
		}
		if ct, ok := a.cases.CaseType(c.Type); ok && !c.Closed {
			if st, ok := ct.Status(c.Status); ok && st.Waiting {
				item.ToDo = "Vraag van de gemeente beantwoorden"
			}
		}
		sec.Items = append(sec.Items, item)
	}
	return nil
}

// citizenView labels a case for the list without loading its timeline.
func (a *Block) citizenView(c *casefile.Case) casefile.CitizenView {
	ct, _ := a.cases.CaseType(c.Type)
	v := casefile.NewCitizenView(ct, c, nil, "nl")
	v.Category, v.Subcategory = categoryLabels(ct, c.Category, c.Subcategory)
	return v
}

// summaryLabels labels a case's summary for the list as citizenView
// labels the case.
func (a *Block) summaryLabels(c casefile.Summary) casefile.CitizenView {
	ct, _ := a.cases.CaseType(c.Type)
	v := casefile.CitizenView{Reference: c.Reference, Status: c.Status, Closed: c.Closed, Due: c.Due}
	if ct == nil {
		v.Category, v.Subcategory = c.Category, c.Subcategory
		return v
	}
	if s, ok := ct.Status(c.Status); ok {
		v.StatusLabel = s.Label.In("nl")
	}
	v.Category, v.Subcategory = categoryLabels(ct, c.Category, c.Subcategory)
	return v
}

// categoryLabels gives the Dutch labels of a category and sub-category code;
// the citizen view carries the codes.
func categoryLabels(ct *casefile.CaseType, cat, sub string) (string, string) {
	if ct == nil {
		return cat, sub
	}
	for _, k := range ct.Categories {
		if k.Code != cat {
			continue
		}
		subLabel := sub
		for _, s := range k.Subcategories {
			if s.Code == sub {
				subLabel = s.Label.In("nl")
			}
		}
		return k.Label.In("nl"), subLabel
	}
	return cat, sub
}

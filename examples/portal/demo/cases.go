package demo

import (
	"context"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// SeedCases files demo reports through the service, so they carry the same
// references, deadlines and timelines as real ones.
func SeedCases(ctx context.Context, svc *casefile.Service, town *Municipality) error {
	handler := casefile.Actor{ID: "demo-behandelaar", Role: casefile.RoleHandler}
	seeds := []struct {
		person, category, sub, text string
		transitions                 []string
	}{
		{"an", "street_lighting", "lamp_out", "De straatlamp voor mijn deur brandt niet meer.", nil},
		{"an", "waste", "illegal_dump", "Sluikstort naast de glasbol.", []string{"accept"}},
		{"an", "roads", "pothole", "Diepe put in het fietspad.", []string{"accept", "resolve"}},
		{"mohamed", "greenery", "mowing", "Het gras in het park is niet gemaaid.", []string{"accept"}},
	}
	for _, s := range seeds {
		p, ok := town.Person(s.person)
		if !ok {
			return fmt.Errorf("seed: unknown person %q", s.person)
		}
		c, err := svc.Create(ctx, casefile.CreateRequest{
			Type: "meldingen", Category: s.category, Subcategory: s.sub,
			Requester:   casefile.Requester{Kind: casefile.PartyPerson, ID: string(p.INSZ), Name: p.Name, Email: p.Email, Phone: p.Phone},
			Channel:     casefile.ChannelWeb,
			Location:    casefile.Location{Address: p.Address},
			Description: s.text,
			Actor:       casefile.Actor{ID: p.ID, Role: casefile.RoleCitizen},
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for _, tr := range s.transitions {
			req := casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: tr, Actor: handler}
			if tr == "resolve" {
				req.Result, req.Text = "repaired", "De put is gedicht."
			}
			if c, err = svc.Transition(ctx, req); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
	}
	return nil
}

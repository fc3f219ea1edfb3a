package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// AddressOf is the postal address the municipality knows of a party: the
// national register's for a person; for the demo enterprise, that of the
// person acting for it (the KBO would give its seat).
func (m *Municipality) AddressOf(party delivery.Party) (pii.Address, bool) {
	for _, p := range m.People {
		switch {
		case party.Kind == delivery.Person && p.INSZ != "" && string(p.INSZ) == party.ID:
			return p.Address, true
		case party.Kind == delivery.Enterprise && p.Enterprise != nil && digitsOnly(p.Enterprise.KBO) == party.ID:
			return p.Address, true
		}
	}
	return pii.Address{}, false
}

// SeedPost stores the rules that are missing and the demo preferences: An
// reads her post in Mijn Burgerprofiel, Mohamed wants paper. A database that
// has them keeps its own.
func SeedPost(ctx context.Context, svc *delivery.Service, rules []delivery.Rule, town *Municipality) error {
	for _, r := range rules {
		_, err := svc.Rule(ctx, r.Category)
		if errors.Is(err, delivery.ErrNotFound) {
			_, err = svc.PutRule(ctx, r)
		}
		if err != nil {
			return err
		}
	}
	now := time.Now()
	an, _ := town.Person("an")
	mo, _ := town.Person("mohamed")
	seeds := []struct {
		p  *Person
		fn func(*delivery.Preference) error
	}{
		{an, func(pref *delivery.Preference) error {
			pref.Preferred = delivery.ChannelBurgerprofiel
			pref.Consents = append(pref.Consents, delivery.Consent{Channel: delivery.ChannelBurgerprofiel, Given: true, At: now, Source: "mijnburgerprofiel"})
			pref.Email, pref.EmailVerified = an.Email, true
			return nil
		}},
		{mo, func(pref *delivery.Preference) error {
			pref.Preferred = delivery.ChannelPaper
			return nil
		}},
	}
	for _, s := range seeds {
		party := delivery.Party{Kind: delivery.Person, ID: string(s.p.INSZ)}
		_, err := svc.Preference(ctx, party)
		if err == nil {
			continue // a database that has them keeps its own
		}
		if !errors.Is(err, delivery.ErrNotFound) {
			return err
		}
		addr := s.p.Address
		_, err = svc.ChangePreference(ctx, party, "demo", func(pref *delivery.Preference) error {
			pref.Address = &addr
			return s.fn(pref)
		})
		if err != nil {
			return fmt.Errorf("seed preference: %w", err)
		}
	}
	return nil
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

package permit

import (
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Department is a service that must give advice ("adviesinstantie") before
// a decision.
type Department string

// The departments that usually advise on occupations.
const (
	Police       Department = "police"
	FireBrigade  Department = "fire_brigade"
	Mobility     Department = "mobility"
	Environment  Department = "environment"
	PublicWorks  Department = "public_works"
	EventsOffice Department = "events"
)

// OccupationType describes one kind of occupation of the public domain as
// data, so a municipality configures its own rules instead of code.
type OccupationType struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// LeadTime is how many working days before the start the application
	// must be submitted.
	LeadTime int `json:"lead_time_working_days"`
	// MaxDuration is the longest span one application may cover.
	MaxDuration time.Duration `json:"max_duration"`
	// Attachments lists the documents the applicant must add (by kind).
	Attachments []string `json:"attachments,omitempty"`
	// Signage says whether traffic signs must be placed ("signalisatie").
	Signage bool `json:"signage"`
	// SignageDaysBefore is how many days before the start signs stand.
	SignageDaysBefore int          `json:"signage_days_before,omitempty"`
	Advisors          []Department `json:"advisors,omitempty"`
	Tariffs           []Tariff     `json:"tariffs,omitempty"`
}

// Catalogue holds a municipality's occupation types by code.
type Catalogue map[string]OccupationType

// Lookup returns the type with the given code, or a validation error on
// the field "type" when the municipality does not know it.
func (c Catalogue) Lookup(code string) (OccupationType, error) {
	t, ok := c[code]
	if !ok {
		return OccupationType{}, errs.Invalid("type", "oneof", "unknown occupation type %q", code)
	}
	return t, nil
}

// Add registers a type (a municipality's own, or an override).
func (c Catalogue) Add(t OccupationType) { c[t.Code] = t }

const day = 24 * time.Hour

// DefaultCatalogue returns the common occupation types with example
// tariffs in the shape Flemish cities publish them (rates per m² or running
// metre per day, per started week, flat fees, minimum amounts). The amounts
// are illustrative; a municipality loads its own regulation.
func DefaultCatalogue() Catalogue {
	from := mustDate("2025-01-01")
	exempt := []Exemption{NonProfit, PublicUtility}
	return Catalogue{
		"container": {
			Code: "container", Name: "Container", LeadTime: 5, MaxDuration: 30 * day,
			Signage: true, SignageDaysBefore: 2,
			Tariffs: []Tariff{{ValidFrom: from, Unit: PerSquareMetrePerDay, Rate: dec("1.50"), Minimum: dec("15.00"), Exempt: exempt}},
		},
		"scaffolding": {
			Code: "scaffolding", Name: "Scaffolding (stelling)", LeadTime: 10, MaxDuration: 180 * day,
			Attachments: []string{"situation_plan", "insurance"}, Advisors: []Department{Mobility},
			Tariffs: []Tariff{{ValidFrom: from, Unit: PerMetrePerDay, Rate: dec("0.75"), Minimum: dec("25.00"), Exempt: exempt}},
		},
		"moving_lift": {
			Code: "moving_lift", Name: "Moving lift (verhuislift)", LeadTime: 5, MaxDuration: 2 * day,
			Signage: true, SignageDaysBefore: 2,
			Tariffs: []Tariff{{ValidFrom: from, Unit: Flat, Rate: dec("30.00")}},
		},
		"parking_ban": {
			Code: "parking_ban", Name: "Parking ban (parkeerverbod)", LeadTime: 5, MaxDuration: 14 * day,
			Signage: true, SignageDaysBefore: 2,
			Tariffs: []Tariff{{ValidFrom: from, Unit: PerMetrePerDay, Rate: dec("1.00"), Minimum: dec("20.00"), Exempt: exempt}},
		},
		"site": {
			Code: "site", Name: "Site hut or works (werfzone)", LeadTime: 15, MaxDuration: 365 * day,
			Attachments: []string{"situation_plan", "signage_plan"}, Signage: true, SignageDaysBefore: 2,
			Advisors: []Department{Police, Mobility},
			Tariffs:  []Tariff{{ValidFrom: from, Unit: PerStartedWeek, Rate: dec("2.00"), Exempt: exempt}},
		},
		"terrace": {
			Code: "terrace", Name: "Terrace (terras)", LeadTime: 20, MaxDuration: 366 * day,
			Attachments: []string{"situation_plan"}, Advisors: []Department{Mobility},
			Tariffs: []Tariff{{ValidFrom: from, Unit: PerSquareMetrePerDay, Rate: dec("0.10"), Minimum: dec("50.00")}},
		},
		"event": {
			Code: "event", Name: "Event (evenement)", LeadTime: 40, MaxDuration: 10 * day,
			Attachments: []string{"situation_plan", "safety_plan", "insurance"}, Signage: true, SignageDaysBefore: 3,
			Advisors: []Department{Police, FireBrigade, Mobility, Environment},
			Tariffs:  []Tariff{{ValidFrom: from, Unit: Flat, Rate: dec("50.00"), Exempt: []Exemption{NonProfit}}},
		},
	}
}

package assistant

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Entry is one product or service of the municipality's catalogue
// ("product", "dienst", "instantie" in IPDC/LPDC; OSLO "Dienst" or Public
// Service): what the assistant knows and cites. Texts are plain text (the
// LDES loader strips IPDC's HTML).
type Entry struct {
	// ID is a stable slug or IRI, unique in the catalogue ("identiteitskaart").
	ID string `json:"id" yaml:"id"`
	// Title is the product's name ("naam").
	Title string `json:"title" yaml:"title"`
	// Description says what it is ("beschrijving").
	Description string `json:"description" yaml:"description"`
	// Conditions are who may apply and what to bring ("voorwaarden").
	Conditions string `json:"conditions,omitempty" yaml:"conditions"`
	// Procedure says how to apply and how long it takes ("procedure").
	Procedure string `json:"procedure,omitempty" yaml:"procedure"`
	// Costs says what it costs ("kosten").
	Costs string `json:"costs,omitempty" yaml:"costs"`
	// Exceptions are special cases ("uitzonderingen").
	Exceptions string `json:"exceptions,omitempty" yaml:"exceptions"`
	// Keywords are the words citizens search with ("trefwoorden",
	// "zoektermen"); retrieval treats them as synonyms of the title.
	Keywords []string `json:"keywords,omitempty" yaml:"keywords"`
	// Themes are IPDC themes ("thema's"), e.g. "Burger en Overheid".
	Themes []string `json:"themes,omitempty" yaml:"themes"`
	// Audiences are the target groups ("doelgroepen"): Burger, Onderneming, ...
	Audiences []string `json:"audiences,omitempty" yaml:"audiences"`
	// Type is the IPDC product type ("producttype"): Bewijs, Toelating, ...
	Type string `json:"type,omitempty" yaml:"type"`
	// URL is the page the assistant links to.
	URL string `json:"url,omitempty" yaml:"url"`
	// ValidFrom and ValidUntil bound the service ("startDienstVerlening",
	// "eindeDienstVerlening"); zero means unbounded.
	ValidFrom  calendar.Date `json:"valid_from,omitzero" yaml:"valid_from"`
	ValidUntil calendar.Date `json:"valid_until,omitzero" yaml:"valid_until"`
	// Language is the BCP 47 tag of the texts ("nl", "en").
	Language string `json:"language,omitempty" yaml:"language"`
	// Version counts the entry's revisions.
	Version int `json:"version,omitempty" yaml:"version"`
}

// Valid reports whether the entry applies on day d.
func (e *Entry) Valid(d calendar.Date) bool {
	if !e.ValidFrom.IsZero() && d.Before(e.ValidFrom) {
		return false
	}
	return e.ValidUntil.IsZero() || !d.After(e.ValidUntil)
}

// MaxEntryID is the longest entry ID accepted.
const MaxEntryID = 300

var idPattern = regexp.MustCompile(`^[\p{L}\p{N}._:/#?=&%~+-]+$`)

// Validate checks one entry: an ID, a title, an http(s) URL, a validity
// period in order, and text and dates the shared input rule accepts.
func (e *Entry) Validate() error {
	var c errs.Collector
	e.check(&c, "")
	return c.Err()
}

func (e *Entry) check(c *errs.Collector, prefix string) {
	c.Merge(strings.TrimSuffix(prefix, "."), validate.Input(e))
	switch {
	case strings.TrimSpace(e.ID) == "":
		c.Add(prefix+"id", "required", "is required")
	case len(e.ID) > MaxEntryID || !idPattern.MatchString(e.ID):
		c.Add(prefix+"id", "id", "must be at most %d letters, digits or URL characters, without spaces", MaxEntryID)
	}
	if strings.TrimSpace(e.Title) == "" {
		c.Add(prefix+"title", "required", "is required")
	}
	if e.URL != "" {
		if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			c.Add(prefix+"url", "url", "must be an http or https address")
		}
	}
	if !e.ValidFrom.IsZero() && !e.ValidUntil.IsZero() && e.ValidUntil.Before(e.ValidFrom) {
		c.Add(prefix+"valid_until", "gtefield", "must not lie before valid_from")
	}
	if e.Version < 0 {
		c.Add(prefix+"version", "min", "must not be negative")
	}
}

// ValidateCatalogue checks every entry and that IDs are unique.
func ValidateCatalogue(entries []Entry) error {
	var c errs.Collector
	seen := make(map[string]int, len(entries))
	for i := range entries {
		p := fmt.Sprintf("entries[%d].", i)
		entries[i].check(&c, p)
		if j, dup := seen[entries[i].ID]; dup {
			c.Add(p+"id", "unique", "repeats the ID of entries[%d]", j)
		}
		seen[entries[i].ID] = i
	}
	return c.Err()
}

// sections returns the entry's answerable sections in display order.
func (e *Entry) sections() []Section {
	return []Section{
		{SectionDescription, e.Description},
		{SectionConditions, e.Conditions},
		{SectionProcedure, e.Procedure},
		{SectionCosts, e.Costs},
		{SectionExceptions, e.Exceptions},
	}
}

package subsidy

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Scheme is a subsidy regulation ("subsidiereglement") under which calls run.
type Scheme struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	// Regulation names the council decision that holds the rules.
	Regulation string `json:"regulation"`
	// LegalBasis is the legal basis ("rechtsgrond"), e.g. the decree article.
	LegalBasis string `json:"legal_basis"`
	// BudgetArticle is the article of the multi-year plan ("begrotingsartikel") the grants are charged to.
	BudgetArticle string    `json:"budget_article"`
	CreatedAt     time.Time `json:"created_at"`
}

// SchemeInput is what a clerk fills in to create a scheme.
type SchemeInput struct {
	Name          string `json:"name"`
	Regulation    string `json:"regulation"`
	LegalBasis    string `json:"legal_basis"`
	BudgetArticle string `json:"budget_article"`
}

// Validate reports every missing or too long field, and text no store
// may keep (validate.Input).
func (in SchemeInput) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	for _, f := range []struct{ name, v string }{
		{"name", in.Name}, {"regulation", in.Regulation},
		{"legal_basis", in.LegalBasis}, {"budget_article", in.BudgetArticle},
	} {
		switch {
		case strings.TrimSpace(f.v) == "":
			c.Add(f.name, "required", "is required")
		case len(f.v) > 500:
			c.Add(f.name, "max", "is longer than 500 characters")
		}
	}
	return c.Err()
}

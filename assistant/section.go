package assistant

// Section names one part of an entry an answer can quote.
type Section struct {
	// Name is one of the Section* constants.
	Name string `json:"name"`
	// Text is the section's plain text.
	Text string `json:"text"`
}

// The sections of an entry, as IPDC names them.
const (
	SectionDescription = "description" // beschrijving
	SectionConditions  = "conditions"  // voorwaarden
	SectionProcedure   = "procedure"   // procedure
	SectionCosts       = "costs"       // kosten
	SectionExceptions  = "exceptions"  // uitzonderingen
)

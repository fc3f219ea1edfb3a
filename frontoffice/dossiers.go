package frontoffice

import "time"

// Link is one entry of a menu: a label and where it goes.
type Link struct {
	Label, Href string
}

// MenuItem is one entry of a portal's main menu that a block contributes.
type MenuItem struct {
	Label, Href string
	// Clerk items show only to clerks; the others only to citizens and
	// entrepreneurs.
	Clerk bool
}

// DossierItem is one line of "Mijn dossiers", whichever building block it
// comes from.
type DossierItem struct {
	Reference string
	Link      string // the page of the dossier, empty when it has none
	Subject   string
	Status    string
	// Date is the next date that matters (a deadline, an appointment, a
	// due date); zero when there is none.
	Date time.Time
	Done bool
	// ToDo says what the person must do, when the next step is theirs:
	// "Betalen", "Vraag beantwoorden", "Indienen". Such items come first,
	// under "Te doen" at the top of "Mijn dossiers".
	ToDo string
}

// DossierSection is the part of "Mijn dossiers" ("my files") that one
// building block fills: a person's reports, permits, subsidy applications,
// appointments, invoices, rights.
type DossierSection struct {
	Title     string
	Empty     string // shown when Items is empty
	DateLabel string // the heading of the Date column
	Action    *Link  // where to start a new one, if anywhere
	Items     []DossierItem
}

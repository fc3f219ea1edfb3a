package assistant

import (
	"context"
	"time"
)

// Person is a citizen signed in to the portal. The assistant passes it to
// the portal's own interfaces and never stores it.
type Person struct {
	// ID is the portal's subject identifier for the person.
	ID string `json:"id"`
}

// Dossiers answers "where is my dossier" for a signed-in person. The
// portal implements it over its building blocks (cases, permits,
// subsidies); it must list only the person's own dossiers. The assistant
// never looks a dossier up by a reference alone: references are guessable.
type Dossiers interface {
	Dossiers(ctx context.Context, p Person) ([]DossierStatus, error)
}

// DossierStatus is where one of the person's dossiers stands.
type DossierStatus struct {
	Reference string    `json:"reference"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	URL       string    `json:"url,omitempty"`
}

// Appointments offers free slots for a service ("afspraak maken"); the
// portal implements it over the appointment block.
type Appointments interface {
	// Slots returns a few free slots for the entry (or any counter when
	// entryID is ""), each with the link that books it.
	Slots(ctx context.Context, entryID string, limit int) ([]Slot, error)
}

// Slot is one free appointment slot.
type Slot struct {
	Start time.Time `json:"start"`
	Label string    `json:"label"`
	URL   string    `json:"url"`
}

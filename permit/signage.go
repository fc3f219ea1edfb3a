package permit

import (
	"time"

	"github.com/google/uuid"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// SignageTask is one visit of the signage team ("signalisatieploeg"):
// placing the temporary parking-ban signs at least N days before the
// occupation (so parked cars can legally be towed), or removing them after.
type SignageTask struct {
	Application uuid.UUID     `json:"application"`
	Action      string        `json:"action"` // "place" or "remove"
	Date        calendar.Date `json:"date"`   // latest day to place, first day to remove
	Address     pii.Address   `json:"address"`
	Places      int           `json:"parking_places"`
}

// SignageSchedule plans the placing and removal of signs for an
// application that needs signage: placed daysBefore calendar days before
// the first occurrence starts, removed on the day after the last one ends.
func SignageSchedule(a *Application, daysBefore int) []SignageTask {
	if !a.Signage {
		return nil
	}
	span := a.Span()
	if span.Start.IsZero() {
		return nil
	}
	start := calendar.DateIn(span.Start)
	end := calendar.DateIn(span.End.Add(-time.Nanosecond))
	return []SignageTask{
		{Application: a.ID, Action: "place", Date: start.AddDays(-daysBefore), Address: a.Address, Places: a.ParkingPlaces},
		{Application: a.ID, Action: "remove", Date: end.AddDays(1), Address: a.Address, Places: a.ParkingPlaces},
	}
}

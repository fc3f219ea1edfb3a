package appointment

import (
	"context"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Service returns a service of the catalogue ("dienstverlening").
func (s *Scheduler) Service(ctx context.Context, id string) (Service, error) {
	if err := checkID("service_id", id); err != nil {
		return Service{}, err
	}
	return s.cfg.Store.Service(ctx, id)
}

// Location returns a location ("vestiging") with its counters, hours and
// exceptions.
func (s *Scheduler) Location(ctx context.Context, id string) (Location, error) {
	if err := checkID("location_id", id); err != nil {
		return Location{}, err
	}
	return s.cfg.Store.Location(ctx, id)
}

func checkID(field, id string) error {
	var c errs.Collector
	validate.CheckText(&c, field, id)
	return c.Err()
}

// checkRange adds to c a range outside the calendar's years or ending
// before it starts.
func checkRange(c *errs.Collector, from, to time.Time) {
	validate.CheckTime(c, "from", from)
	validate.CheckTime(c, "to", to)
	if to.Before(from) {
		c.Add("to", "gtefield", "the range ends before it starts")
	}
}

// CitizenBookings returns the bookings ("mijn afspraken") of the citizen
// starting in [from, to), in start order, whatever their status: what a
// front office shows a citizen. The citizen is known by [Citizen.Key]
// (the INSZ when given, else the e-mail address); the store reads them
// from an index on the citizen.
func (s *Scheduler) CitizenBookings(ctx context.Context, citizen Citizen, from, to time.Time) ([]Booking, error) {
	var c errs.Collector
	c.Merge("citizen", validate.Input(citizen))
	if citizen.Key() == "" {
		c.Add("citizen", "required", "an INSZ or an e-mail address is needed")
	}
	checkRange(&c, from, to)
	if err := c.Err(); err != nil {
		return nil, err
	}
	var out []Booking
	for b, err := range s.cfg.Store.CitizenBookings(ctx, citizen.Key(), from, to) {
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Agenda returns the bookings at a location starting in [from, to), every
// counter, in start order, whatever their status: a counter's day list
// ("dagoverzicht").
func (s *Scheduler) Agenda(ctx context.Context, locationID string, from, to time.Time) ([]Booking, error) {
	var c errs.Collector
	validate.CheckText(&c, "location_id", locationID)
	checkRange(&c, from, to)
	if err := c.Err(); err != nil {
		return nil, err
	}
	loc, err := s.cfg.Store.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	var out []Booking
	for _, c := range loc.Counters {
		for b, err := range s.cfg.Store.CounterBookings(ctx, c.ID, from, to) {
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(x, y Booking) int { return x.Start.Compare(y.Start) })
	return out, nil
}

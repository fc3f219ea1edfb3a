package appointments

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// bookingForm is what the citizen chose and typed in "Afspraak maken", kept
// as text so a re-rendered form shows exactly that.
type bookingForm struct {
	Service, Start                      string
	GivenName, FamilyName, Email, Phone string
	// Key makes a double-clicked confirm book once: it is fresh on every
	// rendering of the form.
	Key string
}

// serviceChoice is one service in the form's list.
type serviceChoice struct {
	ID, Name string
	Checked  bool
}

// slotDay is the free slots of one day, and the same slots by day part.
type slotDay struct {
	Label string
	Slots []slotChoice
	// Parts groups Slots by voormiddag, namiddag and avond, so a phone
	// shows a few rows of large buttons per day rather than one long column.
	Parts []slotPart
	// Open is true for the day the page opens: the first, or the one of
	// the slot already chosen.
	Open bool
}

// slotPart is the free slots of one day part.
type slotPart struct {
	Label string // "voormiddag", "namiddag", "avond"
	Slots []slotChoice
}

// dayPart names the part of the day a slot starting at t (Brussels time)
// falls in.
func dayPart(t time.Time) string {
	switch h := t.In(clock.Brussels).Hour(); {
	case h < 12:
		return "voormiddag"
	case h < 17:
		return "namiddag"
	default:
		return "avond"
	}
}

// groupSlots fills the day parts of each day, and opens the first day or
// the day of the chosen slot.
func groupSlots(days []slotDay, starts map[string]time.Time) {
	chosen := -1
	for i := range days {
		d := &days[i]
		for _, sl := range d.Slots {
			part := dayPart(starts[sl.Value])
			if len(d.Parts) == 0 || d.Parts[len(d.Parts)-1].Label != part {
				d.Parts = append(d.Parts, slotPart{Label: part})
			}
			p := &d.Parts[len(d.Parts)-1]
			p.Slots = append(p.Slots, sl)
			if sl.Checked {
				chosen = i
			}
		}
	}
	if chosen < 0 {
		chosen = 0
	}
	if chosen < len(days) {
		days[chosen].Open = true
	}
}

// slotChoice is one free slot as a radio button.
type slotChoice struct {
	Value, ID, Time string
	Checked         bool
}

// locationInfo is what the booking page says about the town hall.
type locationInfo struct {
	Name, Address string
	Hours         []string
	CounterHours  []string
	Closures      []string
}

// bookingDetail is one booking as its citizen sees it.
type bookingDetail struct {
	ID, Reference, Service, When, Location, Address, Counter, Status string
	Minutes                                                          int
	Documents                                                        []string
	Changeable, Cancellable, Past                                    bool
	NoticeHours                                                      int
}

// Messages of the booking pages, in Dutch.
const (
	msgSlotTaken   = "Dit tijdstip is intussen door iemand anders geboekt. Kies hieronder een ander vrij tijdstip."
	msgSlotInvalid = "Dit tijdstip kan niet (meer) geboekt worden. Kies een ander vrij tijdstip."
	msgPickSlot    = "Kies een vrij tijdstip."
)

func (a *Block) appointmentNew(w http.ResponseWriter, r *http.Request, p *person) {
	// "start" preselects a free slot (a link of the virtual assistant).
	f := bookingForm{Service: r.URL.Query().Get("dienst"), Start: r.URL.Query().Get("start"), GivenName: p.Name.Given, FamilyName: p.Name.Family, Email: string(p.Email), Phone: string(p.Phone)}
	a.renderBooking(w, r, http.StatusOK, f, a.windowStart(r), nil, "")
}

// windowStart is the first day of free slots asked for ("van"), today when
// absent, invalid or in the past.
func (a *Block) windowStart(r *http.Request) calendar.Date {
	today := calendar.DateIn(time.Now())
	d, err := calendar.ParseDate(r.URL.Query().Get("van"))
	if err != nil || d.Before(today) || d.After(today.AddDays(365)) {
		return today
	}
	return d
}

// appointmentNewPage is the data of the booking page ("Afspraak maken").
type appointmentNewPage struct {
	Form     bookingForm
	Errors   frontoffice.FormErrors
	Message  string
	Services []serviceChoice
	// Service is the chosen service, nil before one is chosen; the rest
	// is about it: its duration, the building, the window of days shown
	// (see windowLinks) and the free slots in it.
	Service  *appointment.Service
	Minutes  int
	Location locationInfo
	Window   slotWindow
	Days     []slotDay
}

// FormErrors gives the form's errors to the site's error summary.
func (p appointmentNewPage) FormErrors() frontoffice.FormErrors { return p.Errors }

// renderBooking shows the booking page: the services, and for the chosen
// one the town hall's hours, closures and free slots from "from" on.
func (a *Block) renderBooking(w http.ResponseWriter, r *http.Request, status int, f bookingForm, from calendar.Date, errsByField frontoffice.FormErrors, message string) {
	ctx := r.Context()
	f.Key = randomToken()
	data := appointmentNewPage{Form: f, Errors: errsByField, Message: message}
	var choices []serviceChoice
	for _, s := range a.appt.services {
		choices = append(choices, serviceChoice{ID: s.ID, Name: s.Name, Checked: s.ID == f.Service})
	}
	data.Services = choices
	if svc, ok := a.appt.service(f.Service); ok {
		days, info, err := a.freeSlots(ctx, svc, from, f.Start)
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		data.Service, data.Days, data.Location = &svc, days, info
		data.Minutes = int(svc.Duration / time.Minute)
		data.Window = windowLinks(from, func(d calendar.Date) string { return "/afspraak-maken?dienst=" + svc.ID + "&van=" + d.String() })
	}
	a.show(w, r, status, "appointment_new.html", "Afspraak maken", data)
}

// slotWindow is the days of free slots a page shows, with the links to
// the earlier and the later ones ("" when there are none to show).
type slotWindow struct{ Label, Prev, Next string }

// windowLinks is the window of bookingWindow days from from; link makes
// the URL of the window starting on a day.
func windowLinks(from calendar.Date, link func(calendar.Date) string) slotWindow {
	today := calendar.DateIn(time.Now())
	win := slotWindow{Label: dutchDay(from) + " tot " + dutchDay(from.AddDays(bookingWindow-1))}
	if from.After(today) {
		prev := from.AddDays(-bookingWindow)
		if prev.Before(today) {
			prev = today
		}
		win.Prev = link(prev)
	}
	if next := from.AddDays(bookingWindow); !next.After(today.AddDays(60)) {
		win.Next = link(next)
	}
	return win
}

// freeSlots lists the free slots of svc for bookingWindow days from from,
// day by day in Brussels time, with what the page says about the building.
func (a *Block) freeSlots(ctx context.Context, svc appointment.Service, from calendar.Date, checked string) ([]slotDay, locationInfo, error) {
	to := from.AddDays(bookingWindow - 1)
	slots, err := a.appt.sched.Availability(ctx, appointment.Query{ServiceID: svc.ID, LocationID: a.appt.location, From: from, To: to, Channel: appointment.Web})
	if err != nil {
		return nil, locationInfo{}, err
	}
	var days []slotDay
	starts := make(map[string]time.Time, len(slots))
	for _, sl := range slots {
		d := calendar.DateIn(sl.Start)
		label := dutchDay(d)
		if len(days) == 0 || days[len(days)-1].Label != label {
			days = append(days, slotDay{Label: label})
		}
		v := sl.Start.UTC().Format(time.RFC3339)
		starts[v] = sl.Start
		day := &days[len(days)-1]
		day.Slots = append(day.Slots, slotChoice{Value: v, ID: "slot-" + sl.Start.UTC().Format("20060102T1504"), Time: sl.Start.In(clock.Brussels).Format("15:04"), Checked: v == checked})
	}
	groupSlots(days, starts)
	loc, err := a.appt.sched.Location(ctx, a.appt.location)
	if err != nil {
		return nil, locationInfo{}, err
	}
	return days, describeLocation(loc, a.appt.cal, svc.ID, from, to), nil
}

// describeLocation writes the opening hours of the building and of the
// counters serving serviceID that keep their own, and the closing days
// between from and to.
func describeLocation(loc appointment.Location, cal *calendar.Calendar, serviceID string, from, to calendar.Date) locationInfo {
	info := locationInfo{Name: loc.Name, Address: loc.Address}
	info.Hours = weekHours(loc.Hours)
	for _, c := range loc.Counters {
		if len(c.Hours) > 0 && c.Offers(serviceID) {
			info.CounterHours = append(info.CounterHours, c.Name+": "+strings.Join(weekHours(c.Hours), "; "))
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if name, ok := cal.HolidayName(d); ok {
			info.Closures = append(info.Closures, dutchDay(d)+": gesloten ("+name+")")
			continue
		}
		for _, e := range loc.Exceptions {
			if e.Date != d || e.Kind != appointment.Closed {
				continue
			}
			what := "gesloten"
			if c, ok := loc.Counter(e.CounterID); ok {
				what = c.Name + " gesloten"
			}
			if e.Reason != "" {
				what += " (" + e.Reason + ")"
			}
			info.Closures = append(info.Closures, dutchDay(d)+": "+what)
		}
	}
	return info
}

// weekHours writes opening hours per weekday, Monday first: "maandag:
// 09:00–12:00 en 14:00–19:00". Days without hours are left out.
func weekHours(hours []appointment.OpeningHours) []string {
	var out []string
	for i := range 7 {
		wd := time.Weekday((i + 1) % 7)
		var spans []string
		for _, h := range hours {
			if h.Weekday == wd {
				spans = append(spans, h.Open.String()+"–"+h.Close.String())
			}
		}
		if len(spans) > 0 {
			out = append(out, dutchWeekdays[wd]+": "+strings.Join(spans, " en "))
		}
	}
	return out
}

func (a *Block) appointmentCreate(w http.ResponseWriter, r *http.Request, p *person) {
	v := r.PostFormValue
	f := bookingForm{Service: v("service"), Start: v("start"), GivenName: strings.TrimSpace(v("given_name")), FamilyName: strings.TrimSpace(v("family_name")),
		Email: strings.TrimSpace(v("email")), Phone: strings.TrimSpace(v("phone")), Key: v("key")}
	var byField frontoffice.FormErrors
	svc, ok := a.appt.service(f.Service)
	if !ok {
		byField.Add("service", "Kies een dienst.")
	}
	start, err := time.Parse(time.RFC3339, f.Start)
	if err != nil {
		byField.Add("start", msgPickSlot)
	}
	contactErrors(&byField, f.GivenName, f.FamilyName, f.Email, f.Phone)
	from := calendar.DateIn(time.Now())
	if err == nil && calendar.DateIn(start).After(from) {
		from = calendar.DateIn(start)
	}
	if len(byField) > 0 {
		a.renderBooking(w, r, http.StatusUnprocessableEntity, f, from, byField, "")
		return
	}
	key := ""
	if f.Key != "" && len(f.Key) <= 64 {
		key = "portal:" + p.ID + ":" + f.Key // a key is never shared between people
	}
	b, err := a.appt.sched.Book(r.Context(), appointment.Request{
		ServiceID: svc.ID, LocationID: a.appt.location, Start: start, Channel: appointment.Web,
		Citizen:        appointment.Citizen{INSZ: p.INSZ, Name: pii.Name{Given: f.GivenName, Family: f.FamilyName}, Email: pii.Email(f.Email), Phone: pii.Phone(f.Phone)},
		IdempotencyKey: key,
	})
	var verr *appointment.ValidationError
	switch {
	case errors.Is(err, appointment.ErrLimitReached):
		msg := fmt.Sprintf("U hebt al %d geplande afspraken voor %s. Verplaats of annuleer eerst een ervan (onder Mijn dossiers).", svc.MaxOpenPerCitizen, svc.Name)
		a.renderBooking(w, r, http.StatusConflict, f, from, nil, msg)
	case errors.Is(err, appointment.ErrSlotTaken):
		f.Start = ""
		a.renderBooking(w, r, http.StatusConflict, f, from, nil, msgSlotTaken)
	case errors.As(err, &verr):
		e := bookingErrors(verr)
		if e.Has("start") {
			f.Start = ""
		}
		a.renderBooking(w, r, http.StatusUnprocessableEntity, f, from, e, "")
	case err != nil:
		a.site.Fail(w, r, err)
	case b.Citizen.INSZ != p.INSZ:
		a.notFound(w, r)
	default:
		a.log.Info("appointment booked", "booking", b.ID, "service", b.ServiceID)
		a.site.Flash(w, r, fmt.Sprintf("Uw afspraak is bevestigd: %s op %s. Uw afspraaknummer is %s.", svc.Name, dutchMoment(b.Start), b.Reference))
		http.Redirect(w, r, "/afspraken/"+b.ID.String(), http.StatusSeeOther)
	}
}

// contactErrors checks the contact fields of the booking form.
// bookingErrors puts the scheduler's Dutch messages (frontoffice words
// them: the field and its limit) beside the form's fields; a problem with
// the time, or one the form has no field for, asks for another slot.
func bookingErrors(verr *appointment.ValidationError) frontoffice.FormErrors {
	var out frontoffice.FormErrors
	for i, fe := range frontoffice.FieldErrors(verr, bookingLabels) {
		switch field := verr.Fields[i].Field; {
		case strings.HasSuffix(field, "name.given"):
			out.Add("given_name", fe.Message)
		case strings.HasSuffix(field, "name.family"):
			out.Add("family_name", fe.Message)
		case strings.HasSuffix(field, "email"):
			out.Add("email", fe.Message)
		case strings.HasSuffix(field, "phone"):
			out.Add("phone", fe.Message)
		default:
			out.Add("start", msgSlotInvalid)
		}
	}
	return out
}

// bookingLabels are the Dutch names of the scheduler's fields.
var bookingLabels = map[string]string{
	"citizen.name.given": "Voornaam", "citizen.name.family": "Familienaam",
	"citizen.email": "E-mailadres", "citizen.phone": "Telefoonnummer",
}

func contactErrors(byField *frontoffice.FormErrors, given, family, email, phone string) {
	if given == "" {
		byField.Add("given_name", "Vul uw voornaam in.")
	}
	if family == "" {
		byField.Add("family_name", "Vul uw familienaam in.")
	}
	switch {
	case email != "" && !plausibleEmail(email):
		byField.Add("email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.be.")
	case email == "" && phone == "":
		byField.Add("email", "Geef een e-mailadres of een telefoonnummer op, zodat we u kunnen bereiken.")
	}
	if phone != "" && !plausiblePhone(phone) {
		byField.Add("phone", "Vul een geldig telefoonnummer in, bijvoorbeeld 0470 12 34 56.")
	}
}

// plausibleEmail accepts a bare address with a dot in its domain.
func plausibleEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".")
}

// plausiblePhone accepts 8 to 15 digits with an optional leading plus and
// the usual separators.
func plausiblePhone(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '+' && i == 0, r == ' ', r == '/', r == '.', r == '-', r == '(', r == ')':
		default:
			return false
		}
	}
	return n >= 8 && n <= 15
}

// ownBooking loads the booking in the URL if it is p's; anyone else's, or
// one that does not exist, is "not found", so its existence is not revealed.
func (a *Block) ownBooking(w http.ResponseWriter, r *http.Request, p *person) (appointment.Booking, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return appointment.Booking{}, false
	}
	b, err := a.appt.sched.Get(r.Context(), id)
	if errors.Is(err, appointment.ErrNotFound) || (err == nil && (p.INSZ == "" || b.Citizen.INSZ != p.INSZ)) {
		a.notFound(w, r)
		return appointment.Booking{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return appointment.Booking{}, false
	}
	return b, true
}

// detail describes b for its citizen: what may still be done with it.
func (a *Block) detail(ctx context.Context, b appointment.Booking) (bookingDetail, error) {
	svc, err := a.appt.sched.Service(ctx, b.ServiceID)
	if err != nil {
		return bookingDetail{}, err
	}
	loc, err := a.appt.sched.Location(ctx, b.LocationID)
	if err != nil {
		return bookingDetail{}, err
	}
	now := time.Now()
	st := b.StatusAt(now)
	counter := b.CounterID
	if c, ok := loc.Counter(b.CounterID); ok {
		counter = c.Name
	}
	return bookingDetail{
		ID: b.ID.String(), Reference: string(b.Reference), Service: svc.Name, When: dutchMoment(b.Start),
		Location: loc.Name, Address: loc.Address, Counter: counter, Status: bookingStatusLabel(st),
		Minutes: int(svc.Duration / time.Minute), Documents: svc.Documents,
		Changeable:  st == appointment.Confirmed && now.Add(svc.Notice.Reschedule).Before(b.Start),
		Cancellable: st == appointment.Confirmed && now.Add(svc.Notice.Cancel).Before(b.Start),
		Past:        !b.Start.After(now), NoticeHours: int(svc.Notice.Cancel / time.Hour),
	}, nil
}

func (a *Block) appointmentShow(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.ownBooking(w, r, p)
	if !ok {
		return
	}
	a.renderAppointment(w, r, http.StatusOK, b, "")
}

// appointmentPage is the data of the page of one booking.
type appointmentPage struct {
	Booking bookingDetail
	Message string
}

func (a *Block) renderAppointment(w http.ResponseWriter, r *http.Request, status int, b appointment.Booking, message string) {
	d, err := a.detail(r.Context(), b)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.show(w, r, status, "appointment.html", "Afspraak "+d.Reference, appointmentPage{Booking: d, Message: message})
}

func (a *Block) appointmentMoveForm(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.ownBooking(w, r, p)
	if !ok {
		return
	}
	a.renderMove(w, r, http.StatusOK, b, a.windowStart(r), "", nil, "")
}

// appointmentMovePage is the data of the page that moves a booking: the
// free slots of its service.
type appointmentMovePage struct {
	Booking  bookingDetail
	Days     []slotDay
	Location locationInfo
	Window   slotWindow
	Errors   frontoffice.FormErrors
	Message  string
}

// FormErrors gives the form's errors to the site's error summary.
func (p appointmentMovePage) FormErrors() frontoffice.FormErrors { return p.Errors }

func (a *Block) renderMove(w http.ResponseWriter, r *http.Request, status int, b appointment.Booking, from calendar.Date, checked string, errsByField frontoffice.FormErrors, message string) {
	d, err := a.detail(r.Context(), b)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	svc, err := a.appt.sched.Service(r.Context(), b.ServiceID)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	days, info, err := a.freeSlots(r.Context(), svc, from, checked)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	window := windowLinks(from, func(d calendar.Date) string { return "/afspraken/" + b.ID.String() + "/verplaatsen?van=" + d.String() })
	a.show(w, r, status, "appointment_move.html", "Afspraak verplaatsen", appointmentMovePage{Booking: d, Days: days, Location: info,
		Window: window, Errors: errsByField, Message: message})
}

func (a *Block) appointmentMove(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.ownBooking(w, r, p)
	if !ok {
		return
	}
	from := calendar.DateIn(time.Now())
	start, err := time.Parse(time.RFC3339, r.PostFormValue("start"))
	if err != nil {
		a.renderMove(w, r, http.StatusUnprocessableEntity, b, from, "", frontoffice.FormErrors{{Field: "start", Message: msgPickSlot}}, "")
		return
	}
	if d := calendar.DateIn(start); d.After(from) {
		from = d
	}
	moved, err := a.appt.sched.Reschedule(r.Context(), b.ID, start, "")
	var verr *appointment.ValidationError
	switch {
	case errors.Is(err, appointment.ErrSlotTaken):
		a.renderMove(w, r, http.StatusConflict, b, from, "", nil, msgSlotTaken)
	case errors.Is(err, appointment.ErrTooLate), errors.Is(err, appointment.ErrInvalidTransition):
		a.renderAppointment(w, r, http.StatusUnprocessableEntity, b, "Deze afspraak kan niet meer verplaatst worden. Verplaatsen kan tot enkele uren voor de afspraak; bel anders het gemeentehuis.")
	case errors.As(err, &verr):
		a.renderMove(w, r, http.StatusUnprocessableEntity, b, from, "", frontoffice.FormErrors{{Field: "start", Message: msgSlotInvalid}}, "")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.log.Info("appointment moved", "booking", moved.ID)
		a.site.Flash(w, r, "Uw afspraak "+string(moved.Reference)+" is verplaatst naar "+dutchMoment(moved.Start)+".")
		http.Redirect(w, r, "/afspraken/"+moved.ID.String(), http.StatusSeeOther)
	}
}

func (a *Block) appointmentCancel(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.ownBooking(w, r, p)
	if !ok {
		return
	}
	if !frontoffice.Confirmed(r) {
		a.site.Confirm(w, r, frontoffice.Confirmation{Title: "Afspraak annuleren?",
			Question: "U annuleert uw afspraak " + string(b.Reference) + " van " + dutchMoment(b.Start) + ". Het tijdstip komt vrij voor anderen; wilt u toch komen, dan maakt u een nieuwe afspraak.",
			Yes:      "Ja, afspraak annuleren", Back: "/afspraken/" + b.ID.String()})
		return
	}
	c, err := a.appt.sched.Cancel(r.Context(), b.ID)
	switch {
	case errors.Is(err, appointment.ErrTooLate), errors.Is(err, appointment.ErrInvalidTransition):
		a.renderAppointment(w, r, http.StatusUnprocessableEntity, b, "Deze afspraak kan niet meer geannuleerd worden. Annuleren kan tot enkele uren voor de afspraak; bel anders het gemeentehuis.")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.log.Info("appointment cancelled", "booking", c.ID)
		a.site.Flash(w, r, "Uw afspraak "+string(c.Reference)+" is geannuleerd.")
		http.Redirect(w, r, "/afspraken/"+c.ID.String(), http.StatusSeeOther)
	}
}

// appointmentICS sends the booking as an iCalendar file: a request while it
// stands, a cancellation once cancelled, with the same UID throughout.
func (a *Block) appointmentICS(w http.ResponseWriter, r *http.Request, p *person) {
	b, ok := a.ownBooking(w, r, p)
	if !ok {
		return
	}
	svc, err := a.appt.sched.Service(r.Context(), b.ServiceID)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	loc, err := a.appt.sched.Location(r.Context(), b.LocationID)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="afspraak-`+string(b.Reference)+`.ics"`)
	_, _ = w.Write(appointment.ICS(b, svc, loc, a.appt.ics))
}

// clerkBookingRow is one booking on the counter's day overview.
type clerkBookingRow struct {
	Time, Reference, Citizen, Counter, Status, Channel string
	Cancelled                                          bool
}

// appointmentClerkPage is the data of the clerk's overview of one day.
type appointmentClerkPage struct {
	// Day is the day in words; Date, Prev and Next are it and the days
	// around it as YYYY-MM-DD.
	Day, Date, Prev, Next string
	Services              []clerkServiceDay
	Total                 int
	Closures              []string
}

// clerkServiceDay is one service's bookings of the day.
type clerkServiceDay struct {
	Service string
	Rows    []clerkBookingRow
}

var bookingChannelLabels = map[appointment.Channel]string{appointment.Web: "online", appointment.Phone: "telefoon", appointment.WalkIn: "aan de balie"}

// clerkAppointments is the counter's overview of one day ("dag", today by
// default), per service, in time order. Lapsed holds are left out.
func (a *Block) clerkAppointments(w http.ResponseWriter, r *http.Request, _ *person) {
	day := calendar.DateIn(time.Now())
	if d, err := calendar.ParseDate(r.URL.Query().Get("dag")); err == nil {
		day = d
	}
	bs, err := a.appt.bookingsBetween(r.Context(), day.Start(), day.AddDays(1).Start())
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	loc, err := a.appt.sched.Location(r.Context(), a.appt.location)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	now := time.Now()
	var out []clerkServiceDay
	total := 0
	for _, svc := range a.appt.services {
		sd := clerkServiceDay{Service: svc.Name}
		for _, b := range bs {
			st := b.StatusAt(now)
			if b.ServiceID != svc.ID || st == appointment.Expired {
				continue
			}
			counter := b.CounterID
			if c, ok := loc.Counter(b.CounterID); ok {
				counter = c.Name
			}
			sd.Rows = append(sd.Rows, clerkBookingRow{Time: b.Start.In(clock.Brussels).Format("15:04"), Reference: string(b.Reference),
				Citizen: b.Citizen.Name.String(), Counter: counter, Status: bookingStatusLabel(st), Channel: bookingChannelLabels[b.Channel],
				Cancelled: st == appointment.Cancelled})
			if st != appointment.Cancelled {
				total++
			}
		}
		out = append(out, sd)
	}
	a.show(w, r, http.StatusOK, "appointment_clerk.html", "Afspraken (balie)", appointmentClerkPage{
		Day: dutchDay(day), Date: day.String(), Services: out, Total: total,
		Prev: day.AddDays(-1).String(), Next: day.AddDays(1).String(),
		Closures: dayClosures(loc, a.appt.cal, day),
	})
}

// dayClosures says why the town hall is closed on day, if it is: a holiday,
// a closing day, or a weekday without opening hours.
func dayClosures(loc appointment.Location, cal *calendar.Calendar, day calendar.Date) []string {
	closures := describeLocation(loc, cal, "", day, day).Closures
	if len(closures) > 0 {
		return closures
	}
	for _, h := range loc.Hours {
		if h.Weekday == day.Weekday() {
			return nil
		}
	}
	for _, e := range loc.Exceptions {
		if e.Date == day && e.Kind == appointment.ExtraOpening {
			return nil
		}
	}
	return []string{dutchDay(day) + ": gesloten (geen openingsuren op " + dutchWeekdays[day.Weekday()] + ")"}
}

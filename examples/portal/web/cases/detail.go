package cases

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// entryLabels says in Dutch what a timeline entry is, for the clerk.
var entryLabels = map[casefile.EntryKind]string{
	casefile.EntryCreated: "Ingediend", casefile.EntryTransitioned: "Status gewijzigd", casefile.EntryAssigned: "Toegewezen",
	casefile.EntryCommented: "Notitie", casefile.EntryAttachmentAdded: "Bijlage toegevoegd", casefile.EntrySuspended: "Termijn opgeschort",
	casefile.EntryResumed: "Termijn loopt weer", casefile.EntryMerged: "Samengevoegd", casefile.EntryDuplicateAdded: "Dubbele melding toegevoegd",
	casefile.EntryFollowedParent: "Afgesloten met de hoofdmelding", casefile.EntryCategoryChanged: "Categorie gewijzigd",
	casefile.EntryLocationChanged: "Plaats gewijzigd", casefile.EntryAnswered: "Antwoord", casefile.EntryQuestionAsked: "Vraag aan de melder",
	casefile.EntryReporterAnswered: "Antwoord van de melder", casefile.EntryReopened: "Heropend", casefile.EntryRated: "Tevredenheid",
	casefile.EntryAnonymised: "Geanonimiseerd",
}

// entryView is one line of the clerk's timeline.
type entryView struct {
	At                time.Time
	Kind, Who, Status string
	Text              string
	Public            bool
}

// actionView is a transition the clerk may take on the case page, with
// the template the message starts from.
type actionView struct {
	Name, Label, Text string
	NeedsResult       bool
	Message           bool // the step writes to the citizen
}

// answerView is an answer to one of the category's extra questions.
type answerView struct{ Question, Answer string }

// nearbyView is an open case of the same category near this one.
type nearbyView struct {
	ID, Reference, Excerpt, Status string
	Metres                         int
	Version                        int
}

// clerkCasePage is the data of the clerk's page of one case.
type clerkCasePage struct{ Case clerkDetailData }

// clerkDetailData is the clerk's case page.
type clerkDetailData struct {
	Case                                  *casefile.Case
	Category, Subcategory, Status, Result string
	Team, Place                           string
	Map                                   mapView
	Photos                                []photoView
	Answers                               []answerView
	Reporter, Email, Phone                string
	Revealed                              bool
	Public, Internal                      []entryView
	Actions                               []actionView
	Results                               []casefile.Result
	Teams                                 []teamOption
	Categories                            []casefile.Category
	CategoryValue                         string
	Ask                                   bool   // the clerk may ask the reporter a question
	AskText                               string // its starting text
	Answer                                bool   // a question case the clerk may answer
	Reopen                                bool
	Nearby                                []nearbyView
	Due                                   time.Time
}

func (a *Block) clerkDetail(w http.ResponseWriter, r *http.Request, _ *person) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	a.showClerkDetail(w, r, id, false)
}

// showClerkDetail renders the case page; revealed shows the reporter's
// contact details in full.
func (a *Block) showClerkDetail(w http.ResponseWriter, r *http.Request, id uuid.UUID, revealed bool) {
	view, err := a.cases.ClerkView(r.Context(), id)
	if errors.Is(err, casefile.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	c := view.Case
	ct, err := a.cases.CaseTypeOf(c)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	d := clerkDetailData{Case: c, Team: teamNames[c.Team], Place: placeText(c.Location), Map: a.mapOf(c.Location),
		Photos: photoViews(c), Answers: answerViews(ct, c), Reporter: maskedName(c.Requester), Revealed: revealed,
		Results: ct.Results, Teams: teamOptions(), Categories: ct.Categories, Due: c.Due}
	if d.Team == "" {
		d.Team = c.Team
	}
	d.Category, d.Subcategory = categoryLabels(ct, c.Category, c.Subcategory)
	d.CategoryValue = c.Category
	if c.Subcategory != "" {
		d.CategoryValue += "/" + c.Subcategory
	}
	if s, ok := ct.Status(c.Status); ok {
		d.Status = s.Label.In("nl")
	}
	if res, ok := ct.Result(c.Result); ok {
		d.Result = res.Label.In("nl")
	}
	if revealed {
		d.Email, d.Phone = string(c.Requester.Email), string(c.Requester.Phone)
		d.Reporter = c.Requester.Name.String()
	} else {
		d.Email, d.Phone = c.Requester.Email.LogValue().String(), c.Requester.Phone.LogValue().String()
	}
	for _, e := range view.Timeline {
		ev := entryView{At: e.At, Kind: entryLabels[e.Kind], Who: who(e.Actor), Text: e.Text, Public: e.Public}
		if ev.Kind == "" {
			ev.Kind = string(e.Kind)
		}
		if e.ToStatus != "" {
			if s, ok := ct.Status(e.ToStatus); ok {
				ev.Status = s.Label.In("nl")
			}
		}
		if e.Kind == casefile.EntryAssigned {
			ev.Text = strings.TrimSpace(teamNames[e.Team] + " " + e.Assignee + " " + e.Text)
		}
		if e.Public {
			d.Public = append(d.Public, ev)
		} else {
			d.Internal = append(d.Internal, ev)
		}
	}
	for _, t := range ct.Transitions {
		if t.Name == ct.Questions.Ask || t.Name == ct.Questions.Answer || !clerkMay(ct, c, t) {
			continue
		}
		label := transitionLabels[t.Name]
		if label == "" {
			label = t.Name
		}
		d.Actions = append(d.Actions, actionView{Name: t.Name, Label: label, Text: ct.StartingText(c, t.To, "nl"),
			NeedsResult: t.Guard == casefile.GuardResultRecorded, Message: !quickTransitions[t.Name]})
	}
	if t, ok := ct.Transition(ct.Questions.Ask); ok && clerkMay(ct, c, t) {
		d.Ask, d.AskText = true, ct.StartingText(c, t.To, "nl")
	}
	d.Answer = c.Type == "vragen" && !c.Closed
	d.Reopen = c.Closed && ct.Reopen.Allows(c.Status) && c.MergedInto == uuid.Nil
	if !c.Closed && c.Location.HasPoint() && c.MergedInto == uuid.Nil {
		d.Nearby = a.nearby(r.Context(), c.Category, c.Location.Point, c.ID)
	}
	a.allowTiles(w)
	a.show(w, r, http.StatusOK, "clerk_case.html", "Melding "+c.Reference, clerkCasePage{Case: d})
}

// nearby lists the open cases of category within 250 m of p, but not skip.
func (a *Block) nearby(ctx context.Context, category string, p casefile.Point, skip uuid.UUID) []nearbyView {
	found, err := a.cases.Nearby(ctx, category, p, 250)
	if err != nil {
		a.log.Warn("nearby cases", "err", err)
		return nil
	}
	var out []nearbyView
	for _, n := range found {
		if n.Case.ID == skip || n.Case.Type != "meldingen" {
			continue
		}
		v := a.citizenView(n.Case)
		out = append(out, nearbyView{ID: n.Case.ID.String(), Reference: n.Case.Reference, Excerpt: excerpt(n.Case.Description, 80),
			Status: v.StatusLabel, Metres: int(n.Distance + 0.5), Version: n.Case.Version})
	}
	return out
}

// who names the actor of a timeline entry for the clerk.
func who(a casefile.Actor) string {
	switch a.Role {
	case casefile.RoleCitizen:
		return "melder"
	case casefile.RoleSystem:
		return "systeem"
	}
	return a.ID
}

// answerViews gives the answers to the category's extra questions in
// Dutch.
func answerViews(ct *casefile.CaseType, c *casefile.Case) []answerView {
	var out []answerView
	for _, q := range ct.Attributes(c.Category) {
		for _, v := range c.Attributes {
			if v.Code != q.Code {
				continue
			}
			words := make([]string, 0, len(v.Values))
			for _, val := range v.Values {
				words = append(words, attributeWord(q, val))
			}
			out = append(out, answerView{Question: q.Label.In("nl"), Answer: strings.Join(words, ", ")})
		}
	}
	return out
}

// attributeWord is one canonical answer in Dutch.
func attributeWord(q casefile.Attribute, v string) string {
	switch q.Type {
	case casefile.AttributeYesNo:
		if v == "true" {
			return "ja"
		}
		return "nee"
	case casefile.AttributeNumber:
		return strings.Replace(v, ".", ",", 1)
	case casefile.AttributeDate:
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return t.Format("02/01/2006")
		}
	case casefile.AttributeChoice, casefile.AttributeMultiChoice:
		for _, ch := range q.Choices {
			if ch.Code == v {
				return ch.Label.In("nl")
			}
		}
	}
	return v
}

// maskedName is the reporter as the clerk sees them before revealing:
// initials and the family name's first letter.
func maskedName(r casefile.Requester) string {
	if r.Name.String() == "" {
		if r.ID == "" && r.Email == "" {
			return "anoniem"
		}
		return "melder"
	}
	return r.Name.LogValue().String()
}

// placeText is the place of a case on one line.
func placeText(l casefile.Location) string {
	var parts []string
	if l.HasAddress() {
		parts = append(parts, l.Address.String())
	}
	if l.Text != "" {
		parts = append(parts, l.Text)
	}
	if l.HasPoint() {
		parts = append(parts, coordinate(l.Point.Lat)+" N, "+coordinate(l.Point.Lon)+" O")
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " – ")
}

// coordinate writes a degree with a decimal comma, to 5 places (a metre).
func coordinate(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 5, 64), ".", ",", 1)
}

// clerkAction runs one of the case page's forms other than a transition.
func (a *Block) clerkAction(w http.ResponseWriter, r *http.Request, p *person) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	text := strings.TrimSpace(r.PostFormValue("text"))
	ctx := r.Context()
	var c *casefile.Case
	switch r.PathValue("action") {
	case "contact":
		// Revealing a reporter's contact details is logged, in the log and
		// in the case's internal timeline: who looked, and when.
		a.log.Info("audit: contact details revealed", "case", id, "clerk", p.ID)
		if _, err := a.cases.Comment(ctx, casefile.CommentRequest{CaseID: id, Text: "Contactgegevens van de melder getoond aan " + p.ID + ".", Actor: clerkActor}); err != nil {
			a.clerkDone(w, r, nil, err, true)
			return
		}
		a.showClerkDetail(w, r, id, true)
		return
	case "notitie":
		if text == "" {
			a.site.Message(w, r, http.StatusUnprocessableEntity, "Notitie leeg", "Schrijf een notitie. Ga terug en probeer opnieuw.")
			return
		}
		c, err = a.cases.Comment(ctx, casefile.CommentRequest{CaseID: id, Text: text, Actor: clerkActor})
	case "vraag":
		c, err = a.cases.AskReporter(ctx, casefile.AskRequest{CaseID: id, Version: version, Question: text, Actor: casefile.Actor{ID: clerkActor.ID, Role: casefile.RoleHandler}})
	case "antwoord":
		req := casefile.AnswerRequest{CaseID: id, Version: version, Text: text, Actor: casefile.Actor{ID: clerkActor.ID, Role: casefile.RoleHandler}}
		if r.PostFormValue("close") != "" {
			req.Transition, req.Result = "resolve", "answered"
		}
		c, err = a.cases.Answer(ctx, req)
	case "toewijzen":
		team := r.PostFormValue("team")
		if _, ok := teamNames[team]; !ok {
			a.site.Message(w, r, http.StatusUnprocessableEntity, "Team onbekend", "Kies een team uit de lijst. Ga terug en probeer opnieuw.")
			return
		}
		c, err = a.cases.Assign(ctx, casefile.AssignRequest{CaseID: id, Version: version, Team: team,
			Assignee: strings.TrimSpace(r.PostFormValue("assignee")), Reason: text, Actor: casefile.Actor{ID: clerkActor.ID, Role: casefile.RoleSupervisor}})
	case "wijzigen":
		req := casefile.AmendRequest{CaseID: id, Version: version, Reason: text, Actor: clerkActor}
		if cat := r.PostFormValue("category"); cat != "" {
			req.Category, req.Subcategory, _ = strings.Cut(cat, "/")
		}
		f := formOf(r)
		if f.hasPlace() {
			loc, errsByField := a.locationOf(ctx, &f)
			if len(errsByField) > 0 {
				a.site.Message(w, r, http.StatusUnprocessableEntity, "Plaats niet geldig", firstMessage(errsByField))
				return
			}
			req.Location = &loc
		}
		c, err = a.cases.Amend(ctx, req)
	case "heropenen":
		c, err = a.cases.Reopen(ctx, casefile.ReopenRequest{CaseID: id, Version: version, Reason: text, Actor: casefile.Actor{ID: clerkActor.ID, Role: casefile.RoleSupervisor}})
	case "samenvoegen":
		into, perr := uuid.Parse(r.PostFormValue("into"))
		if perr != nil {
			a.notFound(w, r)
			return
		}
		c, err = a.cases.Merge(ctx, casefile.MergeRequest{CaseID: id, Version: version, Into: into, Actor: clerkActor})
	default:
		a.notFound(w, r)
		return
	}
	a.clerkDone(w, r, c, err, true)
}

package casefile

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// The events of questions: the clerk's answer to a question case, a
// question asked of the reporter, and the reporter's answer. The answer
// and the question also reach the requester as an EventRequesterNotice
// carrying the text, so whoever informs citizens can deliver it by their
// chosen channel.
const (
	EventAnswered         = "casefile.question_answered"
	EventQuestionAsked    = "casefile.reporter_question_asked"
	EventReporterAnswered = "casefile.reporter_answered"
)

// The public timeline entries of questions; Text holds the words.
const (
	EntryAnswered         EntryKind = "answered"          // the municipality's answer to a question
	EntryQuestionAsked    EntryKind = "question_asked"    // a question to the reporter
	EntryReporterAnswered EntryKind = "reporter_answered" // the reporter's answer
)

// QuestionEvent is the payload of the three question events; the text
// stays in the timeline and the requester notice.
type QuestionEvent struct {
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Actor     Actor  `json:"actor"`
}

// ErrNotWaiting is returned when the reporter answers a case that asks
// them nothing.
var ErrNotWaiting = fmt.Errorf("%w: the case is not waiting for the reporter", ErrInvalidTransition)

// AnswerRequest answers a question case ("vraag stellen") in free text.
// With Transition set, the case takes it in the same change (e.g. to
// close the question with a result).
type AnswerRequest struct {
	CaseID     uuid.UUID `json:"case_id"`
	Version    int       `json:"version"`
	Text       string    `json:"text"`
	Transition string    `json:"transition,omitempty"`
	Result     string    `json:"result,omitempty"`
	Actor      Actor     `json:"actor"`
}

// Answer records the municipality's answer to a case in the public
// timeline and asks for it to be delivered to the requester. Staff only.
// Errors: ErrForbidden, ErrInvalidTransition (closed case, or the
// transition cannot be taken), ErrConflict, *ValidationError.
func (s *Service) Answer(ctx context.Context, r AnswerRequest) (*Case, error) {
	if err := s.checkText(r, r.CaseID, r.Version, true, r.Text, r.Actor); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "answer a question"); err != nil {
		return nil, err
	}
	now := s.now()
	c, err := s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if c.Closed || c.MergedInto != uuid.Nil {
			return Change{}, fmt.Errorf("%w: case %s is closed or merged", ErrInvalidTransition, c.Reference)
		}
		e := Entry{ID: id.New(), CaseID: c.ID, Kind: EntryAnswered, Actor: r.Actor, At: now, Public: true, Text: r.Text, Version: c.Version}
		var rec Change
		if r.Transition != "" {
			if err := s.take(ct, c, r.Transition, r.Result, r.Actor, now, &e, &rec); err != nil {
				return Change{}, err
			}
		}
		c.UpdatedAt = now
		rec.Entries = append([]Entry{e}, rec.Entries...)
		rec.Events = append(rec.Events, newEvent(EventAnswered, c, now, QuestionEvent{Reference: c.Reference, Status: c.Status, Actor: r.Actor}))
		if n, ok := s.noticeText(ct, c, now, EntryAnswered, r.Text); ok {
			rec.Events = append(rec.Events, n)
		}
		return rec, nil
	}))
	if err == nil && c.Closed {
		err = s.FollowParent(ctx, c.ID)
	}
	return c, err
}

// AskRequest asks the reporter a question in free text.
type AskRequest struct {
	CaseID   uuid.UUID `json:"case_id"`
	Version  int       `json:"version"`
	Question string    `json:"question"`
	Actor    Actor     `json:"actor"`
}

// AskReporter takes the case type's ask transition to its waiting status
// ("wacht op melder"), with the question in the public timeline and a
// notice to the reporter. Where the case type suspends while waiting, the
// deadline stops until the answer. Staff only.
func (s *Service) AskReporter(ctx context.Context, r AskRequest) (*Case, error) {
	if err := s.checkText(r, r.CaseID, r.Version, true, r.Question, r.Actor); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "ask the reporter a question"); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if ct.Questions.Ask == "" {
			return Change{}, fmt.Errorf("%w: case type %q declares no question to the reporter", ErrInvalidTransition, ct.Code)
		}
		if c.MergedInto != uuid.Nil {
			return Change{}, fmt.Errorf("%w: case %s is merged and follows its parent", ErrInvalidTransition, c.Reference)
		}
		e := Entry{ID: id.New(), CaseID: c.ID, Kind: EntryQuestionAsked, Actor: r.Actor, At: now, Public: true, Text: r.Question, Version: c.Version}
		var rec Change
		if err := s.take(ct, c, ct.Questions.Ask, "", r.Actor, now, &e, &rec); err != nil {
			return Change{}, err
		}
		rec.Entries = append([]Entry{e}, rec.Entries...)
		rec.Events = append(rec.Events, newEvent(EventQuestionAsked, c, now, QuestionEvent{Reference: c.Reference, Status: c.Status, Actor: r.Actor}))
		if n, ok := s.noticeText(ct, c, now, EntryQuestionAsked, r.Question); ok {
			rec.Events = append(rec.Events, n)
		}
		return rec, nil
	}))
}

// ReporterAnswerRequest is the reporter's answer to the question asked.
type ReporterAnswerRequest struct {
	CaseID uuid.UUID `json:"case_id"`
	// Version is the version the reporter saw; 0 accepts any.
	Version int    `json:"version,omitempty"`
	Text    string `json:"text"`
	Actor   Actor  `json:"actor"`
}

// AnswerReporterQuestion records the reporter's answer in the public
// timeline and takes the case type's answer transition out of the waiting
// status; a suspended deadline resumes, moved by the time spent waiting
// (in working days for working-day deadlines). Errors: ErrNotReporter,
// ErrNotWaiting, ErrConflict, *ValidationError.
func (s *Service) AnswerReporterQuestion(ctx context.Context, r ReporterAnswerRequest) (*Case, error) {
	if err := s.checkText(r, r.CaseID, r.Version, false, r.Text, r.Actor); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if !isReporter(c, r.Actor) {
			return Change{}, fmt.Errorf("%w: case %s", ErrNotReporter, c.Reference)
		}
		st, _ := ct.Status(c.Status)
		if !st.Waiting || ct.Questions.Answer == "" || c.Closed {
			return Change{}, fmt.Errorf("%w: case %s is in status %q", ErrNotWaiting, c.Reference, c.Status)
		}
		e := Entry{ID: id.New(), CaseID: c.ID, Kind: EntryReporterAnswered, Actor: r.Actor, At: now, Public: true, Text: r.Text, Version: c.Version}
		var rec Change
		if err := s.take(ct, c, ct.Questions.Answer, "", r.Actor, now, &e, &rec); err != nil {
			return Change{}, err
		}
		rec.Entries = append([]Entry{e}, rec.Entries...)
		rec.Events = append(rec.Events, newEvent(EventReporterAnswered, c, now, QuestionEvent{Reference: c.Reference, Status: c.Status, Actor: r.Actor}))
		return rec, nil
	}))
}

// checkText validates the common fields of the question requests.
func (s *Service) checkText(req any, caseID uuid.UUID, version int, needVersion bool, text string, actor Actor) error {
	var v errs.Collector
	v.Merge("", validate.Input(req))
	if caseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if needVersion && version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	} else if version < 0 {
		v.Add("version", "gte", "must not be negative")
	}
	checkDescription(&v, "text", text)
	checkActor(&v, actor)
	return v.Err()
}

// take moves c along the transition named name as Transition does, filling
// e (the entry that carries the message) with the status change and adding
// the transition's event and any deadline entry and event to rec.
func (s *Service) take(ct *CaseType, c *Case, name, result string, actor Actor, now time.Time, e *Entry, rec *Change) error {
	t, err := ct.CanTake(name, c.Status, actor.Role, result, c.Assignee != "")
	if err != nil {
		return err
	}
	from := c.Status
	c.Status, c.UpdatedAt = t.To, now
	to, _ := ct.Status(t.To)
	if t.Guard == GuardResultRecorded {
		c.Result = result
	}
	c.Closed = to.Terminal
	if c.Closed {
		c.ClosedAt = now
	}
	e.Transition, e.FromStatus, e.ToStatus, e.Result = t.Name, from, t.To, c.Result
	rec.Events = append(rec.Events, newEvent(EventTransitioned, c, now, Transitioned{Reference: c.Reference, Transition: t.Name,
		From: from, To: t.To, Result: c.Result, Closed: c.Closed, Actor: actor}))
	s.adjustDeadline(ct, c, to, actor, now, rec)
	return nil
}

package permit

import (
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Action is something that can happen to an application.
type Action string

// The actions of the lifecycle.
const (
	ActModify        Action = "modify"
	ActSubmit        Action = "submit"
	ActRequestInfo   Action = "request_completion"
	ActResubmit      Action = "resubmit"
	ActStartAdvice   Action = "start_advice"
	ActGiveAdvice    Action = "give_advice"
	ActGrant         Action = "grant"
	ActRefuse        Action = "refuse"
	ActWithdraw      Action = "withdraw"
	ActActivate      Action = "activate"
	ActEnd           Action = "end"
	ActRemindOverdue Action = "remind_overdue"
)

// allowed lists, per action, the statuses it may start from. Withdrawal
// and modification are possible until the occupation starts; a change
// after submission sends the application back for a new assessment.
var allowed = map[Action][]Status{
	ActModify:        {StatusDraft, StatusSubmitted, StatusIncomplete, StatusInAdvice, StatusGranted},
	ActSubmit:        {StatusDraft},
	ActRequestInfo:   {StatusSubmitted, StatusInAdvice},
	ActResubmit:      {StatusIncomplete},
	ActStartAdvice:   {StatusSubmitted},
	ActGiveAdvice:    {StatusInAdvice},
	ActRemindOverdue: {StatusInAdvice},
	ActGrant:         {StatusSubmitted, StatusInAdvice},
	ActRefuse:        {StatusSubmitted, StatusInAdvice},
	ActWithdraw:      {StatusDraft, StatusSubmitted, StatusIncomplete, StatusInAdvice, StatusGranted},
	ActActivate:      {StatusGranted},
	ActEnd:           {StatusActive},
}

// CanDo reports whether the action is allowed from the application's status.
func CanDo(a *Application, act Action) error {
	for _, s := range allowed[act] {
		if a.Status == s {
			return nil
		}
	}
	return fmt.Errorf("%w: cannot %s an application that is %s", errs.ErrInvalidTransition, act, a.Status)
}

// beforeStart guards modification and withdrawal of a granted permit:
// once the occupation has started, the permit stands.
func beforeStart(a *Application, act Action, now time.Time) error {
	if a.Status == StatusGranted && !now.Before(a.Span().Start) {
		return fmt.Errorf("%w: cannot %s a permit whose occupation has started", errs.ErrInvalidTransition, act)
	}
	return nil
}

// adviceComplete reports whether every requested department answered or
// let its due time pass (silence does not block a decision).
func adviceComplete(a *Application, now time.Time) bool {
	for _, ad := range a.Advice {
		if ad.Opinion == "" && now.Before(ad.Due) {
			return false
		}
	}
	return true
}

package failures

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// failuresPage is the data of "Storingen": the failed events, oldest first.
type failuresPage struct{ Rows []failureRow }

// failureRow is one failed event as the clerk sees it.
type failureRow struct {
	Consumer, Type, Aggregate, LastError string
	Seq                                  int64
	Attempts                             int
	Parked                               bool
	NextAttempt, Happened                time.Time
}

func (a *Block) clerkFailures(w http.ResponseWriter, r *http.Request, _ *person) {
	fs, err := a.events.Failures(r.Context(), "")
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	rows := make([]failureRow, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, failureRow{Consumer: f.Consumer, Type: f.Event.Type, Aggregate: f.Event.AggregateID.String(),
			LastError: f.LastError, Seq: f.Seq, Attempts: f.Attempts, Parked: f.Parked, NextAttempt: f.NextAttempt, Happened: f.Event.Time})
	}
	a.show(w, r, http.StatusOK, "failures.html", "Storingen", failuresPage{Rows: rows})
}

func (a *Block) clerkReplay(w http.ResponseWriter, r *http.Request, _ *person) {
	consumer := r.PostFormValue("consumer")
	seq, err := strconv.ParseInt(r.PostFormValue("seq"), 10, 64)
	if err == nil {
		err = a.events.Replay(r.Context(), consumer, seq)
	}
	switch {
	case errors.Is(err, event.ErrNoFailure), err != nil && seq == 0:
		a.site.Flash(w, r, "Die storing bestaat niet meer; de lijst hieronder is bijgewerkt.")
	case err != nil:
		a.site.Fail(w, r, err)
		return
	default:
		a.log.Info("event replayed by clerk", "consumer", consumer, "seq", seq)
		a.site.Flash(w, r, fmt.Sprintf("Gebeurtenis %d wordt opnieuw verwerkt door %q.", seq, consumer))
	}
	http.Redirect(w, r, "/balie/storingen", http.StatusSeeOther)
}

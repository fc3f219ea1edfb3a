package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// setupFailures adds the clerk's page "Storingen": the events a consumer
// failed to handle, waiting for a retry or parked after its last attempt,
// each with a button that tries it again at once.
func (a *app) setupFailures(context.Context) error {
	a.nav = append(a.nav, navLink{Label: "Storingen", Href: "/balie/storingen", Clerk: true})
	return nil
}

// failureRow is one failed event as the clerk sees it.
type failureRow struct {
	Consumer, Type, Aggregate, LastError string
	Seq                                  int64
	Attempts                             int
	Parked                               bool
	NextAttempt, Happened                time.Time
}

func (a *app) clerkFailures(w http.ResponseWriter, r *http.Request, _ *person) {
	fs, err := a.be.events.Failures(r.Context(), "")
	if err != nil {
		a.serverError(w, r, err.Error())
		return
	}
	rows := make([]failureRow, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, failureRow{Consumer: f.Consumer, Type: f.Event.Type, Aggregate: f.Event.AggregateID.String(),
			LastError: f.LastError, Seq: f.Seq, Attempts: f.Attempts, Parked: f.Parked, NextAttempt: f.NextAttempt, Happened: f.Event.Time})
	}
	a.render(w, r, http.StatusOK, "failures.html", map[string]any{"Title": "Storingen", "Rows": rows})
}

func (a *app) clerkReplay(w http.ResponseWriter, r *http.Request, _ *person) {
	sess := a.sessions.get(w, r)
	if !sess.validCSRF(r) {
		a.formExpired(w, r)
		return
	}
	consumer := r.PostFormValue("consumer")
	seq, err := strconv.ParseInt(r.PostFormValue("seq"), 10, 64)
	if err == nil {
		err = a.be.events.Replay(r.Context(), consumer, seq)
	}
	switch {
	case errors.Is(err, event.ErrNoFailure), err != nil && seq == 0:
		sess.setFlash("Die storing bestaat niet meer; de lijst hieronder is bijgewerkt.")
	case err != nil:
		a.serverError(w, r, err.Error())
		return
	default:
		a.log.Info("event replayed by clerk", "consumer", consumer, "seq", seq)
		sess.setFlash(fmt.Sprintf("Gebeurtenis %d wordt opnieuw verwerkt door %q.", seq, consumer))
	}
	http.Redirect(w, r, "/balie/storingen", http.StatusSeeOther)
}

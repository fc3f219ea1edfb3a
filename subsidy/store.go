package subsidy

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// ChangeFunc changes a call and some of its applications and returns the
// events that record the change. Returning an error leaves everything as it was.
type ChangeFunc func(call *Call, apps []*Application) ([]event.Event, error)

// Store is what the service needs from storage. Every write also makes the
// events durable, atomically with the change.
type Store interface {
	CreateScheme(ctx context.Context, s Scheme, events []event.Event) error
	Scheme(ctx context.Context, id uuid.UUID) (Scheme, error)
	// CreateCall fails with ErrNotFound when the scheme does not exist.
	CreateCall(ctx context.Context, c Call, events []event.Event) error
	Call(ctx context.Context, id uuid.UUID) (Call, error)
	// Calls yields every call in creation order, so a front office can
	// list the open ones.
	Calls(ctx context.Context) iter.Seq2[Call, error]
	// CreateApplication fails with ErrNotFound when the call does not
	// exist. When a.IdempotencyKey is set and an application holds it, it
	// stores nothing, publishes nothing and returns a *DuplicateError
	// naming that application; of concurrent creates with one key exactly
	// one stores its application.
	CreateApplication(ctx context.Context, a Application, events []event.Event) error
	Application(ctx context.Context, id uuid.UUID) (Application, error)
	// Applications yields the call's applications in creation order.
	Applications(ctx context.Context, callID uuid.UUID) iter.Seq2[Application, error]
	// ApplicationsOf yields the applications, of any call, whose
	// ApplicantRef is one of refs, in creation order. It reads an index
	// by reference, not every application.
	ApplicationsOf(ctx context.Context, refs []string) iter.Seq2[Application, error]
	// Update is the one door for changes: it locks the call and the listed
	// applications (which must belong to it, else ErrNotFound), runs fn once
	// on fresh copies and saves them with the events, or nothing when fn
	// fails. Concurrent updates of one call are serialised, which is what
	// keeps the budget ledger right.
	Update(ctx context.Context, callID uuid.UUID, appIDs []uuid.UUID, fn ChangeFunc) error
}

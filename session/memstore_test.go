package session_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/session/sessiontest"
)

func TestMemStore(t *testing.T) {
	sessiontest.Run(t, func(*testing.T) session.Store { return session.NewMemStore() })
}

func TestZeroMemStore(t *testing.T) {
	sessiontest.Run(t, func(*testing.T) session.Store { return new(session.MemStore) })
}

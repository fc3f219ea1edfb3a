package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpiredSessionsAreSwept(t *testing.T) {
	s := newSessions(time.Millisecond)
	for range sweepEvery - 1 {
		s.start(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/aanmelden", nil), "an", false)
	}
	require.Equal(t, sweepEvery-1, s.len())
	time.Sleep(5 * time.Millisecond) // let the 1 ms sessions expire
	s.start(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/aanmelden", nil), "an", false)
	assert.Equal(t, 1, s.len(), "the sweep removed every expired session")
}

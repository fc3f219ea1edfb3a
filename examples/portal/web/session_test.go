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
		s.get(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	}
	require.Len(t, s.byID, sweepEvery-1)
	time.Sleep(5 * time.Millisecond) // let the 1 ms sessions expire
	s.get(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Len(t, s.byID, 1, "the sweep removed every expired session")
}

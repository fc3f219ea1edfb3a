package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/permit"
)

// failBlock answers every request with the error its path names.
type failBlock struct{ s *Server }

func (b failBlock) Register(mux *http.ServeMux) {
	errs := map[string]error{
		"weg":      fmt.Errorf("load: %w", permit.ErrNotFound),
		"conflict": fmt.Errorf("save: %w", permit.ErrConflict),
		"kapot":    errors.New("database on fire: secret detail"),
	}
	mux.HandleFunc("GET /fout/{kind}", func(w http.ResponseWriter, r *http.Request) {
		b.s.Fail(w, r, errs[r.PathValue("kind")])
	})
	mux.HandleFunc("GET /paniek", func(http.ResponseWriter, *http.Request) { panic("secret detail") })
}

func TestFailAnswersEachErrorKindInDutch(t *testing.T) {
	s := newTestServer(t, Deps{})
	s.Add(failBlock{s})
	h := s.Handler()
	for path, want := range map[string]int{
		"/fout/weg": http.StatusNotFound, "/fout/conflict": http.StatusConflict,
		"/fout/kapot": http.StatusInternalServerError, "/paniek": http.StatusInternalServerError,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, want, rec.Code, path)
		assert.Contains(t, rec.Body.String(), `lang="nl"`, path)
		assert.NotContains(t, rec.Body.String(), "secret detail", path)
		assert.NotContains(t, rec.Body.String(), "goroutine", path)
	}
}

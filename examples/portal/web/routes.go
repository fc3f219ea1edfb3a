package web

import (
	"io/fs"
	"net/http"
	"strings"
)

// Handler returns the portal: the shared routes, every block's routes, and
// the middleware every request passes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", s.static())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET "+signInPath, s.signInStart)
	mux.HandleFunc("GET "+callbackPath, s.signInCallback)
	mux.HandleFunc("POST "+signOutPath, s.signOut)
	mux.HandleFunc("POST "+switchPath, s.requirePerson(s.switchCapacity))
	mux.HandleFunc("GET /ondernemers", s.enterpriseDoor)
	if s.demoIdP != nil {
		mux.Handle(demoPrefix, s.demoIdP)
	}
	mux.HandleFunc("GET /mijn-dossiers", s.requirePerson(s.dossierOverview))
	mux.HandleFunc("GET /balie", s.requireClerk(s.clerkHome))
	for _, b := range s.blocks {
		b.Register(mux)
	}
	mux.HandleFunc("/", s.NotFound)
	return s.recoverer(s.securityHeaders(s.visitor(s.protect(mux))))
}

// static serves the style sheet and the like: files only, no listing of
// a folder, and the Dutch page for what is not there.
func (s *Server) static() http.Handler {
	files, _ := fs.Sub(staticFS, "static")
	serve := http.StripPrefix("/static/", http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(files, name); name == "" || err != nil || st.IsDir() {
			s.NotFound(w, r)
			return
		}
		serve.ServeHTTP(w, r)
	})
}

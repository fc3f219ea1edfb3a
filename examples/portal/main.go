// Command portal is the reference front door of a municipality for its
// citizens and entrepreneurs ("digitaal loket", "ondernemersloket"), built
// only from the SDK's packages. It runs on in-memory stores with a demo
// municipality and demo people:
//
//	go run ./examples/portal              # http://127.0.0.1:8080
//	go run ./examples/portal -addr :9000
//	go run ./examples/portal -postgres postgres://postgres@127.0.0.1:5432/test
//	go run ./examples/portal -demo-dossiers 10000   # for load tests, see LOADTEST.md
//	go run ./examples/portal -trust-proxy           # behind a proxy that terminates TLS
//	go run ./examples/portal -tls-cert c.pem -tls-key k.pem
//
// With -postgres every building block keeps its data in PostgreSQL (tables
// are created on start, the demo data is seeded once) and events travel
// through the transactional outbox.
//
// Visitors sign in with OpenID Connect (package signin). Without flags the
// portal runs an embedded DEMO provider under /demo-idp/ (package
// signin/demoidp, every page marked as a demo), where one picks a demo
// person and signs in as a citizen or for one of their enterprises; the
// portal signs in there exactly as at a real provider. With a real one:
//
//	BOUWSTENEN_OIDC_CLIENT_SECRET=... BOUWSTENEN_COOKIE_SECRET=... go run ./examples/portal \
//	    -public-url https://loket.gemeente.be \
//	    -oidc-issuer https://authenticatie-ti.vlaanderen.be/op -oidc-client-id ...
//
// README.md says what to ask ACM/IDM for and how to map another provider's
// claims (-oidc-claims, -oidc-claim-*). Sessions live in memory, or with
// -postgres in PostgreSQL, where they survive a restart and are shared by
// every instance.
//
// # How the building blocks are composed
//
// This program is the reference for composing the SDK; README.md in this
// folder describes the layout. Read it in this order:
//
//   - compose.go: every building block's service on the stores, the
//     wiring, the demo data and the pages, in that order.
//   - wiring/: where the stores live (memory or PostgreSQL) and how their
//     events reach the portal's consumers: named handlers, each with its own
//     progress, run after the change is committed, outside every store's
//     lock, at least once (so each handler is idempotent), retried with
//     backoff and parked after five attempts ("Storingen" on the clerk's
//     pages). In PostgreSQL all of it survives a crash. The consumers
//     between blocks, through small interfaces the consumer defines:
//     wiring/permits.go (a granted permit gets its invoice, through the
//     Invoicer interface, and its signage schedule; a paid invoice marks the
//     permit's fee paid; a withdrawn permit cancels its unpaid invoice) and
//     wiring/notices.go (a case update and a booking confirmation reach the
//     citizen by the channel they chose, through the Notifier interface).
//   - web/: the host (layout, sessions, middleware, the shared pages) and
//     one folder per building block with its pages, which imports nothing
//     of the host and can be copied alone.
//   - records/ (the portal's own small stores) and demo/ (the demo
//     municipality and its seed data).
//
// Domain packages never import each other; only this program knows them all.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address")
	flag.StringVar(&cfg.Postgres, "postgres", "", "PostgreSQL URL; empty runs on in-memory stores")
	flag.IntVar(&cfg.DemoDossiers, "demo-dossiers", 0, "file this many extra demo reports, 20 of them An's, for load tests")
	flag.BoolVar(&cfg.TrustProxy, "trust-proxy", false, "trust X-Forwarded-Proto from a TLS-terminating proxy in front (HSTS)")
	flag.StringVar(&cfg.TLSCert, "tls-cert", "", "serve HTTPS with this certificate (PEM); needs -tls-key")
	flag.StringVar(&cfg.TLSKey, "tls-key", "", "the private key of -tls-cert (PEM)")
	flag.StringVar(&cfg.SignIn.PublicURL, "public-url", "", "the portal's address as browsers reach it (https://loket.gemeente.be); required with -oidc-issuer")
	oidc := oidcFlags(flag.CommandLine)
	dataDir := flag.String("data", "", "data directory: photos of reports are kept in its folder photos/; empty keeps them in memory")
	tiles := flag.String("tiles", defaultTiles, "map tile URL template for the report map; empty shows no map")
	register := flag.Bool("adressenregister", false, "look addresses up in Basisregisters Vlaanderen instead of the demo gazetteer")
	open311Key := flag.String("open311-key", DemoOpen311Key, "API key that may file reports over Open311 at /open311/v2/")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var err error
	if cfg.SignIn.OIDC, err = oidc.config(os.Getenv); err != nil {
		log.Error("portal not started", "err", err)
		os.Exit(2)
	}
	if cfg.SignIn.Secret, err = cookieSecret(os.Getenv); err != nil {
		log.Error("portal not started", "err", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := caseOptions{TileURL: *tiles, Register: *register, Open311Key: *open311Key}
	if *dataDir != "" {
		u, err := photoURLIn(*dataDir)
		if err != nil {
			log.Error("portal stopped", "err", err)
			os.Exit(1)
		}
		opts.PhotoURL = u
	}
	if *open311Key == DemoOpen311Key {
		log.Info("Open311 endpoint at /open311/v2/ takes reports with the demo API key", "api_key", DemoOpen311Key)
	}
	ctx = withCaseOpts(ctx, opts)
	if err := run(ctx, log, cfg); err != nil {
		log.Error("portal stopped", "err", err)
		os.Exit(1)
	}
}

// config is what run needs.
type config struct {
	// Addr is the listen address.
	Addr string
	// Postgres is the PostgreSQL URL, or empty for in-memory stores.
	Postgres string
	// DemoDossiers extra demo reports are filed before the portal listens.
	DemoDossiers int
	// TrustProxy trusts X-Forwarded-Proto (see web.Deps.TrustProxy).
	TrustProxy bool
	// TLSCert and TLSKey serve HTTPS directly when set.
	TLSCert, TLSKey string
	// SignIn says where visitors sign in: the demo provider, or a real one.
	SignIn signInConfig
	// Listening, when set, is told the address the portal listens on.
	Listening func(net.Addr)
}

// run serves the portal on cfg.Addr until ctx is done, then shuts down
// gracefully, giving requests in flight ten seconds to finish.
func run(ctx context.Context, log *slog.Logger, cfg config) error {
	addr, pg, demoDossiers := cfg.Addr, cfg.Postgres, cfg.DemoDossiers
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return errors.New("portal: -tls-cert and -tls-key go together")
	}
	// Served over HTTPS, the session cookie is Secure (and __Host-).
	cfg.SignIn.Secure = cfg.SignIn.Secure || cfg.TLSCert != ""
	var pool *pgxpool.Pool
	if pg != "" {
		var err error
		if pool, err = wiring.Connect(ctx, pg); err != nil {
			return err
		}
		defer pool.Close()
	}
	be := wiring.NewBackend(log, pool)
	appCtx, stopApp := context.WithCancel(context.Background())
	defer stopApp() // after the server has shut down: the event consumers stop last
	a, err := newApp(withCaseOpts(appCtx, caseOpts(ctx)), log, demo.Town(), be, cfg.TrustProxy, cfg.SignIn)
	if err != nil {
		return err
	}
	// The delivery dispatcher sends what is queued every half minute, as a
	// municipality would run it; the clerk's "Verzendronde" button runs a
	// round at once. Tests leave it out, to control every round themselves.
	go func() { _ = a.dispatcher.Run(appCtx, 30*time.Second) }()
	if demoDossiers > 0 {
		start := time.Now()
		if err := demo.SeedLoad(ctx, a.cases, a.town, demoDossiers); err != nil {
			return err
		}
		if err := be.Settle(ctx); err != nil {
			return err
		}
		if pool != nil {
			// After a bulk load the planner needs fresh statistics, or it
			// may pick a poor index until autovacuum runs (if it runs).
			if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
				return err
			}
		}
		log.Info("demo dossiers filed", "reports", demoDossiers, "took", time.Since(start).Round(time.Millisecond))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("portal listening", "url", "http://"+ln.Addr().String())
	if cfg.Listening != nil {
		cfg.Listening(ln.Addr())
	}
	errc := make(chan error, 1)
	if cfg.TLSCert != "" {
		log.Info("portal listening", "url", "https://"+ln.Addr().String())
		go func() { errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey) }()
	} else {
		log.Info("portal listening", "url", "http://"+ln.Addr().String())
		go func() { errc <- srv.Serve(ln) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

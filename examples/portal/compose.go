package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	appointmentpg "github.com/lokaalbestuur/bouwstenen/appointment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/address"
	casefilepg "github.com/lokaalbestuur/bouwstenen/casefile/pgstore"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	deliverypg "github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	entitlementpg "github.com/lokaalbestuur/bouwstenen/entitlement/pgstore"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/appointments"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/cases"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/failures"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/payments"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/permits"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/post"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/rights"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/subsidies"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/payment"
	paymentpg "github.com/lokaalbestuur/bouwstenen/payment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/permit"
	permitpg "github.com/lokaalbestuur/bouwstenen/permit/pgstore"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	subsidypg "github.com/lokaalbestuur/bouwstenen/subsidy/pgstore"
)

// app is the composed portal: the services of every building block on the
// backend's stores, the wiring between them, the demo municipality's data,
// and the pages (web and one block per folder under web/).
type app struct {
	log      *slog.Logger
	town     *demo.Municipality
	be       *wiring.Backend
	server   *web.Server
	handler  http.Handler
	sessions *session.Manager

	cases         *casefile.Service
	payments      *payment.Service
	paymentPages  *payments.Block
	permits       *permit.Service
	permitRecords records.Permits
	permitPages   *permits.Block
	confirmations records.Confirmations
	scheduler     *appointment.Scheduler
	delivery      *delivery.Service
	dispatcher    *delivery.Dispatcher
	paper         *delivery.PrintBatch
	postPages     *post.Block
	subsidies     *subsidy.Service
	rights        *rights.Block
	// invoicer is what the permit wiring invoices through: the payment
	// block (tests put a failing one in between).
	invoicer wiring.Invoicer
	fees     *wiring.PermitFees
	// opts are the report pages' settings; photos and addresses what
	// they keep photos in and look addresses up with.
	opts      caseOptions
	photos    photo.Blobs
	addresses address.Lookup
	// assistant is the virtual assistant (assistant.go).
	assistant *assistant.Service
}

// newApp composes the portal on be. It seeds the demo municipality's data
// through the services, and returns when the seeds' events are handled.
// The bus (and in PostgreSQL mode the outbox relay) runs until ctx is done.
// trustProxy trusts a TLS-terminating proxy's X-Forwarded-Proto (see
// web.Deps.TrustProxy). The sign-in is the embedded demo provider unless a
// signInConfig with a real provider is given.
func newApp(ctx context.Context, log *slog.Logger, town *demo.Municipality, be *wiring.Backend, trustProxy bool, signIn ...signInConfig) (*app, error) {
	var cfg signInConfig
	if len(signIn) > 0 {
		cfg = signIn[0]
	}
	si, err := newSignIn(ctx, cfg, be, town)
	if err != nil {
		return nil, err
	}
	srv, err := web.New(web.Deps{Log: log, Town: town, Sessions: si.sessions, SignIn: si.rp, ClerkRole: si.clerkRole,
		Secret: si.secret, DemoProvider: si.demo, Secure: si.secure, ProviderOrigin: si.origin, TrustProxy: trustProxy})
	if err != nil {
		return nil, err
	}
	a := &app{log: log, town: town, be: be, server: srv, sessions: si.sessions}
	go a.purgeSessions(ctx)
	if err := a.caseDeps(ctx, caseOpts(ctx)); err != nil {
		return nil, err
	}
	be.Start(ctx)
	for _, step := range []func(context.Context) error{a.stores, a.wire, a.seed, a.pages} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := be.Settle(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// stores makes every building block's service on the backend's stores:
// in memory, or in PostgreSQL (tables created on start).
func (a *app) stores(ctx context.Context) error {
	be, clk, cal := a.be, clock.Real{}, calendar.Flanders()
	var (
		caseStore     casefile.Store    = casefile.NewMemStore(be.Sink())
		paymentStore  payment.Store     = payment.NewMemStore(be.Sink())
		permitStore   permit.Store      = permit.NewMemStore(be.Sink())
		apptStore     appointment.Store = appointment.NewMemStore(be.Sink())
		deliveryStore delivery.Store    = delivery.NewMemStore(be.Sink())
		subsidyStore  subsidy.Store     = subsidy.NewMemStore(be.Sink())
		rightsStore   entitlement.Store = entitlement.NewMemStore(be.Sink())
	)
	a.permitRecords, a.confirmations = records.NewMemPermits(), records.NewMemConfirmations()
	if be.Postgres() {
		pool := be.Pool
		cs, ps, pms, as, ds, ss, es := casefilepg.New(pool), paymentpg.New(pool), permitpg.New(pool), appointmentpg.New(pool),
			deliverypg.New(pool), subsidypg.New(pool), entitlementpg.New(pool)
		for _, m := range []interface{ Migrate(context.Context) error }{cs, ps, pms, as, ds, ss, es} {
			if err := m.Migrate(ctx); err != nil {
				return err
			}
		}
		caseStore, paymentStore, permitStore, apptStore, deliveryStore, subsidyStore, rightsStore = cs, ps, pms, as, ds, ss, es
		// After payment's migration: the records update its old invoices.
		recs, err := records.NewPgPermits(ctx, pool)
		if err != nil {
			return err
		}
		confs, err := records.NewPgConfirmations(ctx, pool)
		if err != nil {
			return err
		}
		a.permitRecords, a.confirmations = recs, confs
	}
	questions, err := cases.QuestionsType()
	if err != nil {
		return err
	}
	a.cases, err = casefile.NewService(casefile.Config{
		Municipality: "99999", Store: caseStore, Clock: clk, Calendar: cal,
		Types:   []*casefile.CaseType{casefile.PublicSpaceReports(), questions},
		Routing: cases.DemoRouting, DefaultTeam: "balie",
	})
	if err != nil {
		return err
	}
	a.payments = payment.NewService(paymentStore, clk)
	a.permits = permit.NewService(permit.Config{Store: permitStore, Clock: clk, Calendar: cal, Catalogue: permit.DefaultCatalogue()})
	a.scheduler = appointment.NewScheduler(appointment.Config{Store: apptStore, Clock: clk, Calendar: cal})
	a.subsidies = subsidy.NewService(subsidyStore, clk, subsidy.WithApplicantKeys(subsidies.ApplicantKey(a.log, be.Postgres())))

	email := delivery.NewSimulatedChannel(delivery.ChannelEmail, clk)
	// A demo mail server that bounces addresses under .invalid, so a
	// permanent failure and its fallback to paper can be tried out.
	email.Fail = func(m delivery.Message) error {
		if strings.HasSuffix(string(m.Recipient.Email), ".invalid") {
			return fmt.Errorf("%w: mailbox does not exist", delivery.ErrPermanent)
		}
		return nil
	}
	a.delivery, a.paper = delivery.NewService(deliveryStore, clk, a.log), delivery.NewPrintBatch(clk)
	a.dispatcher = &delivery.Dispatcher{
		Store: deliveryStore, Clock: clk, Log: a.log,
		Channels: map[delivery.ChannelKind]delivery.Channel{
			delivery.ChannelBurgerprofiel: delivery.NewSimulatedBurgerprofiel(clk),
			delivery.ChannelEBox:          delivery.NewSimulatedEBox(clk),
			delivery.ChannelEmail:         email,
			delivery.ChannelPaper:         a.paper,
		},
	}
	var residents []rights.Resident
	for _, p := range a.town.People {
		residents = append(residents, rights.Resident{ID: p.ID, INSZ: p.INSZ})
	}
	a.rights, err = rights.New(ctx, a.server, a.log, rightsStore, residents, demo.RightsPolicy(a.town.Name))
	return err
}

// icsOptions name the demo municipality in a booking's calendar file.
func (a *app) icsOptions() appointment.ICSOptions {
	return appointment.ICSOptions{Domain: "demogem.example.be", Organizer: "afspraken@demogem.example.be", OrganizerName: "Gemeente " + a.town.Name}
}

// wire subscribes the consumers between the blocks, before any seed
// emits the events they wait for.
func (a *app) wire(ctx context.Context) error {
	var err error
	a.paymentPages, err = payments.New(a.server, a.log, payments.Deps{Payments: a.payments, Records: a.confirmations, Municipality: a.town.Name})
	if err != nil {
		return err
	}
	a.postPages, err = post.New(a.server, a.log, post.Deps{Delivery: a.delivery, Dispatcher: a.dispatcher, Paper: a.paper, AddressOf: a.town.AddressOf})
	if err != nil {
		return err
	}
	if err := wiring.Notices(ctx, a.be, a.postPages, a.scheduler, a.icsOptions(), a.town.Name); err != nil {
		return err
	}
	a.invoicer = a.paymentPages
	a.fees, err = wiring.Permits(ctx, a.be, a.permits, a.permitRecords, appInvoicer{a}, calendar.Flanders(), clock.Real{})
	return err
}

// seed files the demo municipality's data through the services, once: a
// PostgreSQL database that has data is not seeded again.
func (a *app) seed(ctx context.Context) error {
	if err := demo.SeedPost(ctx, a.delivery, post.Rules(), a.town); err != nil {
		return err
	}
	if page, err := a.cases.List(ctx, casefile.Query{Limit: 1}); err != nil {
		return err
	} else if len(page.Cases) == 0 {
		if err := demo.SeedCases(ctx, a.cases, a.town); err != nil {
			return err
		}
	}
	var err error
	a.permitPages, err = permits.New(a.server, a.log, permits.Deps{Permits: a.permits, Records: a.permitRecords,
		Types: permit.DefaultCatalogue(), Calendar: calendar.Flanders(), Clock: clock.Real{}, Payments: a.payments})
	if err != nil {
		return err
	}
	if empty, err := a.permitRecords.Empty(ctx); err != nil {
		return err
	} else if empty {
		if err := a.permitPages.SeedDemo(ctx, a.visitor); err != nil {
			return err
		}
	}
	if _, err := a.scheduler.Service(ctx, demo.Services()[0].ID); errors.Is(err, appointment.ErrNotFound) {
		if err := demo.SeedAppointments(ctx, a.scheduler, calendar.Flanders(), a.town); err != nil {
			return fmt.Errorf("seed appointments: %w", err)
		}
	} else if err != nil {
		return err
	}
	seeded := false
	for _, err := range a.subsidies.Calls(ctx) {
		if err != nil {
			return err
		}
		seeded = true
		break
	}
	if !seeded {
		if err := demo.SeedSubsidies(ctx, a.subsidies, a.town, time.Now()); err != nil {
			return err
		}
	}
	return a.rights.FirstRun(ctx)
}

// visitor is the demo person id as the sign-in would assert them, with
// their contact details.
func (a *app) visitor(id string) (frontoffice.Visitor, pii.Email, pii.Phone, pii.Address, bool) {
	p, ok := a.town.Person(id)
	if !ok {
		return frontoffice.Visitor{}, "", "", pii.Address{}, false
	}
	v := frontoffice.Visitor{Subject: p.ID, INSZ: p.INSZ, GivenName: p.Name.Given, FamilyName: p.Name.Family, Clerk: p.Clerk}
	if p.Enterprise != nil {
		v.Enterprise = &frontoffice.Enterprise{KBO: p.Enterprise.KBO, Name: p.Enterprise.Name}
	}
	return v, p.Email, p.Phone, p.Address, true
}

// pages adds every block's pages to the host, in the order of the menu and
// of "Mijn dossiers", and makes the handler.
func (a *app) pages(ctx context.Context) error {
	territory := address.DemogemTerritory()
	casePages, err := cases.NewWith(a.server, a.log, cases.Deps{
		Cases: a.cases, Photos: a.photos, Addresses: a.addresses, Territory: &territory, TileURL: a.opts.TileURL,
		Open311Keys: open311Keys(a.opts.Open311Key), Open311Public: open311Public, Agency: "Gemeente " + a.town.Name,
	})
	if err != nil {
		return err
	}
	var services []appointment.Service
	for _, s := range demo.Services() {
		svc, err := a.scheduler.Service(context.Background(), s.ID)
		if err != nil {
			return err
		}
		services = append(services, svc)
	}
	apptPages, err := appointments.New(a.server, a.log, appointments.Deps{Scheduler: a.scheduler, Calendar: calendar.Flanders(),
		Location: demo.LocationID, Services: services, ICS: a.icsOptions()})
	if err != nil {
		return err
	}
	subsidyPages, err := subsidies.New(a.server, a.log, a.subsidies)
	if err != nil {
		return err
	}
	failurePages, err := failures.New(a.server, a.log, a.be.Events)
	if err != nil {
		return err
	}
	blocks := []web.Block{casePages, a.paymentPages, a.permitPages, apptPages, subsidyPages, a.rights, a.postPages, failurePages}
	assistantPages, err := a.assistantPages(ctx, blocks)
	if err != nil {
		return err
	}
	a.server.Add(append(blocks, assistantPages)...)
	a.handler = a.server.Handler()
	return nil
}

// purgeSessions deletes the expired sessions every ten minutes until ctx
// is done. With several instances each purges; the deletes are idempotent.
func (a *app) purgeSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.sessions.Purge(ctx); err != nil {
				a.log.Warn("purging sessions", "err", err)
			} else if n > 0 {
				a.log.Info("expired sessions purged", "count", n)
			}
		}
	}
}

// appInvoicer invoices through the app's invoicer of the moment.
type appInvoicer struct{ a *app }

func (i appInvoicer) Invoice(ctx context.Context, n payments.NewInvoice) (uuid.UUID, error) {
	return i.a.invoicer.Invoice(ctx, n)
}

func (i appInvoicer) CancelInvoice(ctx context.Context, id uuid.UUID, reason string) error {
	return i.a.invoicer.CancelInvoice(ctx, id, reason)
}

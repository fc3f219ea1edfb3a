// Package casefile is the case engine ("zaakafhandeling") of the SDK: it
// carries a citizen's report ("melding"), question or complaint from
// filing to resolution.
//
// The words of the domain:
//
//   - A CaseType ("zaaktype") is declared as data: its statuses
//     ("statustypen") with Dutch and English labels for the citizen, the
//     transitions between them and who may take them, its categories and
//     sub-categories ("categorieën") with a handling deadline
//     ("behandeltermijn"), and its results ("resultaattypen").
//   - A Case ("zaak", "dossier") has a human reference number per
//     municipality and year (2026-000123), a requester ("melder",
//     "aanvrager"), a channel ("kanaal"), a location, attachments
//     ("bijlagen"), a status, a team and an assignee ("behandelaar"), and a
//     due date ("vervaldatum").
//   - Routing rules ("routering") choose the team from category,
//     sub-category, postal code or district polygon.
//   - The timeline ("tijdlijn", audit trail) is append-only; the citizen
//     sees only its public entries, the clerk sees everything.
//   - A duplicate report is merged ("samengevoegd") into a parent; it
//     follows the parent's resolution and its reporter is informed.
//   - After filing, a clerk may change the category or the place
//     (Service.Amend, "categorie gewijzigd"): the case is routed anew and
//     its deadline recomputed.
//   - The clerk answers a question in free text (Service.Answer) or asks
//     the reporter one (Service.AskReporter, "wacht op melder"), which the
//     reporter answers (Service.AnswerReporterQuestion); the deadline
//     stands still meanwhile where the case type says so. Public messages
//     start from the case type's templates (CaseType.StartingText).
//   - A closed case may be reopened ("heropend", Service.Reopen): by the
//     reporter ("niet opgelost") within the period the case type sets, by
//     a clerk whenever the case type allows it from that status. The
//     reporter may rate a closed case once ("tevredenheid", Service.Rate);
//     an unhappy score can reopen it.
//   - A case keeps the case type version it was created with
//     (Case.TypeVersion); a new version applies to new cases.
//   - Retention ("bewaartermijn"): Service.Purge deletes or anonymises
//     closed cases kept longer than their case type says, after a Purger
//     has deleted their files, and leaves an audit record (PurgeRun).
//   - Nearby duplicates ("Is dit uw probleem?"): Service.Nearby lists the
//     open cases of a category within a radius of a point, nearest first,
//     for the clerk before accepting a case and the citizen before filing.
//   - Extra questions ("extra vragen") are typed attributes a category
//     declares (text, number, choice, multi-choice, yes/no, date); the
//     answers are checked and kept with the case, and Open311 publishes
//     them as service definitions.
//
// Every state change goes through Store.Update with an expected version, so
// of two concurrent writers exactly one wins and the other gets
// ErrConflict. Events are made durable with the change by the store.
//
// The pieces: Service (the use cases), MemStore (in memory, with a due-date
// index), casefile/pgstore (PostgreSQL, outbox in the same transaction),
// casefile/casefiletest (the conformance suite both stores pass) and
// casefile/open311 (an Open311 GeoReport v2 endpoint over a Service).
//
// A minimal setup:
//
//	svc, err := casefile.NewService(casefile.Config{
//		Municipality: "44021",
//		Store:        casefile.NewMemStore(sink),
//		Types:        []*casefile.CaseType{casefile.PublicSpaceReports()},
//		Routing:      []casefile.RoutingRule{{Team: "lighting", Category: "street_lighting"}},
//	})
package casefile

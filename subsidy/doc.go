// Package subsidy covers the path of a subsidy ("subsidie") from the call to
// the last euro paid or recovered.
//
// The words of the domain:
//
//   - Scheme ("subsidiereglement"): the regulation, its legal basis
//     ("rechtsgrond") and the budget article ("begrotingsartikel").
//   - Call ("oproep"): one round of a scheme with an opening and closing
//     moment, a budget, maxima per applicant and per application,
//     eligibility conditions ("ontvankelijkheidsvoorwaarden"), scoring
//     criteria ("beoordelingscriteria"), required documents and form questions.
//   - Application ("aanvraag"): an applicant (person or organisation with KBO
//     number and IBAN) asks an amount with a cost breakdown. Its lifecycle is
//     draft → submitted → admissible ("ontvankelijk") or inadmissible →
//     under assessment → decided (granted, granted partially, refused), or
//     withdrawn; drafts expire at the closing moment.
//   - Assessment ("beoordeling"): assessors score per criterion with a
//     motivation; conflicts of interest ("belangenconflict") block scoring;
//     Rank and Allocate are pure functions that aggregate, rank and fill
//     the budget.
//   - Ledger ("vastlegging"): per call, what is reserved at decision and what
//     is paid; the budget can never be lowered below it.
//   - Tranche ("schijf"), payment order ("betalingsopdracht") and the SEPA
//     credit transfer file (ISO 20022 pain.001.001.09).
//   - Justification ("verantwoording"): the final amount ("definitief
//     bedrag") follows the call's rule; an overpayment becomes a recovery
//     claim ("terugvordering") settled by refund or by offset ("verrekening").
//
// Service holds the use cases; Store is what it needs from storage; MemStore
// is the reference implementation and subsidy/pgstore the PostgreSQL one.
// Both pass subsidy/subsidytest.
package subsidy

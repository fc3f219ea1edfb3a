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
// Personal numbers stay out of a call: what the call has granted per
// applicant, and which applicants a deadline extension covers, are keyed by
// a reference ("pseudoniem"), an HMAC-SHA-256 of the applicant's KBO or
// national register number under the municipality's secret. Give the
// service that secret with WithApplicantKeys; each call keeps the ID of the
// key it was made under, so the secret can be rotated without breaking
// running calls (see WithApplicantKeys).
//
// The payout file follows the ISO 20022 schema and the EPC SEPA guidelines:
// references (message and end-to-end ids) are refused outside the SEPA
// character set, names and communications are transliterated to it (Ł→L,
// ß→ss, Æ→AE, accents dropped), BICs are checked against ISO 9362.
//
// Every door that takes input checks its free text (valid UTF-8, no
// control characters but tab and line breaks, at most 64 KiB) and its
// dates (years 1900 to 2200), so the memory and PostgreSQL stores accept
// and refuse the same things.
//
// A draft that may be sent twice (a form posted again after a timeout)
// carries ApplicationInput.IdempotencyKey: the repeat returns the first
// draft and emits nothing, the key with other input is ErrConflict.
//
// Service holds the use cases, the reads a front office needs included
// (Calls, Applications of a call, ApplicationsOf an applicant by KBO or
// national register number, found through the index of applicant
// references), so no page reaches the store. Store is what the service
// needs from storage and holds no rule: the budget ledger's invariant
// (Ledger.Check) and the maximum per applicant (Call.CheckApplicantMax)
// are the package's, run under the store's lock. MemStore is the reference
// implementation and subsidy/pgstore the PostgreSQL one; both pass
// subsidy/subsidytest, with the events they commit.
package subsidy

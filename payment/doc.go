// Package payment lets a municipality get paid ("vlot digitaal betalen"):
// invoices and payment requests with a structured reference, an EPC QR
// code and a signed payment link; their status as money comes in through
// a payment provider or a bank statement; and reconciliation of CODA and
// camt.053 statements without manual matching.
//
// The words of the domain:
//
//   - Request ("betaalverzoek", "factuur"): creditor, debtor (person or
//     enterprise), lines, amount in euro, due date, a structured reference
//     drawn from a sequence so it never collides, and a status with a
//     timeline: open, pending, partially_paid, paid, overpaid, failed,
//     canceled, expired, refunded. Reminders ("herinneringen") after the
//     due date may add a fee.
//   - OGM / VCS ("gestructureerde mededeling"): the Belgian 12-digit
//     structured communication, +++123/4567/89002+++.
//   - Creditor reference ("RF-referentie", ISO 11649): RF18 5390 0754 7034.
//   - Reference: one of the two; it renders for an invoice, for line 10 of
//     an EPC QR code, for ISO 20022 (CdtrRefInf, SCOR, issuer BBA or ISO)
//     and as the key that matches a bank statement line.
//   - IBAN (ISO 13616, with every registry country's BBAN structure and
//     the Belgian national check) and BIC (ISO 9362).
//   - EPC QR code ("betaal-QR-code", EPC069-12 version 002): what a
//     banking app scans to prefill a SEPA credit transfer; PNG and SVG at
//     error correction level M.
//   - Payment link ("betaallink"): an expiring URL signed with HMAC-SHA256
//     that carries only the request's ID.
//   - Provider: a payment service provider. A verified webhook is a reason
//     to ask the provider; its answer is the truth. Sandbox is a complete
//     in-memory provider to test against.
//   - Statement ("rekeninguittreksel"): read from CODA (ParseCODA) or
//     camt.053 (Camt053Lines, streaming, versions 02 to 13). Service.Import
//     books credits by structured reference, suggests requests by amount
//     and counterparty for a clerk, keeps unknown credits as Unmatched, and
//     reports. A structured communication that is no valid OGM or RF is
//     kept as text, marked (StatementLine.InvalidReference), and never
//     booked on its own; a reversal ("storno", StatementLine.Reversal) is
//     never booked and kept for a clerk. Only euro is reconciled.
//
// A create that a caller may retry carries NewRequest.IdempotencyKey
// ("permit-fee:" + permit ID): a repeat returns the first request, with its
// reference and without a second event, and the key with a different
// request is ErrConflict. NewRequest.Metadata keeps the caller's own data
// (Stripe's limits) so a consumer finds what it created. The invoices of a
// payer ("betaler": a person by INSZ, an enterprise by KBO number, see
// Debtor.PayerKey) are listed by Service.List with Query.Payers, from an
// index in both stores; no front office needs to reach the Store.
//
// A Store is a driver: it keeps requests and runs the package's rules
// (ApplyChange, Query.Matches) under its lock or in its transaction;
// paymenttest.Run is the suite every store passes.
//
// Money is booked once per key: a provider payment by its ID, a bank
// transaction by StatementLine.TransactionKey (the bank's reference,
// account, value date and amount; without a bank reference, what the
// transaction itself carries), so a statement imported twice, the same
// credit in two statements or in a CODA and a camt.053 file, or a webhook
// delivered twice, books nothing twice. The reference parsers never
// allocate on valid input.
package payment

// Package payment lets a municipality get paid: structured references,
// bank accounts and EPC QR codes for invoices ("facturen") and payment
// requests ("betaalverzoeken").
//
// The words of the domain:
//
//   - OGM / VCS ("gestructureerde mededeling", "communication structurée"):
//     the Belgian 12-digit structured communication, +++123/4567/89002+++.
//   - Creditor reference ("RF-referentie", ISO 11649): the international
//     structured reference, RF18 5390 0754 7034.
//   - Reference: one of the two; it renders itself for an invoice, for line
//     10 of an EPC QR code, for ISO 20022 (CdtrRefInf, SCOR, issuer BBA or
//     ISO) and as the key that matches a bank statement line.
//   - IBAN (ISO 13616) and BIC (ISO 9362): the account and the bank.
//   - EPC QR code ("betaal-QR-code", EPC069-12): the code a banking app
//     scans to prefill a SEPA credit transfer.
//
// Parsers never allocate on valid input, so they can run on every line of
// a bank statement.
package payment

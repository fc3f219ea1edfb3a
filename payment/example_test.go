package payment_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func ExampleParseOGM() {
	o, err := payment.ParseOGM("123 4567 89002")
	if err != nil {
		panic(err)
	}
	fmt.Println(o, o.Digits())
	_, err = payment.ParseOGM("+++123/4567/89003+++")
	fmt.Println(err)
	// Output:
	// +++123/4567/89002+++ 123456789002
	// ogm "+++123/4567/89003+++": check digits do not match (the last two digits must be the first ten modulo 97)
}

func ExampleEPCCode_Payload() {
	iban, _ := payment.ParseIBAN("BE68 5390 0754 7034")
	o, _ := payment.NewOGM(1234567890)
	code := payment.EPCCode{
		Name:      "Gemeente Zottegem",
		IBAN:      iban,
		Amount:    decimal.RequireFromString("25.00"),
		Reference: payment.OGMReference(o),
	}
	p, err := code.Payload()
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.ReplaceAll(string(p), "\n", "|"))
	// Output:
	// BCD|002|1|SCT||Gemeente Zottegem|BE68539007547034|EUR25||123456789002
}

// A municipality sends an invoice, the bank statement comes in, and the
// invoice is paid without anyone matching by hand.
func ExampleService_Import() {
	ctx := context.Background()
	c := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc := payment.NewService(payment.NewMemStore(nil), c)

	iban, _ := payment.ParseIBAN("BE68539007547034")
	r, err := svc.Create(ctx, payment.NewRequest{
		Creditor: payment.Creditor{Name: "Gemeente Zottegem", IBAN: iban},
		Debtor:   payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Given: "An", Family: "Peeters"}},
		Lines:    []payment.NewLine{{Description: "Retributie terrasvergunning", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("75.00")}},
		DueDate:  calendar.NewDate(2026, 4, 1),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Reference, r.Status, r.Amount.StringFixed(2))

	rep, err := svc.Import(ctx, payment.Statement{ID: "coda:BE68539007547034:2026-03-03:042", Lines: []payment.StatementLine{
		{Key: "coda:BE68539007547034:2026-03-03:042:0001/0000", BookingDate: calendar.NewDate(2026, 3, 3), Amount: decimal.RequireFromString("75"), Reference: r.Reference},
	}})
	if err != nil {
		panic(err)
	}
	r, _ = svc.Get(ctx, r.ID)
	fmt.Println(rep.Lines[0].Outcome, r.Status)
	// Output:
	// +++000/0000/00101+++ open 75.00
	// paid paid
}

// codaRecord lays fields out at their 1-based CODA positions in a
// 128-character record.
func codaRecord(fields map[int]string) string {
	b := []byte(strings.Repeat(" ", 128))
	for pos, v := range fields {
		copy(b[pos-1:], v)
	}
	return string(b)
}

func ExampleParseCODA() {
	f := strings.Join([]string{
		codaRecord(map[int]string{1: "00000030326", 128: "2"}),
		codaRecord(map[int]string{1: "12042", 6: "BE68539007547034", 40: "EUR", 43: "0000000001000000", 59: "020326"}),
		codaRecord(map[int]string{1: "2100010000", 11: "REF0001", 32: "0000000000075000", 48: "030326", 54: "00150000",
			62: "1101000000000101", 116: "03032604200", 128: "0"}),
		codaRecord(map[int]string{1: "8042", 5: "BE68539007547034", 42: "0000000001075000", 58: "030326"}),
		codaRecord(map[int]string{1: "9", 17: "000003", 23: "000000000000000000000000075000", 128: "2"}),
	}, "\r\n")
	sts, err := payment.ParseCODA(strings.NewReader(f))
	if err != nil {
		panic(err)
	}
	l := sts[0].Lines[0]
	fmt.Println(sts[0].Account, l.Amount, l.Reference)
	fmt.Println(sts[0].OpeningBalance, "+", l.Amount, "=", sts[0].ClosingBalance)
	// Output:
	// BE68539007547034 75 +++000/0000/00101+++
	// 1000 + 75 = 1075
}

// A test delivers its own payload, signed the way the provider signs
// webhooks; during a secret rotation the header carries both signatures.
func ExampleSignWebhook() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sb := &payment.Sandbox{Secret: []byte("the-new-secret-of-at-least-32-bytes"), Clock: clock.NewSettable(at)}
	body := []byte(`{"id":"ev_1","payment_id":"tr_1","created":1772442000}`)
	h := payment.SignWebhook(body, at, []byte("the-old-secret-of-at-least-32-bytes"), sb.Secret)
	ev, err := sb.VerifyWebhook(h, body)
	fmt.Println(ev.PaymentID, err)
	// Output: tr_1 <nil>
}

// The same credit read from a CODA file and from the camt.053 file of the
// same day has one transaction key, so Service.Import books it once.
func ExampleStatementLine_TransactionKey() {
	day := calendar.NewDate(2026, 3, 3)
	coda := payment.StatementLine{Key: "coda:BE68539007547034:2026-03-03:042:0001/0000", Account: "BE68539007547034",
		BankReference: "OL44483FW SCTOFBIONLO", ValueDate: day, Amount: decimal.RequireFromString("25.000")}
	camt := payment.StatementLine{Key: "camt053:2026-0042:1/1", Account: "BE68539007547034",
		BankReference: "OL44483FW SCTOFBIONLO", ValueDate: day, Amount: decimal.RequireFromString("25.00")}
	fmt.Println(coda.TransactionKey())
	fmt.Println(coda.TransactionKey() == camt.TransactionKey())
	// Output:
	// txn:BE68539007547034:OL44483FW SCTOFBIONLO:2026-03-03:25.00
	// true
}

// A granted permit is invoiced under a key derived from the permit, so a
// retry after a crash or a second delivery of the grant gets the first
// invoice back; the invoice carries the permit's ID in its metadata, and
// the applicant finds it among the invoices of their national number.
func ExampleService_Create_idempotent() {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)))
	iban, _ := payment.ParseIBAN("BE68539007547034")
	n := payment.NewRequest{
		Creditor:       payment.Creditor{Name: "Gemeente Zottegem", IBAN: iban},
		Debtor:         payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Given: "An", Family: "Peeters"}, INSZ: "85073003328"},
		Lines:          []payment.NewLine{{Description: "Retributie container", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("42.00")}},
		DueDate:        calendar.NewDate(2026, 4, 1),
		Metadata:       map[string]string{"permit_id": "0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80"},
		IdempotencyKey: "permit-fee:0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80",
	}
	first, _ := svc.Create(ctx, n)
	again, _ := svc.Create(ctx, n)
	fmt.Println(first.ID == again.ID, again.Reference)

	n.Lines[0].UnitPrice = decimal.RequireFromString("84.00")
	_, err := svc.Create(ctx, n)
	fmt.Println(errors.Is(err, payment.ErrConflict))

	for r, err := range svc.List(ctx, payment.Query{Payers: []string{"insz:85073003328"}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(r.Reference, r.Metadata["permit_id"], r.Due())
	}
	// Output:
	// true +++000/0000/00101+++
	// true
	// +++000/0000/00101+++ 0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80 42
}

package payment

import (
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Statement is a bank statement ("rekeninguittreksel") read from a CODA or
// camt.053 file.
type Statement struct {
	// ID identifies the statement: account, year and sequence number.
	ID             string          `json:"id"`
	Account        string          `json:"account"`
	Date           calendar.Date   `json:"date"`
	OpeningBalance decimal.Decimal `json:"opening_balance"`
	ClosingBalance decimal.Decimal `json:"closing_balance"`
	Lines          []StatementLine `json:"lines"`
}

// StatementLine is one movement on a statement.
type StatementLine struct {
	// Key identifies the movement across imports: the statement ID and the
	// line's sequence number, so importing a statement twice yields the
	// same keys.
	Key         string          `json:"key"`
	BookingDate calendar.Date   `json:"booking_date"`
	ValueDate   calendar.Date   `json:"value_date,omitzero"`
	Amount      decimal.Decimal `json:"amount"` // positive for a credit
	// Reference is the structured communication, when the payer gave one.
	Reference Reference `json:"reference,omitzero"`
	// Text is the free communication.
	Text             string `json:"text,omitempty"`
	CounterpartyName string `json:"counterparty_name,omitempty"`
	CounterpartyIBAN string `json:"counterparty_iban,omitempty"`
	CounterpartyBIC  string `json:"counterparty_bic,omitempty"`
	BankReference    string `json:"bank_reference,omitempty"`
}

// Credit reports whether money came in.
func (l StatementLine) Credit() bool { return l.Amount.IsPositive() }

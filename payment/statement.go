package payment

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Statement is a bank statement ("rekeninguittreksel") read from a CODA or
// camt.053 file.
type Statement struct {
	// ID identifies the statement: account, year and sequence number.
	ID string `json:"id"`
	// Account is the account the statement is for: an IBAN (a Belgian
	// account number of a CODA file is turned into its IBAN when its
	// check digits agree) or, for a foreign account without one, its
	// number as the bank gives it, without spaces.
	Account string `json:"account"`
	// Currency is the ISO 4217 code of the account, when the file says.
	Currency       string          `json:"currency,omitempty"`
	Date           calendar.Date   `json:"date"`
	OpeningBalance decimal.Decimal `json:"opening_balance"`
	ClosingBalance decimal.Decimal `json:"closing_balance"`
	Lines          []StatementLine `json:"lines"`
}

// StatementLine is one movement on a statement.
type StatementLine struct {
	// Key identifies the movement in its file: the statement ID and the
	// line's position, so reading a file twice yields the same keys.
	// Service.Import replaces it by the line's TransactionKey, which
	// identifies the bank transaction across files and formats.
	Key string `json:"key"`
	// Account is the account of the statement the line is on (see
	// Statement.Account).
	Account     string          `json:"account,omitempty"`
	BookingDate calendar.Date   `json:"booking_date"`
	ValueDate   calendar.Date   `json:"value_date,omitzero"`
	Amount      decimal.Decimal `json:"amount"` // positive for a credit
	// Reference is the structured communication, when the payer gave a
	// valid one.
	Reference Reference `json:"reference,omitzero"`
	// InvalidReference says the payer gave a structured communication
	// that is no valid OGM or RF reference (wrong check digits, another
	// type of structured communication): it is kept in Text for a clerk,
	// and nothing is booked on it automatically.
	InvalidReference bool `json:"invalid_reference,omitempty"`
	// Text is the free communication.
	Text             string `json:"text,omitempty"`
	CounterpartyName string `json:"counterparty_name,omitempty"`
	CounterpartyIBAN string `json:"counterparty_iban,omitempty"`
	CounterpartyBIC  string `json:"counterparty_bic,omitempty"`
	// BankReference is the bank's own reference of the transaction
	// (CODA bank reference, camt.053 AcctSvcrRef); for one transaction of
	// several in a batch it ends in "/" and the transaction's position.
	BankReference string `json:"bank_reference,omitempty"`
	// Refs are the transaction's own identifiers as the payer's and the
	// bank's systems gave them (camt.053 Refs: EndToEndId, TxId, InstrId,
	// MndtId), written "name=value" and joined by ";".
	Refs string `json:"refs,omitempty"`
	// Reversal says the line undoes an earlier movement ("storno";
	// camt.053 RvslInd): a debit that reverses a credit, or the other way
	// round. It is never booked; a clerk sees it.
	Reversal bool `json:"reversal,omitempty"`
}

// TransactionKey identifies the bank transaction behind the line across
// statements and formats: the same credit in two statements, or in a CODA
// and a camt.053 file of the same day, has the same key. It is made of the
// bank's reference, the account, the value date and the amount. A line
// without a bank reference is known by what the transaction itself
// carries: account, booking and value date, signed amount, its Refs, the
// counterparty's account, the reference and the communication; never by
// the statement it is on, so a second statement repeating it is
// recognised. Two lines of one statement that carry exactly the same are
// told apart by Service.Import by their order.
func (l StatementLine) TransactionKey() string {
	if l.BankReference != "" {
		return "txn:" + l.Account + ":" + l.BankReference + ":" + l.ValueDate.String() + ":" + l.Amount.StringFixed(2)
	}
	h := sha256.New()
	for _, s := range []string{l.Account, l.BookingDate.String(), l.ValueDate.String(), l.Amount.String(),
		l.Refs, compactAccount(l.CounterpartyIBAN), l.Reference.Key(), l.Text, strconv.FormatBool(l.Reversal)} {
		h.Write([]byte(s))
		h.Write([]byte{0}) // a separator no field holds
	}
	return "txc:" + l.Account + ":" + l.ValueDate.String() + ":" + l.Amount.StringFixed(2) + ":" + hex.EncodeToString(h.Sum(nil)[:12])
}

// compactAccount writes an account number without spaces, in capitals, so
// the same account reads the same from every file.
func compactAccount(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// belgianIBAN turns a 12-digit Belgian account number into its IBAN:
// the check digits are 98 minus the number followed by "BE00" (as
// 111400) modulo 97 (ISO 13616).
func belgianIBAN(bban string) string {
	n, _ := strconv.ParseUint(bban+"111400", 10, 64) // 18 digits fit
	check := 98 - n%97
	return "BE" + string(rune('0'+check/10)) + string(rune('0'+check%10)) + bban
}

// Credit reports whether money came in.
func (l StatementLine) Credit() bool { return l.Amount.IsPositive() }

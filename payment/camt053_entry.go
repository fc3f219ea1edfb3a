package payment

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// camtEntryAt says where an entry is: its statement and position.
type camtEntryAt struct {
	stmtID, account string
	n               int
}

// maxUnsplitText bounds the communication of an entry kept whole: a clerk
// reads the first transactions', and the rest are in the file.
const maxUnsplitText = 2000

// camtEntryHead is what an entry says about itself before its details.
type camtEntryHead struct {
	amount, indicator, status string
	amountCcy                 string
	booking, value            string
	bankRef                   string
	reversal                  string
}

type camtDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (c camtDate) date() string { return firstOf(c.Dt, c.DtTm) }

// camtTxLine is a transaction's line with what its entry decides later:
// its amount in the entry's currency if it has one, whether it has a bank
// reference of its own, and its debtor's and creditor's name, account and
// BIC.
type camtTxLine struct {
	line             StatementLine
	amount           decimal.Decimal
	hasAmount        bool
	ownRef           bool
	debtor, creditor [3]string
}

// amountIn returns the first of the transaction's Amt, AmtDtls/TxAmt and
// AmtDtls/CntrValAmt in currency ccy (an amount or entry without a
// currency counts as any), or false when it has none.
func (tx camtTx) amountIn(ccy string) (decimal.Decimal, bool) {
	for _, a := range [...]camtAmount{tx.Amt, tx.TxAmt, tx.CntrVal} {
		if strings.TrimSpace(a.Value) == "" || a.Ccy != "" && ccy != "" && a.Ccy != ccy {
			continue
		}
		d, err := camtDecimal(a, "amount")
		return d, err == nil
	}
	return decimal.Decimal{}, false
}

// readCamtEntry reads the entry that the last token opened, child by child
// and transaction by transaction, so a batch of any size is never decoded
// whole. It returns the entry's lines once it has checked that their
// amounts add up to the entry's.
func readCamtEntry(d *xml.Decoder, lim *camtLimiter, at camtEntryAt) ([]StatementLine, error) {
	var (
		h     camtEntryHead
		txs   []camtTxLine
		level = 1 // 1: a child of Ntry; 2: a child of NtryDtls
		start = lim.cr.n
	)
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if lim.cr.n-start > maxCamtEntry {
			return nil, fmt.Errorf("the entry is larger than %d bytes", maxCamtEntry)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			level--
			if level == 0 {
				return h.lines(at, txs)
			}
		case xml.StartElement:
			switch {
			case level == 1 && t.Name.Local == "NtryDtls":
				level++
				continue
			case level == 2 && t.Name.Local == "TxDtls":
				if len(txs) == maxCamtTransactions {
					return nil, fmt.Errorf("more than %d transactions", maxCamtTransactions)
				}
				var tx camtTx
				if err := lim.decode(d, &tx, &t); err != nil {
					return nil, err
				}
				// The entry's Amt comes before its details (schema order),
				// so its currency is known here.
				l := tx.line()
				l.amount, l.hasAmount = tx.amountIn(h.amountCcy)
				txs = append(txs, l)
			case level == 1:
				if err := h.read(d, lim, &t); err != nil {
					return nil, err
				}
			default:
				if err := d.Skip(); err != nil {
					return nil, err
				}
			}
		}
	}
}

// read decodes one child of the entry into h, or skips it.
func (h *camtEntryHead) read(d *xml.Decoder, lim *camtLimiter, t *xml.StartElement) error {
	switch t.Name.Local {
	case "Amt":
		var a camtAmount
		if err := lim.decode(d, &a, t); err != nil {
			return err
		}
		h.amount, h.amountCcy = a.Value, a.Ccy
		return nil
	case "CdtDbtInd":
		return lim.decode(d, &h.indicator, t)
	case "Sts":
		var s struct {
			Text string `xml:",chardata"` // camt.053.001.02: <Sts>BOOK</Sts>
			Cd   string `xml:"Cd"`        // later versions: <Sts><Cd>BOOK</Cd></Sts>
		}
		if err := lim.decode(d, &s, t); err != nil {
			return err
		}
		h.status = strings.TrimSpace(firstOf(strings.TrimSpace(s.Cd), s.Text))
		return nil
	case "BookgDt", "ValDt":
		var c camtDate
		if err := lim.decode(d, &c, t); err != nil {
			return err
		}
		if t.Name.Local == "BookgDt" {
			h.booking = c.date()
		} else {
			h.value = c.date()
		}
		return nil
	case "AcctSvcrRef":
		return lim.decode(d, &h.bankRef, t)
	case "RvslInd":
		return lim.decode(d, &h.reversal, t)
	}
	return d.Skip()
}

// lines checks the entry and completes its transactions' lines. A single
// transaction is the whole entry, whatever amount it gives (charges or an
// exchange may make them differ). Several each take their amount in the
// entry's currency; when one has none, or they do not add up to the entry,
// the entry is kept as one line with no reference, for a clerk.
func (h camtEntryHead) lines(at camtEntryAt, txs []camtTxLine) ([]StatementLine, error) {
	if h.status != "" && h.status != "BOOK" {
		return nil, nil // pending or informational entries are not money yet
	}
	amt, err := camtDecimal(camtAmount{Value: h.amount, Ccy: h.amountCcy}, "amount")
	if err != nil {
		return nil, err
	}
	var sign decimal.Decimal
	switch strings.TrimSpace(h.indicator) {
	case "CRDT":
		sign = decimal.NewFromInt(1)
	case "DBIT":
		sign = decimal.NewFromInt(-1)
	default:
		return nil, fmt.Errorf("CdtDbtInd %q is not CRDT or DBIT", h.indicator)
	}
	var reversal bool
	switch strings.TrimSpace(h.reversal) {
	case "", "false", "0":
	case "true", "1":
		reversal = true
	default:
		return nil, fmt.Errorf("RvslInd %q is not true or false", h.reversal)
	}
	booking, err := parseCamtDate(h.booking)
	if err != nil {
		return nil, fmt.Errorf("booking date: %w", err)
	}
	value, err := parseCamtDate(h.value)
	if err != nil {
		return nil, fmt.Errorf("value date: %w", err)
	}
	base := StatementLine{Account: at.account, BookingDate: booking, ValueDate: value, Amount: amt.Mul(sign),
		BankReference: strings.TrimSpace(h.bankRef), Reversal: reversal}
	prefix := "camt053:" + at.account + ":" + at.stmtID + ":" + strconv.Itoa(at.n)
	if len(txs) == 0 {
		base.Key = prefix
		return []StatementLine{base}, nil
	}
	// The other side of a credit is its debtor, of a debit its creditor;
	// a reversal undoes a movement of the other direction (a debit that
	// reverses a credit goes back to that credit's debtor).
	fromDebtor := sign.IsPositive() != reversal
	out := make([]StatementLine, len(txs))
	sum := decimal.Zero
	split := true
	for i, tx := range txs {
		l := tx.line
		l.Key = prefix + "/" + strconv.Itoa(i+1)
		l.Account, l.BookingDate, l.ValueDate, l.Reversal = base.Account, base.BookingDate, base.ValueDate, reversal
		if len(txs) == 1 {
			l.Amount = base.Amount
		} else if tx.hasAmount {
			l.Amount = tx.amount.Mul(sign)
		} else {
			split = false
		}
		sum = sum.Add(l.Amount)
		switch {
		case tx.ownRef:
		case len(txs) > 1 && base.BankReference != "":
			// The entry's reference is shared by its transactions; the
			// position tells them apart, as a CODA detail number does.
			l.BankReference = base.BankReference + "/" + strconv.Itoa(i+1)
		default:
			l.BankReference = base.BankReference
		}
		party, other := tx.creditor, tx.debtor
		if fromDebtor {
			party, other = other, party
		}
		if reversal && party == [3]string{} {
			// Banks do not agree on the parties of a reversal: some give
			// the original movement's (ISO), some name the other side as
			// if it were a new movement (ABN AMRO's returned direct debit
			// in testdata/oca-test-camt053.xml).
			party = other
		}
		l.CounterpartyName, l.CounterpartyIBAN, l.CounterpartyBIC = party[0], party[1], party[2]
		out[i] = l
	}
	if split && sum.Equal(base.Amount) {
		return out, nil
	}
	// Transactions that do not make their entry: the entry is the money
	// that moved. Keep it whole, with each transaction's communication for
	// the clerk and no reference, so nothing is booked on a guess.
	base.Key = prefix
	var texts []string
	for _, l := range out {
		if t := strings.TrimSpace(l.Reference.String() + " " + l.Text); t != "" {
			texts = append(texts, t)
		}
	}
	base.Text = fmt.Sprintf("%d transactions that do not add up to the entry: %s", len(txs), strings.Join(texts, "; "))
	if len(base.Text) > maxUnsplitText {
		base.Text = strings.ToValidUTF8(base.Text[:maxUnsplitText], "") + " …"
	}
	return []StatementLine{base}, nil
}

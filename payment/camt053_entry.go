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

// camtEntryHead is what an entry says about itself before its details.
type camtEntryHead struct {
	amount, indicator, status string
	amountCcy                 string
	booking, value            string
	bankRef                   string
}

type camtDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (c camtDate) date() string { return firstOf(c.Dt, c.DtTm) }

// camtTxLine is a transaction's line with what its entry decides later:
// whether it has an amount and a bank reference of its own, and its
// debtor's and creditor's name, account and BIC.
type camtTxLine struct {
	line             StatementLine
	hasAmount        bool
	ownRef           bool
	debtor, creditor [3]string
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
				l, err := tx.line(len(txs) + 1)
				if err != nil {
					return nil, err
				}
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
	}
	return d.Skip()
}

// lines checks the entry and completes its transactions' lines: a single
// transaction without an amount of its own is the whole entry; several
// must each have one, and together make the entry's amount.
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
	booking, err := parseCamtDate(h.booking)
	if err != nil {
		return nil, fmt.Errorf("booking date: %w", err)
	}
	value, err := parseCamtDate(h.value)
	if err != nil {
		return nil, fmt.Errorf("value date: %w", err)
	}
	base := StatementLine{Account: at.account, BookingDate: booking, ValueDate: value, Amount: amt.Mul(sign), BankReference: strings.TrimSpace(h.bankRef)}
	prefix := "camt053:" + at.stmtID + ":" + strconv.Itoa(at.n)
	if len(txs) == 0 {
		base.Key = prefix
		return []StatementLine{base}, nil
	}
	out := make([]StatementLine, len(txs))
	sum := decimal.Zero
	for i, tx := range txs {
		l := tx.line
		l.Key = prefix + "/" + strconv.Itoa(i+1)
		l.Account, l.BookingDate, l.ValueDate = base.Account, base.BookingDate, base.ValueDate
		switch {
		case tx.hasAmount:
			l.Amount = l.Amount.Mul(sign)
		case len(txs) > 1:
			return nil, fmt.Errorf("transaction %d of %d has no amount of its own", i+1, len(txs))
		default:
			l.Amount = base.Amount
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
		// The counterparty is whoever is on the other side: the debtor
		// of a credit, the creditor of a debit.
		if sign.IsNegative() {
			l.CounterpartyName, l.CounterpartyIBAN, l.CounterpartyBIC = tx.creditor[0], tx.creditor[1], tx.creditor[2]
		}
		out[i] = l
	}
	if !sum.Equal(base.Amount) {
		return nil, fmt.Errorf("the transactions add up to %s, the entry is %s", sum, base.Amount)
	}
	return out, nil
}

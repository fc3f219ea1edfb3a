package payment

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// ErrCamt is the reason every camt.053 parse error wraps.
var ErrCamt = errors.New("invalid camt.053 file")

// CamtError says where a camt.053 file is wrong and why.
// errors.Is(err, ErrCamt) and errors.Is(err, ErrValidation) are true for it.
type CamtError struct {
	Offset int64 // byte offset in the input
	Msg    string
}

// Error says where and what.
func (e *CamtError) Error() string { return fmt.Sprintf("camt.053 at byte %d: %s", e.Offset, e.Msg) }

// Unwrap returns ErrCamt.
func (e *CamtError) Unwrap() error { return ErrCamt }

// Is makes errors.Is(err, ErrValidation) true.
func (e *CamtError) Is(target error) bool { return target == ErrValidation }

// camtAmount is an ISO 20022 amount with its currency attribute.
type camtAmount struct {
	Value string `xml:",chardata"`
	Ccy   string `xml:"Ccy,attr"`
}

type camtParty struct {
	Nm    string `xml:"Nm"`
	PtyNm string `xml:"Pty>Nm"` // camt.053.001.08 and later wrap the party
}

func (p camtParty) name() string {
	if p.Nm != "" {
		return p.Nm
	}
	return p.PtyNm
}

// camtAccount is a party's account: an IBAN or another identifier.
type camtAccount struct {
	IBAN  string `xml:"Id>IBAN"`
	Other string `xml:"Id>Othr>Id"`
}

func (a camtAccount) id() string {
	if s := strings.TrimSpace(a.IBAN); s != "" {
		return s
	}
	return strings.TrimSpace(a.Other)
}

// camtAgent is a party's bank; BIC until version 04, BICFI from 05 on.
type camtAgent struct {
	BIC   string `xml:"FinInstnId>BIC"`
	BICFI string `xml:"FinInstnId>BICFI"`
}

func (a camtAgent) bic() string { return strings.TrimSpace(a.BIC + a.BICFI) }

type camtTx struct {
	Refs struct {
		AcctSvcrRef string `xml:"AcctSvcrRef"`
		EndToEndID  string `xml:"EndToEndId"`
	} `xml:"Refs"`
	// Amt is the transaction's amount from version 03 on; version 02
	// (EntryTransaction2) has none and gives it in AmtDtls/TxAmt/Amt.
	Amt       camtAmount `xml:"Amt"`
	TxAmt     camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	RltdPties struct {
		Dbtr     camtParty   `xml:"Dbtr"`
		DbtrAcct camtAccount `xml:"DbtrAcct"`
		Cdtr     camtParty   `xml:"Cdtr"`
		CdtrAcct camtAccount `xml:"CdtrAcct"`
	} `xml:"RltdPties"`
	RltdAgts struct {
		DbtrAgt camtAgent `xml:"DbtrAgt"`
		CdtrAgt camtAgent `xml:"CdtrAgt"`
	} `xml:"RltdAgts"`
	RmtInf struct {
		Ustrd []string `xml:"Ustrd"`
		Strd  []struct {
			Ref string `xml:"CdtrRefInf>Ref"`
		} `xml:"Strd"`
	} `xml:"RmtInf"`
}

// amount returns the transaction's own amount, or ok false when the file
// gives none.
func (tx camtTx) amount() (camtAmount, bool) {
	if strings.TrimSpace(tx.Amt.Value) != "" {
		return tx.Amt, true
	}
	if strings.TrimSpace(tx.TxAmt.Value) != "" {
		return tx.TxAmt, true
	}
	return camtAmount{}, false
}

// camtEntry is one Ntry: decoded whole, since an entry is small (its size
// is bounded by maxCamtEntry); the statement around it is walked token by
// token so memory stays flat.
type camtEntry struct {
	Amt       camtAmount `xml:"Amt"`
	CdtDbtInd string     `xml:"CdtDbtInd"`
	Sts       struct {
		Text string `xml:",chardata"` // camt.053.001.02: <Sts>BOOK</Sts>
		Cd   string `xml:"Cd"`        // later versions: <Sts><Cd>BOOK</Cd></Sts>
	} `xml:"Sts"`
	BookgDt     string   `xml:"BookgDt>Dt"`
	BookgDtTm   string   `xml:"BookgDt>DtTm"`
	ValDt       string   `xml:"ValDt>Dt"`
	ValDtTm     string   `xml:"ValDt>DtTm"`
	AcctSvcrRef string   `xml:"AcctSvcrRef"`
	Txs         []camtTx `xml:"NtryDtls>TxDtls"`
}

// The bounds of a camt.053 file. Real statements nest about 12 levels deep,
// an entry takes a few kilobytes (a batch of a thousand transactions about
// 2 MB) and a 20 MB statement holds under a million elements; these bounds
// leave room for that and keep the reader's memory flat for any input (a
// peak of about 16 MiB of live heap): the decoder's stack cannot outgrow
// maxCamtDepth, one entry, the only thing decoded whole, cannot outgrow
// maxCamtEntry, and maxCamtElements bounds the time spent on a file.
const (
	maxCamtDepth    = 64
	maxCamtEntry    = 4 << 20
	maxCamtElements = 3_000_000
)

// camtLimiter hands the decoder the raw tokens of r and stops at the
// bounds above, before the decoder can build anything for them.
type camtLimiter struct {
	raw        *xml.Decoder
	cr         *countingReader
	depth      int
	elements   int
	entryStart int64 // byte offset where the entry being decoded began; -1 outside
}

func (l *camtLimiter) Token() (xml.Token, error) {
	t, err := l.raw.RawToken()
	if err != nil {
		return t, err
	}
	switch t.(type) {
	case xml.StartElement:
		l.depth++
		l.elements++
		if l.depth > maxCamtDepth {
			return nil, fmt.Errorf("elements nest deeper than %d levels", maxCamtDepth)
		}
		if l.elements > maxCamtElements {
			return nil, fmt.Errorf("more than %d elements", maxCamtElements)
		}
	case xml.EndElement:
		l.depth--
	}
	if l.entryStart >= 0 && l.cr.n-l.entryStart > maxCamtEntry {
		return nil, fmt.Errorf("an entry is larger than %d bytes", maxCamtEntry)
	}
	return t, nil
}

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Camt053Lines reads an ISO 20022 camt.053 bank-to-customer statement
// (versions 02 to 08 and later) and yields each movement as it comes: one
// line per transaction detail, or per entry when it has none. It streams
// with encoding/xml token by token and bounds nesting depth, element count
// and the size of one entry, so memory stays flat whatever the file. Each
// line's Key combines the statement's Id and the entry and transaction
// positions, so the same file always yields the same keys. A file without
// a statement, or an entry whose transactions do not add up to it, is an
// error. After an error it yields nothing more.
func Camt053Lines(r io.Reader) iter.Seq2[StatementLine, error] {
	return func(yield func(StatementLine, error) bool) {
		cr := &countingReader{r: r}
		lim := &camtLimiter{raw: xml.NewDecoder(cr), cr: cr, entryStart: -1}
		d := xml.NewTokenDecoder(lim)
		var (
			depth, stmtDepth        int
			inStmt, sawDoc, sawStmt bool
			stmtID, account         string
			entry                   int
		)
		fail := func(format string, args ...any) {
			yield(StatementLine{}, &CamtError{Offset: lim.raw.InputOffset(), Msg: fmt.Sprintf(format, args...)})
		}
		for {
			tok, err := d.Token()
			if err == io.EOF {
				switch {
				case !sawDoc:
					fail("no Document element")
				case !sawStmt:
					fail("no Stmt element: a camt.053 statement message holds at least one statement")
				}
				return
			}
			if err != nil {
				fail("%v", err)
				return
			}
			switch t := tok.(type) {
			case xml.StartElement:
				depth++
				switch {
				case depth == 1:
					if t.Name.Local != "Document" || !strings.Contains(t.Name.Space, "camt.053") {
						fail("root is %s in %q, not a camt.053 Document", t.Name.Local, t.Name.Space)
						return
					}
					sawDoc = true
				case depth == 3 && t.Name.Local == "Stmt":
					inStmt, sawStmt, stmtDepth, stmtID, account, entry = true, true, depth, "", "", 0
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Id":
					var s string
					if err := d.DecodeElement(&s, &t); err != nil {
						fail("statement Id: %v", err)
						return
					}
					depth--
					stmtID = strings.TrimSpace(s)
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Acct":
					var a camtAccount
					if err := d.DecodeElement(&a, &t); err != nil {
						fail("statement Acct: %v", err)
						return
					}
					depth--
					account = compactAccount(a.id())
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Ntry":
					var e camtEntry
					lim.entryStart = cr.n
					err := d.DecodeElement(&e, &t)
					lim.entryStart = -1
					if err != nil {
						fail("entry %d: %v", entry+1, err)
						return
					}
					depth--
					entry++
					if stmtID == "" {
						fail("entry %d before the statement Id", entry)
						return
					}
					lines, err := e.lines(stmtID, account, entry)
					if err != nil {
						fail("entry %d: %v", entry, err)
						return
					}
					for _, l := range lines {
						if !yield(l, nil) {
							return
						}
					}
				}
			case xml.EndElement:
				if inStmt && depth == stmtDepth {
					inStmt = false
				}
				depth--
			}
		}
	}
}

func camtDecimal(a camtAmount, what string) (decimal.Decimal, error) {
	v := strings.TrimSpace(a.Value)
	d, err := decimal.NewFromString(v)
	if err != nil || strings.ContainsAny(v, "eE+-") || d.IsNegative() {
		return decimal.Decimal{}, fmt.Errorf("%s %q is not an amount", what, v)
	}
	if a.Ccy != "" && a.Ccy != "EUR" {
		return decimal.Decimal{}, fmt.Errorf("%s is in %s, not EUR", what, a.Ccy)
	}
	return d, nil
}

func camtDate(s string) (calendar.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 {
		s = s[:10] // a DtTm: the date part
	}
	if s == "" {
		return calendar.Date{}, nil
	}
	return calendar.ParseDate(s)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (e camtEntry) lines(stmtID, account string, n int) ([]StatementLine, error) {
	status := strings.TrimSpace(e.Sts.Cd)
	if status == "" {
		status = strings.TrimSpace(e.Sts.Text)
	}
	if status != "" && status != "BOOK" {
		return nil, nil // pending or informational entries are not money yet
	}
	amt, err := camtDecimal(e.Amt, "amount")
	if err != nil {
		return nil, err
	}
	var sign decimal.Decimal
	switch strings.TrimSpace(e.CdtDbtInd) {
	case "CRDT":
		sign = decimal.NewFromInt(1)
	case "DBIT":
		sign = decimal.NewFromInt(-1)
	default:
		return nil, fmt.Errorf("CdtDbtInd %q is not CRDT or DBIT", e.CdtDbtInd)
	}
	booking, err := camtDate(firstOf(e.BookgDt, e.BookgDtTm))
	if err != nil {
		return nil, fmt.Errorf("booking date: %w", err)
	}
	value, err := camtDate(firstOf(e.ValDt, e.ValDtTm))
	if err != nil {
		return nil, fmt.Errorf("value date: %w", err)
	}
	base := StatementLine{Account: account, BookingDate: booking, ValueDate: value, Amount: amt.Mul(sign), BankReference: strings.TrimSpace(e.AcctSvcrRef)}
	prefix := "camt053:" + stmtID + ":" + strconv.Itoa(n)
	if len(e.Txs) == 0 {
		base.Key = prefix
		return []StatementLine{base}, nil
	}
	out := make([]StatementLine, 0, len(e.Txs))
	sum := decimal.Zero
	for i, tx := range e.Txs {
		l := base
		l.Key = prefix + "/" + strconv.Itoa(i+1)
		a, ok := tx.amount()
		switch {
		case ok:
			if l.Amount, err = camtDecimal(a, "transaction "+strconv.Itoa(i+1)+" amount"); err != nil {
				return nil, err
			}
			l.Amount = l.Amount.Mul(sign)
		case len(e.Txs) > 1:
			return nil, fmt.Errorf("transaction %d of %d has no amount of its own", i+1, len(e.Txs))
		}
		sum = sum.Add(l.Amount)
		if ref := strings.TrimSpace(tx.Refs.AcctSvcrRef); ref != "" {
			l.BankReference = ref
		} else if len(e.Txs) > 1 && l.BankReference != "" {
			// The entry's reference is shared by its transactions; the
			// position tells them apart, as a CODA detail number does.
			l.BankReference += "/" + strconv.Itoa(i+1)
		}
		// The counterparty is whoever is on the other side: the debtor
		// of a credit, the creditor of a debit.
		party, acct, agent := tx.RltdPties.Dbtr, tx.RltdPties.DbtrAcct, tx.RltdAgts.DbtrAgt
		if sign.IsNegative() {
			party, acct, agent = tx.RltdPties.Cdtr, tx.RltdPties.CdtrAcct, tx.RltdAgts.CdtrAgt
		}
		l.CounterpartyName = strings.TrimSpace(party.name())
		l.CounterpartyIBAN = acct.id()
		l.CounterpartyBIC = agent.bic()
		l.Text = strings.TrimSpace(strings.Join(tx.RmtInf.Ustrd, " "))
		var unusable []string
		for _, s := range tx.RmtInf.Strd {
			ref := strings.TrimSpace(s.Ref)
			if ref == "" {
				continue
			}
			if r, err := ParseReference(ref); err == nil {
				l.Reference = r
				break
			}
			unusable = append(unusable, ref)
		}
		switch {
		case !l.Reference.IsZero():
		case len(unusable) > 0:
			// A structured reference that is no valid OGM or RF: the
			// clerk sees it, nothing is booked on it.
			l.InvalidReference = true
			l.Text = strings.TrimSpace(strings.Join(unusable, " ") + " " + l.Text)
		default:
			l.Reference = referenceInText(l.Text)
		}
		out = append(out, l)
	}
	if !sum.Equal(base.Amount) {
		return nil, fmt.Errorf("the transactions add up to %s, the entry is %s", sum, base.Amount)
	}
	return out, nil
}

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

type camtTx struct {
	Refs struct {
		AcctSvcrRef string `xml:"AcctSvcrRef"`
		EndToEndID  string `xml:"EndToEndId"`
	} `xml:"Refs"`
	Amt       camtAmount `xml:"Amt"`
	RltdPties struct {
		Dbtr     camtParty `xml:"Dbtr"`
		DbtrAcct struct {
			IBAN string `xml:"Id>IBAN"`
		} `xml:"DbtrAcct"`
	} `xml:"RltdPties"`
	RltdAgts struct {
		DbtrBIC  string `xml:"DbtrAgt>FinInstnId>BIC"`
		DbtrBIC2 string `xml:"DbtrAgt>FinInstnId>BICFI"`
	} `xml:"RltdAgts"`
	RmtInf struct {
		Ustrd []string `xml:"Ustrd"`
		Strd  []struct {
			Ref string `xml:"CdtrRefInf>Ref"`
		} `xml:"Strd"`
	} `xml:"RmtInf"`
}

// camtEntry is one Ntry: decoded whole, since an entry is small; the
// statement around it is walked token by token so memory stays flat.
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
	AcctSvcrRef string   `xml:"AcctSvcrRef"`
	Txs         []camtTx `xml:"NtryDtls>TxDtls"`
}

// Camt053Lines reads an ISO 20022 camt.053 bank-to-customer statement
// and yields each movement as it comes: one line per transaction detail,
// or per entry when it has none. It streams with encoding/xml token by
// token, so memory does not grow with the file. Each line's Key combines
// the statement's Id and the entry and transaction positions, so the same
// file always yields the same keys. After an error it yields nothing more.
func Camt053Lines(r io.Reader) iter.Seq2[StatementLine, error] {
	return func(yield func(StatementLine, error) bool) {
		d := xml.NewDecoder(r)
		var (
			depth, stmtDepth int
			inStmt, sawDoc   bool
			stmtID           string
			entry            int
		)
		fail := func(format string, args ...any) {
			yield(StatementLine{}, &CamtError{Offset: d.InputOffset(), Msg: fmt.Sprintf(format, args...)})
		}
		for {
			tok, err := d.Token()
			if err == io.EOF {
				if !sawDoc {
					fail("no Document element")
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
				case t.Name.Local == "Stmt":
					inStmt, stmtDepth, stmtID, entry = true, depth, "", 0
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Id":
					var s string
					if err := d.DecodeElement(&s, &t); err != nil {
						fail("statement Id: %v", err)
						return
					}
					depth--
					stmtID = strings.TrimSpace(s)
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Ntry":
					var e camtEntry
					if err := d.DecodeElement(&e, &t); err != nil {
						fail("entry %d: %v", entry+1, err)
						return
					}
					depth--
					entry++
					if stmtID == "" {
						fail("entry %d before the statement Id", entry)
						return
					}
					lines, err := e.lines(stmtID, entry)
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

func (e camtEntry) lines(stmtID string, n int) ([]StatementLine, error) {
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
	switch e.CdtDbtInd {
	case "CRDT":
		sign = decimal.NewFromInt(1)
	case "DBIT":
		sign = decimal.NewFromInt(-1)
	default:
		return nil, fmt.Errorf("CdtDbtInd %q is not CRDT or DBIT", e.CdtDbtInd)
	}
	bd := e.BookgDt
	if bd == "" {
		bd = e.BookgDtTm
	}
	booking, err := camtDate(bd)
	if err != nil {
		return nil, fmt.Errorf("booking date: %w", err)
	}
	value, err := camtDate(e.ValDt)
	if err != nil {
		return nil, fmt.Errorf("value date: %w", err)
	}
	base := StatementLine{BookingDate: booking, ValueDate: value, Amount: amt.Mul(sign), BankReference: e.AcctSvcrRef}
	prefix := "camt053:" + stmtID + ":" + strconv.Itoa(n)
	if len(e.Txs) == 0 {
		base.Key = prefix
		return []StatementLine{base}, nil
	}
	out := make([]StatementLine, 0, len(e.Txs))
	for i, tx := range e.Txs {
		l := base
		l.Key = prefix + "/" + strconv.Itoa(i+1)
		if strings.TrimSpace(tx.Amt.Value) != "" && len(e.Txs) > 1 {
			a, err := camtDecimal(tx.Amt, "transaction amount")
			if err != nil {
				return nil, err
			}
			l.Amount = a.Mul(sign)
		}
		if tx.Refs.AcctSvcrRef != "" {
			l.BankReference = tx.Refs.AcctSvcrRef
		}
		l.CounterpartyName = strings.TrimSpace(tx.RltdPties.Dbtr.name())
		l.CounterpartyIBAN = strings.TrimSpace(tx.RltdPties.DbtrAcct.IBAN)
		l.CounterpartyBIC = tx.RltdAgts.DbtrBIC + tx.RltdAgts.DbtrBIC2
		l.Text = strings.TrimSpace(strings.Join(tx.RmtInf.Ustrd, " "))
		for _, s := range tx.RmtInf.Strd {
			if ref, err := ParseReference(strings.TrimSpace(s.Ref)); err == nil {
				l.Reference = ref
				break
			}
		}
		if l.Reference.IsZero() {
			l.Reference = referenceInText(l.Text)
		}
		out = append(out, l)
	}
	return out, nil
}

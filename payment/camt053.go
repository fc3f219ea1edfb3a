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

// Camt053Lines reads an ISO 20022 camt.053 bank-to-customer statement
// (versions 02 to 13) and yields each movement as it comes: one
// line per transaction detail, or per entry when it has none. It streams
// with encoding/xml token by token, down to each transaction of a batch,
// and bounds nesting depth, element count, the size of every token and of
// what it decodes whole, the attributes of an element and the
// transactions of one entry (see camt053_limits.go), so
// memory stays flat whatever the file. Each line's Key combines the
// statement's account and Id and the entry and transaction positions, so
// the same file always yields the same keys. Only euro is booked: an entry
// in another currency, or an amount with fractions of a cent, is an error,
// as is a file without a statement. A transaction's amount is the first of
// its Amt, AmtDtls/TxAmt and AmtDtls/CntrValAmt in the entry's currency; a
// single transaction is the entry's amount (charges may make them differ);
// several that do not add up to their entry are kept as the entry, one
// line, for a clerk. After an error it yields nothing more.
func Camt053Lines(r io.Reader) iter.Seq2[StatementLine, error] {
	return func(yield func(StatementLine, error) bool) {
		d, lim := newCamtDecoder(r)
		var (
			depth, stmtDepth        int
			inStmt, sawDoc, sawStmt bool
			stmtID, account         string
			entry                   int
		)
		fail := func(format string, args ...any) {
			yield(StatementLine{}, &CamtError{Offset: lim.offset(), Msg: fmt.Sprintf(format, args...)})
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
					if t.Name.Local != "Document" || !camtNamespace(t.Name.Space) {
						fail("root is %s in %q, not a camt.053 Document of version 02 to 13", t.Name.Local, t.Name.Space)
						return
					}
					sawDoc = true
				case depth == 3 && t.Name.Local == "Stmt":
					inStmt, sawStmt, stmtDepth, stmtID, account, entry = true, true, depth, "", "", 0
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Id":
					var s string
					if err := lim.decode(d, &s, &t); err != nil {
						fail("statement Id: %v", err)
						return
					}
					depth--
					stmtID = strings.TrimSpace(s)
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Acct":
					var a camtAccount
					if err := lim.decode(d, &a, &t); err != nil {
						fail("statement Acct: %v", err)
						return
					}
					depth--
					account = compactAccount(a.id())
				case inStmt && depth == stmtDepth+1 && t.Name.Local == "Ntry":
					entry++
					if stmtID == "" {
						fail("entry %d before the statement Id", entry)
						return
					}
					lines, err := readCamtEntry(d, lim, camtEntryAt{stmtID: stmtID, account: account, n: entry})
					if err != nil {
						fail("entry %d: %v", entry, err)
						return
					}
					depth--
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

// camtNamespace reports whether ns is the namespace of a camt.053 version
// the reader knows: camt.053.001.02 to camt.053.001.13. Versions 02 to 07
// name a party directly and 08 on wrap it in Pty; both are read. Version
// 01 (2006) differs more and is refused.
func camtNamespace(ns string) bool {
	v, ok := strings.CutPrefix(ns, "urn:iso:std:iso:20022:tech:xsd:camt.053.001.")
	if !ok || len(v) != 2 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' {
		return false
	}
	n, _ := strconv.Atoi(v)
	return n >= 2 && n <= 13
}

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
		InstrID     string `xml:"InstrId"`
		EndToEndID  string `xml:"EndToEndId"`
		TxID        string `xml:"TxId"`
		MndtID      string `xml:"MndtId"`
	} `xml:"Refs"`
	// Amt is the transaction's amount from version 03 on; version 02
	// (EntryTransaction2) has none and gives it in AmtDtls. Any of them may
	// be in another currency than the entry's (a payment in dollars booked
	// in euros), so the entry's currency decides which one counts.
	Amt       camtAmount `xml:"Amt"`
	TxAmt     camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	CntrVal   camtAmount `xml:"AmtDtls>CntrValAmt>Amt"`
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

// refs writes the transaction's own identifiers for StatementLine.Refs.
func (tx camtTx) refs() string {
	var parts []string
	for _, r := range [...][2]string{{"e2e", tx.Refs.EndToEndID}, {"tx", tx.Refs.TxID}, {"instr", tx.Refs.InstrID}, {"mndt", tx.Refs.MndtID}} {
		if v := strings.TrimSpace(r[1]); v != "" && v != "NOTPROVIDED" {
			parts = append(parts, r[0]+"="+v)
		}
	}
	return strings.Join(parts, ";")
}

// line turns a transaction into its line, but for what its entry decides:
// the amount, the sign, the dates, and which party is on the other side.
func (tx camtTx) line() camtTxLine {
	var out camtTxLine
	if ref := strings.TrimSpace(tx.Refs.AcctSvcrRef); ref != "" {
		out.line.BankReference, out.ownRef = ref, true
	}
	out.line.Refs = tx.refs()
	p, a := tx.RltdPties, tx.RltdAgts
	out.debtor = [3]string{strings.TrimSpace(p.Dbtr.name()), p.DbtrAcct.id(), a.DbtrAgt.bic()}
	out.creditor = [3]string{strings.TrimSpace(p.Cdtr.name()), p.CdtrAcct.id(), a.CdtrAgt.bic()}
	l := &out.line
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
		// A structured reference that is no valid OGM or RF: the clerk
		// sees it, nothing is booked on it.
		l.InvalidReference = true
		l.Text = strings.TrimSpace(strings.Join(unusable, " ") + " " + l.Text)
	default:
		l.Reference = referenceInText(l.Text)
	}
	return out
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
	if !d.Equal(d.Round(2)) {
		return decimal.Decimal{}, fmt.Errorf("%s %q has fractions of a cent", what, v)
	}
	return d, nil
}

func parseCamtDate(s string) (calendar.Date, error) {
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

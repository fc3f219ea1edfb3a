package payment

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// ErrCODA is the reason every CODA parse error wraps.
var ErrCODA = errors.New("invalid CODA file")

// CODAError says which line of a CODA file is wrong and why.
// errors.Is(err, ErrCODA) and errors.Is(err, ErrValidation) are true for it.
type CODAError struct {
	Line   int    // 1-based line number
	Record string // record type, e.g. "2.1"
	Msg    string
}

// Error says where and what.
func (e *CODAError) Error() string {
	return fmt.Sprintf("CODA line %d (record %s): %s", e.Line, e.Record, e.Msg)
}

// Unwrap returns ErrCODA.
func (e *CODAError) Unwrap() error { return ErrCODA }

// Is makes errors.Is(err, ErrValidation) true.
func (e *CODAError) Is(target error) bool { return target == ErrValidation }

// codaLine is one 128-character record; fields are read by the 1-based,
// inclusive positions the Febelfin CODA 2 specification uses.
type codaLine struct {
	s    string
	n    int
	kind string
}

func (l codaLine) f(from, to int) string { return l.s[from-1 : to] }

// text decodes a windows-1252 field and trims the padding.
func (l codaLine) text(from, to int) string { return strings.TrimSpace(decode1252(l.f(from, to))) }

func (l codaLine) err(format string, args ...any) error {
	return &CODAError{Line: l.n, Record: l.kind, Msg: fmt.Sprintf(format, args...)}
}

func (l codaLine) digits(from, to int, what string) (int64, error) {
	s := l.f(from, to)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, l.err("%s %q is not a number", what, s)
	}
	return n, nil
}

// amount reads a sign position (0 credit, 1 debit) and 15 digits in
// thousandths of the currency unit.
func (l codaLine) amount(sign, from int, what string) (decimal.Decimal, error) {
	n, err := l.digits(from, from+14, what)
	if err != nil {
		return decimal.Decimal{}, err
	}
	d := decimal.New(n, -3)
	switch l.s[sign-1] {
	case '0':
		return d, nil
	case '1':
		return d.Neg(), nil
	}
	return decimal.Decimal{}, l.err("%s sign %q is not 0 or 1", what, l.s[sign-1])
}

func (l codaLine) date(from int, what string) (calendar.Date, error) {
	s := l.f(from, from+5)
	if strings.TrimSpace(s) == "" || s == "000000" {
		return calendar.Date{}, nil
	}
	t, err := time.Parse("020106", s)
	if err != nil {
		return calendar.Date{}, l.err("%s %q is not a DDMMYY date", what, s)
	}
	return calendar.DateOf(t), nil
}

// codaMovement gathers the records 2.1–2.3 (and 3.x, 4) of one movement.
type codaMovement struct {
	line      StatementLine
	seq       string
	detail    string
	structCom string // 53 or more characters of structured communication
	structed  bool
	text      strings.Builder
}

// ParseCODA reads a CODA file (Febelfin CODA version 2: records 0, 1,
// 2.1–2.3, 3.1–3.3, 4, 8, 9, 128 characters each, windows-1252) into its
// statements. It checks the record count of record 9 (records 1, 2, 3 and
// 8; not 4), the debit and credit totals and that the old balance plus the
// movements gives the new balance, so a truncated or garbled file is
// rejected with a *CODAError rather than half-read. The account is read in
// each of the four structures of CODA 2.6 (a Belgian account number is
// returned as its IBAN) with its currency. Movements detailed by
// globalisation are returned as their details when these add up to the
// movement, and as the movement otherwise.
func ParseCODA(r io.Reader) ([]Statement, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 256), 4096)
	var (
		out       []Statement
		st        *Statement
		fileDate  calendar.Date
		mv        *codaMovement
		mains     []*codaMovement
		details   map[string][]*codaMovement
		count     int
		credit    decimal.Decimal
		debit     decimal.Decimal
		haveTrail bool
		n         int
	)
	flush := func() {
		if mv != nil {
			mv.line.Text = strings.TrimSpace(mv.text.String())
			mv.line.Reference, mv.line.Text, mv.line.InvalidReference = codaReference(mv.structed, mv.structCom, mv.line.Text)
			mv = nil
		}
	}
	for sc.Scan() {
		n++
		raw := strings.TrimRight(sc.Text(), "\r")
		if raw == "" {
			continue
		}
		l := codaLine{s: raw, n: n, kind: raw[:1]}
		if len(raw) >= 2 && (raw[0] == '2' || raw[0] == '3') {
			l.kind = raw[:1] + "." + raw[1:2]
		}
		if len(raw) != 128 {
			return nil, l.err("has %d characters, not 128", len(raw))
		}
		switch raw[0] {
		case '0':
			if st != nil {
				return nil, l.err("header before the trailer of the previous statement")
			}
			d, err := l.date(6, "creation date")
			if err != nil {
				return nil, err
			}
			if raw[127] != '2' {
				return nil, l.err("version %q is not CODA 2", raw[127])
			}
			fileDate = d
			st = &Statement{}
			mains, details, count, credit, debit, haveTrail = nil, map[string][]*codaMovement{}, 0, decimal.Zero, decimal.Zero, false
		case '1':
			if st == nil || st.Account != "" {
				return nil, l.err("old balance out of place")
			}
			count++
			acct, ccy, err := codaAccount(l)
			if err != nil {
				return nil, err
			}
			bal, err := l.amount(43, 44, "old balance")
			if err != nil {
				return nil, err
			}
			st.Account, st.Currency = acct, ccy
			st.OpeningBalance = bal
			if st.Date, err = l.date(59, "old balance date"); err != nil {
				return nil, err
			}
			st.ID = "coda:" + acct + ":" + fileDate.String() + ":" + l.f(3, 5)
		case '2':
			if st == nil || st.Account == "" {
				return nil, l.err("movement before the old balance")
			}
			count++
			switch raw[1] {
			case '1':
				flush()
				m := &codaMovement{seq: l.f(3, 6), detail: l.f(7, 10)}
				amt, err := l.amount(32, 33, "amount")
				if err != nil {
					return nil, err
				}
				m.line.Amount = amt
				m.line.Account = st.Account
				m.line.BankReference = strings.TrimSpace(l.f(11, 31))
				if m.detail != "0000" && m.line.BankReference != "" {
					// Details share their movement's reference; the detail
					// number tells them apart, as a camt.053 batch position does.
					d, _ := strconv.Atoi(m.detail)
					m.line.BankReference += "/" + strconv.Itoa(d)
				}
				if m.line.ValueDate, err = l.date(48, "value date"); err != nil {
					return nil, err
				}
				if m.line.BookingDate, err = l.date(116, "entry date"); err != nil {
					return nil, err
				}
				m.line.Key = st.ID + ":" + m.seq + "/" + m.detail
				m.structed = raw[61] == '1'
				if m.structed {
					m.structCom = l.f(63, 115)
				} else {
					m.text.WriteString(l.text(63, 115))
				}
				mv = m
				if m.detail == "0000" {
					mains = append(mains, m)
				} else {
					details[m.seq] = append(details[m.seq], m)
				}
			case '2':
				if mv == nil || l.f(3, 10) != mv.seq+mv.detail {
					return nil, l.err("does not follow its record 2.1")
				}
				if !mv.structed {
					appendText(&mv.text, l.text(11, 63))
				}
				mv.line.CounterpartyBIC = l.text(99, 109)
			case '3':
				if mv == nil || l.f(3, 10) != mv.seq+mv.detail {
					return nil, l.err("does not follow its record 2.1")
				}
				mv.line.CounterpartyIBAN = codaCounterpartyAccount(l)
				mv.line.CounterpartyName = l.text(48, 82)
				if !mv.structed {
					appendText(&mv.text, l.text(83, 125))
				}
			default:
				return nil, l.err("unknown record 2.%c", raw[1])
			}
		case '3':
			if st == nil || st.Account == "" || raw[1] < '1' || raw[1] > '3' {
				return nil, l.err("information record out of place or unknown")
			}
			count++ // information about the movement; its text is not payment communication
		case '4':
			if st == nil {
				return nil, l.err("free communication out of place")
			}
			// Record 9 counts records 1, 2, 3 and 8 only: not this one.
		case '8':
			if st == nil || st.Account == "" {
				return nil, l.err("new balance out of place")
			}
			count++
			flush()
			bal, err := l.amount(42, 43, "new balance")
			if err != nil {
				return nil, err
			}
			st.ClosingBalance = bal
		case '9':
			if st == nil {
				return nil, l.err("trailer without header")
			}
			flush()
			want, err := l.digits(17, 22, "record count")
			if err != nil {
				return nil, err
			}
			if int64(count) != want {
				return nil, l.err("the trailer counts %d records, the file has %d", want, count)
			}
			for _, m := range mains {
				if m.line.Amount.IsNegative() {
					debit = debit.Sub(m.line.Amount)
				} else {
					credit = credit.Add(m.line.Amount)
				}
			}
			d, err := l.digits(23, 37, "debit total")
			if err != nil {
				return nil, err
			}
			c, err := l.digits(38, 52, "credit total")
			if err != nil {
				return nil, err
			}
			if !decimal.New(d, -3).Equal(debit) || !decimal.New(c, -3).Equal(credit) {
				return nil, l.err("totals %s debit / %s credit do not match the movements %s / %s", decimal.New(d, -3), decimal.New(c, -3), debit, credit)
			}
			if !st.OpeningBalance.Add(credit).Sub(debit).Equal(st.ClosingBalance) {
				return nil, l.err("old balance %s plus movements is not the new balance %s", st.OpeningBalance, st.ClosingBalance)
			}
			for _, m := range mains {
				if ds := details[m.seq]; detailsAddUp(m, ds) {
					for _, x := range ds {
						st.Lines = append(st.Lines, x.line)
					}
					continue
				}
				st.Lines = append(st.Lines, m.line)
			}
			out = append(out, *st)
			st, haveTrail = nil, true
		default:
			return nil, l.err("unknown record type %q", raw[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &CODAError{Line: n + 1, Record: "?", Msg: err.Error()}
	}
	if st != nil || !haveTrail {
		return nil, &CODAError{Line: n, Record: "9", Msg: "the file ends without a trailer record: truncated"}
	}
	return out, nil
}

func appendText(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}

// codaReference reads the communication of a movement. A structured one
// of type 101 or 102 whose 12 digits are a valid OGM is the reference. Any
// other structured communication (wrong check digits, another type) is
// returned as the text, marked invalid, so a clerk sees it and nothing is
// booked on it. A free communication that is nothing but an OGM or RF
// reference counts too, since payers type them there.
func codaReference(structured bool, com, text string) (ref Reference, outText string, invalid bool) {
	if !structured {
		return referenceInText(text), text, false
	}
	typ, rest := com[:3], strings.TrimSpace(com[3:])
	if typ == "101" || typ == "102" {
		if o, err := ParseOGM(com[3:15]); err == nil {
			return OGMReference(o), text, false
		}
		if d := com[3:15]; strings.Trim(d, "0123456789") == "" {
			rest = "+++" + d[:3] + "/" + d[3:7] + "/" + d[7:] + "+++"
		}
	}
	shown := strings.Join(strings.Fields(decode1252(rest)), " ")
	if shown == "" {
		return Reference{}, text, false
	}
	return Reference{}, strings.TrimSpace(shown + " " + text), true
}

// codaAccount reads the account and its currency from record 1 by the
// account structure at position 2 (CODA 2.6): 0 a Belgian account number
// (returned as its IBAN, or as written when its check digits are wrong),
// 1 a foreign account number, 2 a Belgian IBAN, 3 a foreign IBAN.
func codaAccount(l codaLine) (account, currency string, err error) {
	switch l.s[1] {
	case '0':
		n := l.f(6, 17)
		if strings.Trim(n, "0123456789") != "" {
			return "", "", l.err("Belgian account number %q is not 12 digits", n)
		}
		if !belgianNumber(n) {
			// Wrong national check digits (anonymised sample files have
			// them): an IBAN made of it would be invalid, so the number
			// is kept as the bank wrote it.
			return n, l.f(19, 21), nil
		}
		return belgianIBAN(n), l.f(19, 21), nil
	case '1', '2', '3':
		// A foreign account number may be written with spaces: the
		// whole field is the number.
		acct := compactAccount(decode1252(l.f(6, 39)))
		if acct == "" {
			return "", "", l.err("no account number")
		}
		return acct, l.f(40, 42), nil
	}
	return "", "", l.err("account structure %q is not 0, 1, 2 or 3", l.s[1])
}

// codaCounterpartyAccount reads the counterparty's account of record 2.3,
// positions 11–47 (CODA 2.6): a Belgian account number (12 digits, a
// blank and the currency), returned as its IBAN when its check digits
// agree and as written otherwise, or an IBAN or foreign number at 11–44 with the currency at
// 45–47, which may be written with spaces.
func codaCounterpartyAccount(l codaLine) string {
	if n := l.f(11, 22); strings.Trim(n, "0123456789") == "" && l.s[22] == ' ' {
		if belgianNumber(n) {
			return belgianIBAN(n)
		}
		return n // no IBAN is made of wrong check digits
	}
	return compactAccount(decode1252(l.f(11, 44)))
}

// belgianNumber reports whether n is a Belgian account number: 12 digits,
// the last two the first ten modulo 97 (97 for 0).
func belgianNumber(n string) bool {
	if len(n) != 12 || strings.Trim(n, "0123456789") != "" {
		return false
	}
	v, _ := strconv.ParseUint(n[:10], 10, 64)
	c, _ := strconv.ParseUint(n[10:], 10, 64)
	want := v % 97
	if want == 0 {
		want = 97
	}
	return c == want
}

// detailsAddUp reports whether a movement is to be replaced by its detail
// records: they exist, their amounts add up to the movement's, so the
// statement's money is the same either way, and the movement carries no
// structured reference of its own, which would be lost with it.
func detailsAddUp(m *codaMovement, ds []*codaMovement) bool {
	if len(ds) == 0 || !m.line.Reference.IsZero() {
		return false
	}
	sum := decimal.Zero
	for _, d := range ds {
		sum = sum.Add(d.line.Amount)
	}
	return sum.Equal(m.line.Amount)
}

// referenceInText finds an OGM or RF reference written as the whole free
// communication.
func referenceInText(text string) Reference {
	t := strings.TrimSpace(text)
	if t == "" || len(t) > 40 {
		return Reference{}
	}
	if r, err := ParseReference(t); err == nil {
		return r
	}
	return Reference{}
}

// decode1252 converts windows-1252 text to UTF-8; ASCII, the bulk of CODA,
// is returned as it is.
func decode1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c)) // 0xA0–0xFF equal Latin-1 and Unicode
		}
	}
	return b.String()
}

// cp1252 maps 0x80–0x9F; the five undefined bytes become U+FFFD.
var cp1252 = [32]rune{
	'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ',
}

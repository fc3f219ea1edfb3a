package subsidy

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/iban"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Pain001Namespace is the XML namespace of the SEPA credit transfer
// initiation version the file is written in (ISO 20022 pain.001.001.09).
const Pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// Transfer is one credit transfer in the batch.
type Transfer struct {
	// EndToEndID travels with the payment to the beneficiary: 1 to 35
	// characters of the SEPA set, no leading or trailing '/', no "//".
	EndToEndID string
	Amount     decimal.Decimal
	// Creditor is the beneficiary's name ("begunstigde"), transliterated
	// to the SEPA character set and cut to 70 characters.
	Creditor string
	IBAN     string
	// BIC is optional within SEPA; any letter case is accepted.
	BIC string
	// Remittance is the unstructured communication ("mededeling"),
	// transliterated and cut to 140 characters.
	Remittance string
}

// Initiation is the header of the batch: who pays, from which account, when.
type Initiation struct {
	// MessageID identifies the file and its one payment information block
	// (MsgId and PmtInfId): 1 to 35 characters of the SEPA set, no leading
	// or trailing '/', no "//".
	MessageID string    `json:"message_id"`
	Created   time.Time `json:"created"`
	// Initiator is who sends the file; empty means the debtor.
	Initiator  string `json:"initiator"`
	Debtor     string `json:"debtor"`
	DebtorIBAN string `json:"debtor_iban"`
	// DebtorBIC is optional; without it the debtor agent is NOTPROVIDED.
	DebtorBIC string `json:"debtor_bic"`
	// Execution is the requested execution date (Brussels).
	Execution time.Time `json:"execution"`
}

// Totals are the batch totals written in the group header.
type Totals struct {
	Count int
	Sum   decimal.Decimal
}

var maxAmount = decimal.RequireFromString("999999999.99")

// Lengths the EPC guidelines set for pain.001 (the ISO schema allows 140
// for names; SEPA carries 70).
const (
	maxID         = 35
	maxName       = 70
	maxRemittance = 140
)

func (t Transfer) check(i int) error {
	var c errs.Collector
	f := fmt.Sprintf("transfers[%d]", i)
	if !t.Amount.IsPositive() || t.Amount.GreaterThan(maxAmount) || !t.Amount.Equal(t.Amount.Round(2)) {
		c.Add(f+".amount", "range", "must be between 0.01 and 999999999.99 with at most two decimals")
	}
	if err := iban.Check(iban.Normalize(t.IBAN)); err != nil {
		c.Add(f+".iban", "iban", "is not a valid IBAN: %v", err)
	}
	name(&c, f+".creditor", t.Creditor)
	checkRestricted(&c, f+".end_to_end_id", t.EndToEndID, maxID)
	if _, ok := parseBIC(t.BIC); t.BIC != "" && !ok {
		c.Add(f+".bic", "bic", "is not a BIC (8 or 11 letters and digits, e.g. GKCCBEBB)")
	}
	return c.Err()
}

// name requires a party name that keeps at least one character once
// transliterated to the SEPA set: the schema refuses an empty <Nm>.
func name(c *errs.Collector, field, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		c.Add(field, "required", "is required")
	case latin(s, maxName) == "":
		c.Add(field, "sepa_charset", "has no letters or digits a SEPA payment can carry")
	}
}

// check validates the batch header: the message id against the rules for
// references, the names, the debtor's account and BIC, the dates.
func (in Initiation) check() error {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	checkRestricted(&c, "message_id", in.MessageID, maxID)
	name(&c, "debtor", in.Debtor)
	if strings.TrimSpace(in.Initiator) != "" && latin(in.Initiator, maxName) == "" {
		c.Add("initiator", "sepa_charset", "has no letters or digits a SEPA payment can carry")
	}
	if err := iban.Check(iban.Normalize(in.DebtorIBAN)); err != nil {
		c.Add("debtor_iban", "iban", "is not a valid IBAN: %v", err)
	}
	if _, ok := parseBIC(in.DebtorBIC); in.DebtorBIC != "" && !ok {
		c.Add("debtor_bic", "bic", "is not a BIC (8 or 11 letters and digits, e.g. GKCCBEBB)")
	}
	for _, d := range []struct {
		field string
		t     time.Time
	}{{"created", in.Created}, {"execution", in.Execution}} {
		if d.t.IsZero() {
			c.Add(d.field, "required", "is required")
		}
	}
	return c.Err()
}

// ErrUnstableTransfers is returned by WriteCreditTransfers when the
// transfers yield other payments the second time than the first: what is
// written is then unusable and must be thrown away.
var ErrUnstableTransfers = errors.New("subsidy: the transfers changed while the batch was written")

// WriteCreditTransfers writes a SEPA credit transfer initiation
// (pain.001.001.09) to w. The transfers are ranged twice, first to check
// them and total the batch (NbOfTxs and CtrlSum head the file), then to
// write them one at a time, so memory stays flat whatever the batch size
// (but for the end-to-end ids, kept to refuse a repeat); transfers must
// therefore yield the same sequence each time: the second pass checks and
// counts again, and returns ErrUnstableTransfers when it differs. An
// invalid transfer is reported before anything is written, as are two
// transfers with the same end-to-end id.
//
// What is written follows the ISO 20022 schema and the EPC guidelines:
// the message id and end-to-end ids must already be in the SEPA character
// set (references are refused, never changed); names and remittance text
// are transliterated to it (Łukasz Żółć → Lukasz Zolc, Jürgen Groß →
// Jurgen Gross); BICs are written in upper case; an empty initiator is
// the debtor.
func WriteCreditTransfers(w io.Writer, in Initiation, transfers iter.Seq2[Transfer, error]) (Totals, error) {
	if err := in.check(); err != nil {
		return Totals{}, err
	}
	tot := Totals{Sum: decimal.Zero}
	ids := map[string]int{} // EndToEndID → position, to refuse a repeat
	for t, err := range transfers {
		if err != nil {
			return Totals{}, err
		}
		if err := t.check(tot.Count); err != nil {
			return Totals{}, err
		}
		if first, ok := ids[t.EndToEndID]; ok {
			return Totals{}, errs.Invalid(fmt.Sprintf("transfers[%d].end_to_end_id", tot.Count), "unique",
				"repeats the end-to-end id of transfers[%d]: each payment needs its own", first)
		}
		ids[t.EndToEndID] = tot.Count
		tot.Count++
		tot.Sum = tot.Sum.Add(t.Amount)
	}
	ids = nil // not needed while writing
	if tot.Count == 0 {
		return tot, errs.Invalid("transfers", "required", "a batch needs at least one transfer")
	}
	enc := xml.NewEncoder(w)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return Totals{}, err
	}
	start := func(name string, attrs ...xml.Attr) error {
		return enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
	}
	end := func(name string) error { return enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}}) }
	nb, sum := fmt.Sprint(tot.Count), tot.Sum.StringFixed(2)
	debtorAgt := finInstn{Othr: &other{ID: "NOTPROVIDED"}}
	if bic, ok := parseBIC(in.DebtorBIC); ok {
		debtorAgt = finInstn{BICFI: bic}
	}
	initiator := latin(in.Initiator, maxName)
	if initiator == "" {
		initiator = latin(in.Debtor, maxName)
	}
	steps := []func() error{
		func() error {
			return start("Document", xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: Pain001Namespace})
		},
		func() error { return start("CstmrCdtTrfInitn") },
		func() error {
			return enc.EncodeElement(groupHeader{MsgID: in.MessageID, Created: in.Created.UTC().Format("2006-01-02T15:04:05Z"),
				NbOfTxs: nb, CtrlSum: sum, Initiator: party{Name: initiator}}, xml.StartElement{Name: xml.Name{Local: "GrpHdr"}})
		},
		func() error { return start("PmtInf") },
	}
	header := []struct {
		name string
		v    any
	}{
		{"PmtInfId", in.MessageID}, {"PmtMtd", "TRF"}, {"BtchBookg", true}, {"NbOfTxs", nb}, {"CtrlSum", sum},
		{"PmtTpInf", paymentType{Service: "SEPA"}},
		{"ReqdExctnDt", execution{Date: in.Execution.In(clock.Brussels).Format("2006-01-02")}},
		{"Dbtr", party{Name: latin(in.Debtor, maxName)}},
		{"DbtrAcct", account{IBAN: iban.Normalize(in.DebtorIBAN)}},
		{"DbtrAgt", agent{debtorAgt}},
		{"ChrgBr", "SLEV"},
	}
	for _, h := range header {
		v := h.v
		steps = append(steps, func() error { return enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: h.name}}) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return Totals{}, err
		}
	}
	// The second pass must yield what the first checked and counted: the
	// header already says how many and how much.
	written := Totals{Sum: decimal.Zero}
	for t, err := range transfers {
		if err != nil {
			return Totals{}, err
		}
		if err := t.check(written.Count); err != nil {
			return Totals{}, fmt.Errorf("%w: the transfers changed between the check and the writing: %w", ErrUnstableTransfers, err)
		}
		written.Count++
		written.Sum = written.Sum.Add(t.Amount)
		if written.Count > tot.Count {
			return Totals{}, fmt.Errorf("%w: more than the %d transfers checked", ErrUnstableTransfers, tot.Count)
		}
		tx := txInfo{EndToEnd: t.EndToEndID, Amount: amount{Ccy: "EUR", Value: t.Amount.StringFixed(2)},
			Creditor: party{Name: latin(t.Creditor, maxName)}, CreditorAcct: account{IBAN: iban.Normalize(t.IBAN)}}
		if r := latin(t.Remittance, maxRemittance); r != "" {
			tx.Remittance = &remittance{Unstructured: r}
		}
		if bic, ok := parseBIC(t.BIC); ok {
			tx.CreditorAgt = &agent{finInstn{BICFI: bic}}
		}
		if err := enc.EncodeElement(tx, xml.StartElement{Name: xml.Name{Local: "CdtTrfTxInf"}}); err != nil {
			return Totals{}, err
		}
	}
	if written.Count != tot.Count || !written.Sum.Equal(tot.Sum) {
		return Totals{}, fmt.Errorf("%w: %d transfers of %s written, %d of %s checked", ErrUnstableTransfers,
			written.Count, written.Sum.StringFixed(2), tot.Count, tot.Sum.StringFixed(2))
	}
	for _, name := range []string{"PmtInf", "CstmrCdtTrfInitn", "Document"} {
		if err := end(name); err != nil {
			return Totals{}, err
		}
	}
	return tot, enc.Flush()
}

type groupHeader struct {
	MsgID     string `xml:"MsgId"`
	Created   string `xml:"CreDtTm"`
	NbOfTxs   string `xml:"NbOfTxs"`
	CtrlSum   string `xml:"CtrlSum"`
	Initiator party  `xml:"InitgPty"`
}

type party struct {
	Name string `xml:"Nm"`
}

type account struct {
	IBAN string `xml:"Id>IBAN"`
}

type other struct {
	ID string `xml:"Id"`
}

type finInstn struct {
	BICFI string `xml:"BICFI,omitempty"`
	Othr  *other `xml:"Othr,omitempty"`
}

type agent struct {
	FinInstnID finInstn `xml:"FinInstnId"`
}

type amount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type paymentType struct {
	Service string `xml:"SvcLvl>Cd"`
}

type execution struct {
	Date string `xml:"Dt"`
}

type txInfo struct {
	EndToEnd     string      `xml:"PmtId>EndToEndId"`
	Amount       amount      `xml:"Amt>InstdAmt"`
	CreditorAgt  *agent      `xml:"CdtrAgt,omitempty"`
	Creditor     party       `xml:"Cdtr"`
	CreditorAcct account     `xml:"CdtrAcct"`
	Remittance   *remittance `xml:"RmtInf,omitempty"`
}

type remittance struct {
	Unstructured string `xml:"Ustrd"`
}

// PaymentBatch puts the call's open payment orders in a SEPA batch with
// the initiation's message id and writes it to w. Orders are first marked
// exported, so a later batch never pays them again. Calling it again with
// a message id some orders already carry writes exactly those orders again
// (the same file, after a lost one) and exports nothing new: orders
// created since wait for a batch with a new message id.
func (s *Service) PaymentBatch(ctx context.Context, w io.Writer, callID uuid.UUID, in Initiation) (Totals, error) {
	if err := in.check(); err != nil {
		return Totals{}, err
	}
	var pending []uuid.UUID // ids only: the orders themselves are streamed below
	rewrite := false
	for a, err := range s.store.Applications(ctx, callID) {
		if err != nil {
			return Totals{}, err
		}
		if a.Grant == nil {
			continue
		}
		if slices.ContainsFunc(a.Grant.Orders, func(o PaymentOrder) bool { return o.Batch == in.MessageID }) {
			rewrite = true
		}
		if slices.ContainsFunc(a.Grant.Orders, func(o PaymentOrder) bool { return o.Status == OrderOpen }) {
			pending = append(pending, a.ID)
		}
	}
	if rewrite {
		pending = nil // the batch exists: write it as it was
	}
	for _, appID := range pending {
		err := s.change(ctx, callID, []uuid.UUID{appID}, func(_ *Call, apps []*Application) ([]event.Event, error) {
			for i := range apps[0].Grant.Orders {
				if o := &apps[0].Grant.Orders[i]; o.Status == OrderOpen {
					o.Status, o.Batch = OrderExported, in.MessageID
				}
			}
			return nil, nil
		})
		if err != nil {
			return Totals{}, err
		}
	}
	orders := func(yield func(Transfer, error) bool) {
		for a, err := range s.store.Applications(ctx, callID) {
			if err != nil {
				yield(Transfer{}, err)
				return
			}
			if a.Grant == nil {
				continue
			}
			for _, o := range a.Grant.Orders {
				if o.Batch != in.MessageID || !o.Amount.IsPositive() {
					continue
				}
				t := Transfer{EndToEndID: strings.ReplaceAll(o.ID.String(), "-", ""), Amount: o.Amount, Creditor: o.Creditor, IBAN: o.IBAN, Remittance: o.Reference}
				if !yield(t, nil) {
					return
				}
			}
		}
	}
	return WriteCreditTransfers(w, in, orders)
}

package subsidy

import (
	"context"
	"encoding/xml"
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
)

// Pain001Namespace is the XML namespace of the SEPA credit transfer
// initiation version the file is written in (ISO 20022 pain.001.001.09).
const Pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// Transfer is one credit transfer in the batch.
type Transfer struct {
	// EndToEndID travels with the payment to the beneficiary (max 35).
	EndToEndID string
	Amount     decimal.Decimal
	Creditor   string
	IBAN       string
	// BIC is optional within SEPA.
	BIC        string
	Remittance string
}

// Initiation is the header of the batch: who pays, from which account, when.
type Initiation struct {
	MessageID  string
	Created    time.Time
	Initiator  string
	Debtor     string
	DebtorIBAN string
	DebtorBIC  string
	// Execution is the requested execution date (Brussels).
	Execution time.Time
}

// Totals are the batch totals written in the group header.
type Totals struct {
	Count int
	Sum   decimal.Decimal
}

var maxAmount = decimal.RequireFromString("999999999.99")

func (t Transfer) check(i int) error {
	var c errs.Collector
	f := fmt.Sprintf("transfers[%d]", i)
	if !t.Amount.IsPositive() || t.Amount.GreaterThan(maxAmount) || !t.Amount.Equal(t.Amount.Round(2)) {
		c.Add(f+".amount", "range", "must be between 0.01 and 999999999.99 with at most two decimals")
	}
	if err := iban.Check(iban.Normalize(t.IBAN)); err != nil {
		c.Add(f+".iban", "iban", "is not a valid IBAN: %v", err)
	}
	if strings.TrimSpace(t.Creditor) == "" {
		c.Add(f+".creditor", "required", "is required")
	}
	if t.EndToEndID == "" || len(t.EndToEndID) > 35 {
		c.Add(f+".end_to_end_id", "len", "must be 1 to 35 characters")
	}
	return c.Err()
}

// WriteCreditTransfers writes a SEPA credit transfer initiation
// (pain.001.001.09) to w. The transfers are ranged twice, first to check
// them and total the batch (NbOfTxs and CtrlSum head the file), then to
// write them one at a time, so memory stays flat whatever the batch size;
// transfers must therefore yield the same sequence each time. An invalid
// transfer is reported before anything is written.
func WriteCreditTransfers(w io.Writer, in Initiation, transfers iter.Seq2[Transfer, error]) (Totals, error) {
	var c errs.Collector
	if in.MessageID == "" || len(in.MessageID) > 35 {
		c.Add("message_id", "len", "must be 1 to 35 characters")
	}
	if strings.TrimSpace(in.Debtor) == "" {
		c.Add("debtor", "required", "is required")
	}
	if err := iban.Check(iban.Normalize(in.DebtorIBAN)); err != nil {
		c.Add("debtor_iban", "iban", "is not a valid IBAN: %v", err)
	}
	if err := c.Err(); err != nil {
		return Totals{}, err
	}
	tot := Totals{Sum: decimal.Zero}
	for t, err := range transfers {
		if err != nil {
			return Totals{}, err
		}
		if err := t.check(tot.Count); err != nil {
			return Totals{}, err
		}
		tot.Count++
		tot.Sum = tot.Sum.Add(t.Amount)
	}
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
	debtorAgt := finInstn{BICFI: in.DebtorBIC}
	if in.DebtorBIC == "" {
		debtorAgt = finInstn{Othr: &other{ID: "NOTPROVIDED"}}
	}
	steps := []func() error{
		func() error {
			return start("Document", xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: Pain001Namespace})
		},
		func() error { return start("CstmrCdtTrfInitn") },
		func() error {
			return enc.EncodeElement(groupHeader{MsgID: in.MessageID, Created: in.Created.UTC().Format("2006-01-02T15:04:05Z"),
				NbOfTxs: nb, CtrlSum: sum, Initiator: party{Name: latin(in.Initiator, 70)}}, xml.StartElement{Name: xml.Name{Local: "GrpHdr"}})
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
		{"Dbtr", party{Name: latin(in.Debtor, 70)}},
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
	for t, err := range transfers {
		if err != nil {
			return Totals{}, err
		}
		tx := txInfo{EndToEnd: t.EndToEndID, Amount: amount{Ccy: "EUR", Value: t.Amount.StringFixed(2)},
			Creditor: party{Name: latin(t.Creditor, 70)}, CreditorAcct: account{IBAN: iban.Normalize(t.IBAN)},
			Remittance: latin(t.Remittance, 140)}
		if t.BIC != "" {
			tx.CreditorAgt = &agent{finInstn{BICFI: t.BIC}}
		}
		if err := enc.EncodeElement(tx, xml.StartElement{Name: xml.Name{Local: "CdtTrfTxInf"}}); err != nil {
			return Totals{}, err
		}
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
	EndToEnd     string  `xml:"PmtId>EndToEndId"`
	Amount       amount  `xml:"Amt>InstdAmt"`
	CreditorAgt  *agent  `xml:"CdtrAgt,omitempty"`
	Creditor     party   `xml:"Cdtr"`
	CreditorAcct account `xml:"CdtrAcct"`
	Remittance   string  `xml:"RmtInf>Ustrd,omitempty"`
}

var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a", "ï", "i", "î", "i",
	"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "É", "E", "È", "E", "À", "A", "Ç", "C", "&", "+", "‘", "'", "’", "'")

// latin keeps text within the SEPA character set and the field's length.
func latin(s string, max int) string {
	s = accents.Replace(s)
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if len(b) == max {
			break
		}
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r < 128 && strings.IndexByte("/-?:().,'+ ", byte(r)) >= 0
		if !ok {
			r = '.'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// PaymentBatch puts the call's open payment orders in a SEPA batch with
// the initiation's message id and writes it to w. Orders are first marked
// exported, so a later batch never pays them again; calling it again with
// the same message id writes the same batch again (after a lost file).
func (s *Service) PaymentBatch(ctx context.Context, w io.Writer, callID uuid.UUID, in Initiation) (Totals, error) {
	if in.MessageID == "" || len(in.MessageID) > 35 {
		return Totals{}, errs.Invalid("message_id", "len", "must be 1 to 35 characters")
	}
	var pending []uuid.UUID // ids only: the orders themselves are streamed below
	for a, err := range s.store.Applications(ctx, callID) {
		if err != nil {
			return Totals{}, err
		}
		if a.Grant != nil && slices.ContainsFunc(a.Grant.Orders, func(o PaymentOrder) bool { return o.Status == OrderOpen }) {
			pending = append(pending, a.ID)
		}
	}
	for _, appID := range pending {
		err := s.store.Update(ctx, callID, []uuid.UUID{appID}, func(_ *Call, apps []*Application) ([]event.Event, error) {
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

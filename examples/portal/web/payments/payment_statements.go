package payments

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/payment"
)

// maxStatement bounds an uploaded bank statement.
const maxStatement = 20 << 20

var outcomeLabels = map[payment.Outcome]string{
	payment.OutcomePaid: "Geboekt: betaald", payment.OutcomePartial: "Geboekt: gedeeltelijk betaald",
	payment.OutcomeOverpaid: "Geboekt: te veel betaald", payment.OutcomeClosed: "Factuur afgesloten: terugstorten",
	payment.OutcomeDuplicate: "Al eerder geboekt", payment.OutcomeUnknownReference: "Onbekende mededeling: te bevestigen",
	payment.OutcomeSuggested: "Voorstel: te bevestigen", payment.OutcomeUnmatched: "Niet gekoppeld", payment.OutcomeDebit: "Uitgaande betaling",
	payment.OutcomeReversal: "Teruggeboekt door de bank: na te kijken",
}

// suggestionView is a proposed match as the clerk sees it.
type suggestionView struct {
	RequestID, Reference, Debtor, Subject, Why string
	Confidence                                 int // percent
}

// statementLineView is one statement line with what reconciliation made of it.
type statementLineView struct {
	Key, Date, Amount, Counterparty, Reference, Text string
	Outcome                                          string
	Booked                                           *suggestionView // the invoice it was booked on
	Suggestions                                      []suggestionView
	ToConfirm                                        bool
}

// statementsPage is the data of the clerk's page of bank statements.
type statementsPage struct {
	Tables      []statementTable
	UploadError string
}

// statementTable is one table of the statements page: the report of an
// upload, or the credits still to confirm.
type statementTable struct {
	ID, Title, Empty string
	Lines            []statementLineView
}

// suggestionWhy translates the payment package's reasons.
func suggestionWhy(s string) string {
	r := strings.NewReplacer("same amount", "zelfde bedrag", "known account of the debtor", "gekende rekening van de schuldenaar", "debtor's name", "naam van de schuldenaar")
	return r.Replace(s)
}

func (a *Block) suggestionView(ctx context.Context, id uuid.UUID, confidence float64, why string) (suggestionView, error) {
	r, err := a.payments.svc.Get(ctx, id)
	if err != nil {
		return suggestionView{}, err
	}
	v := suggestionView{RequestID: id.String(), Reference: r.Reference.String(), Debtor: r.Debtor.DisplayName(), Why: suggestionWhy(why),
		Confidence: int(math.Round(confidence * 100))}
	v.Subject = infoOf(r).Subject
	return v, nil
}

func (a *Block) lineView(ctx context.Context, l payment.StatementLine) statementLineView {
	v := statementLineView{Key: l.Key, Amount: euro(l.Amount), Counterparty: l.CounterpartyName, Text: l.Text}
	if !l.BookingDate.IsZero() {
		v.Date = l.BookingDate.Start().Format("02/01/2006")
	}
	if !l.Reference.IsZero() {
		v.Reference = l.Reference.String()
	}
	return v
}

// statements is the clerk's page: upload a CODA or camt.053 statement, and
// the credits still waiting for a clerk's confirmation.
func (a *Block) statements(w http.ResponseWriter, r *http.Request, _ *person) {
	a.renderStatements(w, r, http.StatusOK, nil, "")
}

func (a *Block) renderStatements(w http.ResponseWriter, r *http.Request, status int, report []statementLineView, uploadErr string) {
	pending, err := a.pendingLines(r.Context())
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	var tables []statementTable
	if report != nil {
		tables = append(tables, statementTable{ID: "report", Title: "Resultaat van de verwerking", Lines: report, Empty: "Het uittreksel bevat geen bewegingen."})
	}
	tables = append(tables, statementTable{ID: "pending", Title: "Te bevestigen", Lines: pending, Empty: "Er zijn geen betalingen die op een bevestiging wachten."})
	a.show(w, r, status, "statements.html", "Rekeninguittreksels (balie)", statementsPage{Tables: tables, UploadError: uploadErr})
}

// pendingLines are the recorded unmatched credits no clerk confirmed yet,
// with fresh suggestions against the requests open now.
func (a *Block) pendingLines(ctx context.Context) ([]statementLineView, error) {
	var lines []payment.Unmatched
	var keys []string
	for u, err := range a.payments.svc.Unmatched(ctx) {
		if err != nil {
			return nil, err
		}
		lines = append(lines, u)
		keys = append(keys, u.Key)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	done, err := a.payments.records.Confirmed(ctx, keys)
	if err != nil {
		return nil, err
	}
	ix, err := a.openIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out []statementLineView
	for _, u := range lines {
		if done[u.Key] {
			continue
		}
		v := a.lineView(ctx, u.Line)
		v.Outcome = outcomeLabels[payment.Outcome(u.Reason)]
		for _, s := range ix.Suggest(u.Line) {
			sv, err := a.suggestionView(ctx, s.RequestID, s.Confidence, s.Why)
			if err != nil {
				return nil, err
			}
			v.Suggestions = append(v.Suggestions, sv)
		}
		v.ToConfirm = len(v.Suggestions) > 0
		out = append(out, v)
	}
	return out, nil
}

// openIndex indexes the requests that still wait for money.
func (a *Block) openIndex(ctx context.Context) (*payment.Index, error) {
	var cands []payment.Candidate
	q := payment.Query{Statuses: []payment.Status{payment.StatusOpen, payment.StatusPending, payment.StatusPartiallyPaid, payment.StatusFailed, payment.StatusExpired}}
	for r, err := range a.payments.svc.List(ctx, q) {
		if err != nil {
			return nil, err
		}
		cands = append(cands, payment.CandidateOf(r))
	}
	return payment.NewIndex(cands), nil
}

// readStatements reads a CODA file or a camt.053 file, told apart by their
// first character: camt.053 is XML.
func readStatements(data []byte) ([]payment.Statement, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("het bestand is leeg")
	}
	if trimmed[0] != '<' {
		return payment.ParseCODA(bufio.NewReader(bytes.NewReader(data)))
	}
	sum := sha256.Sum256(data)
	st := payment.Statement{ID: "camt053:" + hex.EncodeToString(sum[:8])}
	for l, err := range payment.Camt053Lines(bytes.NewReader(data)) {
		if err != nil {
			return nil, err
		}
		st.Lines = append(st.Lines, l)
	}
	return []payment.Statement{st}, nil
}

// statementUpload reconciles an uploaded statement: credits with a
// structured communication are booked on their invoice at once; the others
// come with proposals by amount and counterparty for the clerk to confirm.
func (a *Block) statementUpload(w http.ResponseWriter, r *http.Request, _ *person) {
	r.Body = http.MaxBytesReader(w, r.Body, maxStatement)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.renderStatements(w, r, http.StatusRequestEntityTooLarge, nil, "Het bestand is te groot (hoogstens 20 MB).")
			return
		}
		a.renderStatements(w, r, http.StatusBadRequest, nil, "Het formulier kon niet gelezen worden. Probeer het opnieuw.")
		return
	}
	file, _, err := r.FormFile("statement")
	if err != nil {
		a.renderStatements(w, r, http.StatusUnprocessableEntity, nil, "Kies een CODA- of camt.053-bestand.")
		return
	}
	data, err := io.ReadAll(file)
	_ = file.Close()
	if err != nil {
		a.renderStatements(w, r, http.StatusUnprocessableEntity, nil, "Het bestand kon niet gelezen worden.")
		return
	}
	sts, err := readStatements(data)
	if err != nil {
		a.log.Info("statement refused", "err", err)
		a.renderStatements(w, r, http.StatusUnprocessableEntity, nil, "Dit is geen geldig CODA- of camt.053-bestand.")
		return
	}
	ctx := r.Context()
	var report []statementLineView
	for _, st := range sts {
		rep, err := a.payments.svc.Import(ctx, st)
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		a.log.Info("statement imported", "statement", rep.StatementID, "lines", len(rep.Lines), "booked", rep.Booked.String(), "to_review", rep.ToReview.String())
		for _, rl := range rep.Lines {
			v := a.lineView(ctx, rl.Line)
			v.Outcome = outcomeLabels[rl.Outcome]
			if id, err := uuid.Parse(rl.RequestID); err == nil {
				sv, err := a.suggestionView(ctx, id, 1, "")
				if err != nil {
					a.site.Fail(w, r, err)
					return
				}
				v.Booked = &sv
			}
			for _, s := range rl.Suggestions {
				sv, err := a.suggestionView(ctx, s.RequestID, s.Confidence, s.Why)
				if err != nil {
					a.site.Fail(w, r, err)
					return
				}
				v.Suggestions = append(v.Suggestions, sv)
			}
			v.ToConfirm = len(v.Suggestions) > 0
			report = append(report, v)
		}
	}
	a.renderStatements(w, r, http.StatusOK, report, "")
}

// statementConfirm books an unmatched credit on the invoice the clerk
// chose. The amount and the payer come from the recorded statement line,
// never from the form; a line is confirmed once.
func (a *Block) statementConfirm(w http.ResponseWriter, r *http.Request, _ *person) {
	ctx := r.Context()
	key := r.PostFormValue("line")
	reqID, err := uuid.Parse(r.PostFormValue("request"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	u, err := a.payments.svc.UnmatchedLine(ctx, key)
	if errors.Is(err, payment.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	line := &u.Line
	req, err := a.payments.svc.Get(ctx, reqID)
	if errors.Is(err, payment.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	first, err := a.payments.records.Confirm(ctx, key, reqID, a.payments.clock.Now())
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	if !first {
		a.site.Message(w, r, http.StatusConflict, "Al bevestigd", "Deze lijn van het uittreksel is al geboekt.")
		return
	}
	p := payment.Payment{Key: line.Key, Amount: line.Amount, BookedAt: line.BookingDate.Start(), Source: "statement", Counterparty: line.CounterpartyName}
	// The confirmation claims the line, so it is booked on one invoice only;
	// a booking that fails gives the claim back for another try.
	booked, err := a.payments.svc.BookPayment(ctx, reqID, p)
	if err != nil {
		if uerr := a.payments.records.Unconfirm(ctx, key); uerr != nil {
			a.log.Error("statement line stays claimed", "invoice", reqID, "err", uerr)
		}
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("statement line confirmed", "invoice", reqID, "booked", booked)
	if booked {
		a.site.Flash(w, r, fmt.Sprintf("%s geboekt op factuur %s.", euro(line.Amount), req.Reference))
	} else {
		a.site.Flash(w, r, fmt.Sprintf("Deze betaling stond al geboekt op factuur %s.", req.Reference))
	}
	http.Redirect(w, r, "/balie/rekeninguittreksels", http.StatusSeeOther)
}

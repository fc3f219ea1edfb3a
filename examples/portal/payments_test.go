package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// codaRecord lays fields out at their 1-based CODA positions in a
// 128-character record.
func codaRecord(fields map[int]string) string {
	b := []byte(strings.Repeat(" ", 128))
	for pos, v := range fields {
		copy(b[pos-1:], v)
	}
	return string(b)
}

// codaCredit is a CODA file with one credit of amount with the structured
// communication ogm (its 12 digits), on the demo municipality's account.
func codaCredit(amount decimal.Decimal, ogm string) string {
	milli := fmt.Sprintf("%015d", amount.Shift(3).IntPart())
	return strings.Join([]string{
		codaRecord(map[int]string{1: "00000030326", 128: "2"}),
		codaRecord(map[int]string{1: "12042", 6: demoIBAN, 40: "EUR", 43: "0000000001000000", 59: "020326"}),
		codaRecord(map[int]string{1: "2100010000", 11: "REF0001", 32: "0" + milli, 48: "030326", 54: "00150000",
			62: "1101" + ogm, 116: "03032604200", 128: "0"}),
		codaRecord(map[int]string{1: "8042", 5: demoIBAN, 42: fmt.Sprintf("0%015d", 1000000+amount.Shift(3).IntPart()), 58: "030326"}),
		codaRecord(map[int]string{1: "9", 17: "000003", 23: "000000000000000" + milli, 128: "2"}),
	}, "\r\n")
}

// camtCredit is a camt.053 statement with one booked credit without a
// structured communication, paid by payer.
func camtCredit(amount, payer, note string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-03-03T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>2026-0043</Id><ElctrncSeqNb>43</ElctrncSeqNb>
<Acct><Id><IBAN>` + demoIBAN + `</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">` + amount + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-03-03</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt><AcctSvcrRef>REF9</AcctSvcrRef>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>` + payer + `</Nm></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>` + note + `</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`
}

// openInvoice returns the newest invoice of owner, the seeded open one.
func openInvoice(t *testing.T, a *app, owner string) *payment.Request {
	t.Helper()
	var r *payment.Request
	for x, err := range a.payments.List(context.Background(), payment.Query{Payers: []string{owner}}) {
		require.NoError(t, err)
		r = x
	}
	require.NotNil(t, r, "an invoice of %s", owner)
	return r
}

func TestStatementUploadBooksByReferenceAndProposesTheRest(t *testing.T) {
	clerk, a := newAppClient(t, io.Discard)
	page := clerk.signIn("balie")
	assert.Contains(t, page, "Rekeninguittreksels")
	_, page = clerk.get("/balie/rekeninguittreksels")
	token := csrf(t, page)

	an := openInvoice(t, a, "insz:85073003328")
	mo := openInvoice(t, a, "insz:17073003384")
	require.Equal(t, payment.StatusOpen, an.Status)

	// CODA: An paid with the structured communication: booked at once.
	coda := codaCredit(an.Amount, an.Reference.Key())
	status, page := clerk.postMultipart("/balie/rekeninguittreksels", url.Values{"csrf": {token}}, upload{"statement", "uittreksel.cod", coda})
	require.Equal(t, http.StatusOK, status, page)
	p := text(page)
	assert.Contains(t, p, "Geboekt: betaald")
	assert.Contains(t, p, "op factuur "+an.Reference.String())
	settle(t, a)
	got, err := a.payments.Get(context.Background(), an.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, got.Status)
	rec, err := a.permitRecords.ByInvoice(context.Background(), an.ID)
	require.NoError(t, err)
	assert.False(t, rec.FeePaidAt.IsZero(), "the paid invoice marked its permit's fee paid")

	// The same file again books nothing twice.
	_, page = clerk.postMultipart("/balie/rekeninguittreksels", url.Values{"csrf": {token}}, upload{"statement", "uittreksel.cod", coda})
	assert.Contains(t, page, "Al eerder geboekt")

	// camt.053: Mohamed paid the right amount but forgot the communication:
	// a proposal by amount and name, for the clerk to confirm.
	camt := camtCredit(mo.Amount.StringFixed(2), "Mohamed El Amrani", "verhuislift")
	status, page = clerk.postMultipart("/balie/rekeninguittreksels", url.Values{"csrf": {token}}, upload{"statement", "camt.xml", camt})
	require.Equal(t, http.StatusOK, status)
	p = text(page)
	assert.Contains(t, p, "Voorstel: te bevestigen")
	assert.Regexp(t, `zekerheid \d+% \(zelfde bedrag, naam van de schuldenaar\)`, p)
	m := regexp.MustCompile(`name="line" value="([^"]+)"><input type="hidden" name="request" value="` + mo.ID.String() + `"`).FindStringSubmatch(page)
	require.NotNil(t, m, "a confirm button for Mohamed's invoice")
	line := text(m[1])

	status, _ = clerk.post("/balie/rekeninguittreksels/bevestigen", url.Values{"csrf": {"vervalst"}, "line": {line}, "request": {mo.ID.String()}})
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = clerk.post("/balie/rekeninguittreksels/bevestigen", url.Values{"csrf": {token}, "line": {"bestaat-niet"}, "request": {mo.ID.String()}})
	assert.Equal(t, http.StatusNotFound, status)
	status, page = clerk.post("/balie/rekeninguittreksels/bevestigen", url.Values{"csrf": {token}, "line": {line}, "request": {mo.ID.String()}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, text(page), "€ 30,00 geboekt op factuur "+mo.Reference.String())
	assert.Contains(t, page, "Er zijn geen betalingen die op een bevestiging wachten.")
	got, err = a.payments.Get(context.Background(), mo.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, got.Status)
	status, _ = clerk.post("/balie/rekeninguittreksels/bevestigen", url.Values{"csrf": {token}, "line": {line}, "request": {mo.ID.String()}})
	assert.Equal(t, http.StatusConflict, status, "a line is confirmed once")

	// A file that is neither: the message is next to the field.
	status, page = clerk.postMultipart("/balie/rekeninguittreksels", url.Values{"csrf": {token}}, upload{"statement", "foto.jpg", "niet een uittreksel"})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `aria-describedby="statement-error"`)
	assert.Contains(t, page, "geen geldig CODA- of camt.053-bestand")
	status, _ = clerk.postMultipart("/balie/rekeninguittreksels", url.Values{"csrf": {token}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)

	citizen := clerk.other("an")
	status, _ = citizen.get("/balie/rekeninguittreksels")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestWebhookEndpointRefusesForgeries(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	r := openInvoice(t, a, "insz:85073003328")
	co, err := a.payments.StartCheckout(context.Background(), a.paymentPages.Provider(), r.ID, "")
	require.NoError(t, err)
	paid, err := a.paymentPages.Provider().Pay(co.PaymentID)
	require.NoError(t, err)

	post := func(h http.Header, body []byte) int {
		req, err := http.NewRequest(http.MethodPost, c.srv.URL+"/betalingen/webhook", bytes.NewReader(body))
		require.NoError(t, err)
		for k, v := range h {
			req.Header[k] = v
		}
		resp, err := c.c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	forged := bytes.Replace(paid.Body, []byte(`"created":`), []byte(`"created": `), 1)
	assert.Equal(t, http.StatusForbidden, post(paid.Header, forged))
	assert.Equal(t, http.StatusForbidden, post(http.Header{}, paid.Body))
	got, err := a.payments.Get(context.Background(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPending, got.Status, "a forged webhook changes nothing")

	assert.Equal(t, http.StatusNoContent, post(paid.Header, paid.Body))
	assert.Equal(t, http.StatusNoContent, post(paid.Header, paid.Body), "a second delivery is fine")
	got, err = a.payments.Get(context.Background(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, got.Status)
	assert.Len(t, got.Payments, 1)
}

// At the demo bank An first cancels, then pays: the second attempt is a new
// checkout and the invoice ends paid.
func TestCanceledCheckoutCanBeTriedAgain(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	c.signIn("an")
	r := openInvoice(t, a, "insz:85073003328")
	invoice := "/facturen/" + r.ID.String()
	pay := func() (string, string) {
		_, page := c.get(invoice)
		resp, err := c.c.PostForm(c.srv.URL+invoice+"/betalen", url.Values{"csrf": {csrf(t, page)}})
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return resp.Request.URL.Path, string(b)
	}
	first, bank := pay()
	status, page := c.post(first, url.Values{"csrf": {csrf(t, bank)}, "action": {"cancel"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "De betaling is geannuleerd.")
	assert.Contains(t, page, `<dd id="invoice-status">Openstaand</dd>`)
	second, bank := pay()
	assert.NotEqual(t, first, second)
	status, page = c.post(second, url.Values{"csrf": {csrf(t, bank)}, "action": {"pay"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, `<dd id="invoice-status">Betaald</dd>`)
	assert.Contains(t, page, "Betaling afgebroken", "the timeline tells the story")
	status, _ = c.get("/betaalprovider/checkout/tr_bestaatniet")
	assert.Equal(t, http.StatusNotFound, status)
}

// A process that dies between making a permit's invoice and recording it
// on the permit leaves the invoice unrecorded; the grant's redelivery
// finds that invoice by its key instead of making a second one.
func TestPermitFeeInvoiceSurvivesACrashBeforeItIsRecorded(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	body := c.signIn("an")
	require.Len(t, uniqueMatches(invoiceLinkRE, body), 1)
	ctx := context.Background()
	var granted records.Permit
	for ap, err := range a.permits.ByApplicant(ctx, permit.PersonApplicant("85073003328")) {
		require.NoError(t, err)
		r, err := a.permitRecords.Get(ctx, ap.ID)
		require.NoError(t, err)
		if r.InvoiceID != uuid.Nil {
			granted = r
		}
	}
	require.NotEqual(t, uuid.Nil, granted.PermitID)
	// The crash: the invoice exists, the permit's record does not know it.
	_, err := a.permitRecords.Update(ctx, granted.PermitID, func(r *records.Permit) error {
		r.InvoiceID, r.InvoicedAt = uuid.Nil, time.Time{}
		return nil
	})
	require.NoError(t, err)

	// The outbox hands the same grant event to the handler again.
	ev := event.Event{ID: uuid.Must(uuid.NewV7()), Type: permit.EventGranted, AggregateID: granted.PermitID, Time: granted.GrantedAt}
	require.NoError(t, a.fees.OnPermitGranted(ctx, ev))
	after, err := a.permitRecords.Get(ctx, granted.PermitID)
	require.NoError(t, err)
	assert.Equal(t, granted.InvoiceID, after.InvoiceID, "the first invoice, found by its key")
	var fees []*payment.Request
	for r, err := range a.payments.List(ctx, payment.Query{Payers: []string{"insz:85073003328"}}) {
		require.NoError(t, err)
		if r.Metadata["permit_id"] == granted.PermitID.String() {
			fees = append(fees, r)
		}
	}
	require.Len(t, fees, 1, "one invoice for the permit's fee")
	assert.Equal(t, payment.StatusOpen, fees[0].Status, "and nothing was canceled")
	_, body = c.get("/mijn-dossiers")
	assert.Len(t, uniqueMatches(invoiceLinkRE, body), 1, "still one invoice")
}

// TestEveryOutcomeHasALabel: a clerk never sees an empty outcome.

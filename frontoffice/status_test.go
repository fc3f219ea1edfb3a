package frontoffice

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// errorCase is one exported error of a domain package, the status Status
// must give it and a word its sentence must hold.
type errorCase struct {
	err    error
	status int
	word   string
}

// sdkErrors names every exported error of every domain package.
// TestEveryExportedErrorHasDutch checks that none is missing.
var sdkErrors = map[string]errorCase{}

func kinds(pkg string, notFound, conflict, invalid, validation, forbidden error) {
	sdkErrors[pkg+".ErrNotFound"] = errorCase{notFound, 404, MsgNotFound}
	sdkErrors[pkg+".ErrConflict"] = errorCase{conflict, 409, MsgConflict}
	if invalid != nil {
		sdkErrors[pkg+".ErrInvalidTransition"] = errorCase{invalid, 409, MsgInvalidTransition}
	}
	sdkErrors[pkg+".ErrValidation"] = errorCase{validation, 422, MsgValidation}
	sdkErrors[pkg+".ErrForbidden"] = errorCase{forbidden, 403, MsgForbidden}
}

func init() {
	kinds("appointment", appointment.ErrNotFound, appointment.ErrConflict, appointment.ErrInvalidTransition, appointment.ErrValidation, appointment.ErrForbidden)
	kinds("assistant", assistant.ErrNotFound, assistant.ErrConflict, nil, assistant.ErrValidation, assistant.ErrForbidden)
	kinds("casefile", casefile.ErrNotFound, casefile.ErrConflict, casefile.ErrInvalidTransition, casefile.ErrValidation, casefile.ErrForbidden)
	kinds("delivery", delivery.ErrNotFound, delivery.ErrConflict, delivery.ErrInvalidTransition, delivery.ErrValidation, delivery.ErrForbidden)
	kinds("entitlement", entitlement.ErrNotFound, entitlement.ErrConflict, entitlement.ErrInvalidTransition, entitlement.ErrValidation, entitlement.ErrForbidden)
	kinds("payment", payment.ErrNotFound, payment.ErrConflict, payment.ErrInvalidTransition, payment.ErrValidation, payment.ErrForbidden)
	kinds("permit", permit.ErrNotFound, permit.ErrConflict, permit.ErrInvalidTransition, permit.ErrValidation, permit.ErrForbidden)
	kinds("subsidy", subsidy.ErrNotFound, subsidy.ErrConflict, subsidy.ErrInvalidTransition, subsidy.ErrValidation, subsidy.ErrForbidden)
	for name, c := range map[string]errorCase{
		"appointment.ErrSlotTaken":          {appointment.ErrSlotTaken, 409, "volzet"},
		"appointment.ErrLimitReached":       {appointment.ErrLimitReached, 409, "grootste aantal afspraken"},
		"appointment.ErrHoldExpired":        {appointment.ErrHoldExpired, 409, "vrijgegeven"},
		"appointment.ErrTooLate":            {appointment.ErrTooLate, 403, "te kort voor het tijdstip"},
		"appointment.ErrReferenceTaken":     {appointment.ErrReferenceTaken, 409, "Probeer het nog eens"},
		"assistant.ErrNoAgent":              {assistant.ErrNoAgent, 503, "geen medewerker vrij"},
		"casefile.ErrHasDuplicates":         {casefile.ErrHasDuplicates, 409, "samengevoegd"},
		"casefile.ErrDeadlineState":         {casefile.ErrDeadlineState, 409, "termijn"},
		"casefile.ErrNotWaiting":            {casefile.ErrNotWaiting, 409, "antwoord van u"},
		"casefile.ErrNotReopenable":         {casefile.ErrNotReopenable, 409, "niet opnieuw geopend"},
		"casefile.ErrReopenPeriodOver":      {casefile.ErrReopenPeriodOver, 409, "termijn om deze melding opnieuw te openen"},
		"casefile.ErrNotReporter":           {casefile.ErrNotReporter, 403, "wie de melding deed"},
		"casefile.ErrAlreadyRated":          {casefile.ErrAlreadyRated, 409, "al beoordeeld"},
		"casefile.ErrRatingClosed":          {casefile.ErrRatingClosed, 409, "niet beoordelen"},
		"session.ErrNotFound":               {session.ErrNotFound, 404, MsgNotFound},
		"session.ErrConflict":               {session.ErrConflict, 409, MsgConflict},
		"session.ErrNoSession":              {session.ErrNoSession, 401, "Meld u opnieuw aan"},
		"signin.ErrNoPendingSignIn":         {signin.ErrNoPendingSignIn, 401, "geen aanmelding bezig"},
		"signin.ErrState":                   {signin.ErrState, 401, "Meld u opnieuw aan"},
		"signin.ErrNonce":                   {signin.ErrNonce, 401, "hoort niet bij deze aanmelding"},
		"signin.ErrToken":                   {signin.ErrToken, 401, "niet worden gecontroleerd"},
		"signin.ErrExpired":                 {signin.ErrExpired, 401, "Uw aanmelding is verlopen"},
		"signin.ErrProvider":                {signin.ErrProvider, 401, "niet voltooid"},
		"signin.ErrClaims":                  {signin.ErrClaims, 401, "onvolledige"},
		"signin.ErrCapacity":                {signin.ErrCapacity, 401, "hoedanigheid"},
		"signin.ErrReturnTo":                {signin.ErrReturnTo, 400, "niet toegelaten"},
		"signin.ErrConfig":                  {signin.ErrConfig, 503, "tijdelijk niet mogelijk"},
		"delivery.ErrEmailUnverified":       {delivery.ErrEmailUnverified, 422, "nog niet bevestigd"},
		"delivery.ErrNoEmail":               {delivery.ErrNoEmail, 422, "geen e-mailadres"},
		"delivery.ErrNoPostalAddress":       {delivery.ErrNoPostalAddress, 422, "geen postadres"},
		"delivery.ErrChannelNotAllowed":     {delivery.ErrChannelNotAllowed, 422, "andere manier"},
		"delivery.ErrNoConsent":             {delivery.ErrNoConsent, 422, "toestemming"},
		"delivery.ErrAttachmentTooLarge":    {delivery.ErrAttachmentTooLarge, 422, "bijlage is te groot"},
		"delivery.ErrUnknownMessage":        {delivery.ErrUnknownMessage, 404, "bericht kennen we niet"},
		"delivery.ErrOutOfOrder":            {delivery.ErrOutOfOrder, 409, "statusmelding"},
		"delivery.ErrTampered":              {delivery.ErrTampered, 409, "bewijs van verzending"},
		"delivery.ErrLeaseLost":             {delivery.ErrLeaseLost, 409, "overgenomen"},
		"delivery.ErrTemporary":             {delivery.ErrTemporary, 503, "later opnieuw"},
		"delivery.ErrPermanent":             {delivery.ErrPermanent, 502, "niet bezorgd"},
		"entitlement.ErrUnknownFact":        {entitlement.ErrUnknownFact, 422, "niet gekend"},
		"entitlement.ErrUnknownBenefit":     {entitlement.ErrUnknownBenefit, 404, "voordeel bestaat niet"},
		"entitlement.ErrAlreadyGranted":     {entitlement.ErrAlreadyGranted, 409, "krijgt dit voordeel al"},
		"entitlement.ErrOptedOut":           {entitlement.ErrOptedOut, 403, "afgezien"},
		"entitlement.ErrOutsidePeriod":      {entitlement.ErrOutsidePeriod, 422, "geen regels"},
		"entitlement.ErrContradictoryFacts": {entitlement.ErrContradictoryFacts, 422, "spreken elkaar tegen"},
		"event.ErrNoFailure":                {event.ErrNoFailure, 404, "mislukte verwerking"},
		"payment.ErrLinkSignature":          {payment.ErrLinkSignature, 403, "betaallink is niet geldig"},
		"payment.ErrLinkExpired":            {payment.ErrLinkExpired, 403, "verlopen"},
		"payment.ErrLinkKey":                {payment.ErrLinkKey, 403, "betaallink is niet geldig"},
		"payment.ErrLinkMalformed":          {payment.ErrLinkMalformed, 403, "niet volledig"},
		"payment.ErrWebhookSignature":       {payment.ErrWebhookSignature, 403, "ondertekend"},
		"payment.ErrWebhookStale":           {payment.ErrWebhookStale, 403, "te oud"},
		"payment.ErrWebhookMalformed":       {payment.ErrWebhookMalformed, 403, "onleesbaar"},
		"payment.ErrCODA":                   {payment.ErrCODA, 422, "CODA"},
		"payment.ErrCamt":                   {payment.ErrCamt, 422, "camt.053"},
		// The reasons of a *ParseError; alone they carry no kind.
		"payment.ErrFormat":              {payment.ErrFormat, 500, MsgInternal},
		"payment.ErrCheckDigits":         {payment.ErrCheckDigits, 500, MsgInternal},
		"payment.ErrNationalCheck":       {payment.ErrNationalCheck, 500, MsgInternal},
		"payment.ErrCountry":             {payment.ErrCountry, 500, MsgInternal},
		"permit.ErrBlockingConflict":     {permit.ErrBlockingConflict, 409, "blokkeert"},
		"subsidy.ErrCallClosed":          {subsidy.ErrCallClosed, 409, "niet open"},
		"subsidy.ErrBudgetExceeded":      {subsidy.ErrBudgetExceeded, 409, "budget"},
		"subsidy.ErrBelowCommitted":      {subsidy.ErrBelowCommitted, 409, "al is toegekend"},
		"subsidy.ErrConflictOfInterest":  {subsidy.ErrConflictOfInterest, 403, "belangenconflict"},
		"subsidy.ErrNotDecided":          {subsidy.ErrNotDecided, 409, "eerst toegekend"},
		"subsidy.ErrUnstableTransfers":   {subsidy.ErrUnstableTransfers, 409, "betalingen veranderden"},
		"subsidy.ErrUnknownApplicantKey": {subsidy.ErrUnknownApplicantKey, 500, "niet volledig ingesteld"},
	} {
		sdkErrors[name] = c
	}
}

func TestStatusOfEverySDKError(t *testing.T) {
	for name, c := range sdkErrors {
		t.Run(name, func(t *testing.T) {
			// As a handler meets it: wrapped, with details for the log.
			err := fmt.Errorf("booking 0192f7a0 for INSZ 85073003328: %w", c.err)
			code, msg := Status(err)
			assert.Equal(t, c.status, code)
			assert.Contains(t, msg, c.word)
			assertSentence(t, msg)
			assert.NotContains(t, msg, "85073003328", "the sentence never repeats the error's text")
		})
	}
}

// assertSentence checks that msg reads as Dutch sentences for a person.
func assertSentence(t *testing.T, msg string) {
	t.Helper()
	require.NotEmpty(t, msg)
	assert.True(t, strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "?"), "%q should end a sentence", msg)
	first := []rune(msg)[0]
	assert.True(t, first >= 'A' && first <= 'Z' || first == '€', "%q should start with a capital", msg)
	for _, english := range []string{" must ", " the ", "not found", "invalid", "required", " is not "} {
		assert.NotContains(t, strings.ToLower(msg), english, "%q looks English", msg)
	}
}

func TestEveryExportedErrorHasDutch(t *testing.T) {
	for _, name := range exportedErrors(t) {
		_, ok := sdkErrors[name]
		assert.True(t, ok, "%s is exported but not in sdkErrors: give it a sentence in status.go and a case here", name)
	}
}

func TestSpecificErrorsAreNotKinds(t *testing.T) {
	// A package's own error gets its own sentence, not its kind's.
	generic := map[string]bool{MsgNotFound: true, MsgConflict: true, MsgInvalidTransition: true, MsgValidation: true, MsgForbidden: true}
	for _, s := range specifics {
		assert.False(t, generic[s.message], "%v", s.err)
		if s.message != signinMessage {
			assertSentence(t, s.message)
		}
	}
}

func TestStatusTypedErrors(t *testing.T) {
	_, ogmErr := payment.ParseOGM("+++123/4567/89012+++")
	require.Error(t, ogmErr)
	_, formatErr := payment.ParseOGM("12345")
	require.Error(t, formatErr)
	_, ibanErr := payment.ParseIBAN("BE68 5390 0754 7035")
	require.Error(t, ibanErr)
	_, numberErr := ParseDecimal("1,2,3")
	require.Error(t, numberErr)

	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(strings.Repeat("x", 2<<20))), 1<<20)
	_, tooBig := io.ReadAll(body)
	require.Error(t, tooBig)

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	timedOut, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()
	<-timedOut.Done()

	for _, c := range []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"nil", nil, 200, ""},
		{"unknown", errors.New("disk on fire"), 500, MsgInternal},
		{"ogm check digits", ogmErr, 422, "Deze gestructureerde mededeling klopt niet: de controlecijfers passen niet bij de andere cijfers. Misschien is er een cijfer verkeerd getypt."},
		{"ogm format", formatErr, 422, "Deze gestructureerde mededeling heeft niet de juiste vorm: 12 cijfers, zoals +++123/4567/89002+++."},
		{"iban", ibanErr, 422, "Dit rekeningnummer (IBAN) klopt niet: de controlecijfers passen niet bij de andere cijfers. Misschien is er een cijfer verkeerd getypt."},
		{"number", numberErr, 422, "Dit is geen getal zoals wij het verwachten. Gebruik een komma voor de decimalen, bijvoorbeeld 1.234,50."},
		{"body too large", fmt.Errorf("reading form: %w", tooBig), 413, "Wat u verstuurt is te groot: ten hoogste 1 MB."},
		{"duplicate key", &casefile.DuplicateError{Key: "k", ID: uuid.New()}, 409, MsgDuplicate},
		{"outside period", fmt.Errorf("assess: %w", &entitlement.OutsidePeriodError{Parameter: "income_limit", Date: calendar.Date{Year: 2031, Month: 1, Day: 1}}), 422,
			"Voor 1 januari 2031 zijn er (nog) geen regels vastgelegd, dus kunnen we niets beslissen."},
		{"canceled", canceled.Err(), 499, MsgCanceled},
		{"timeout", fmt.Errorf("query: %w", timedOut.Err()), 504, MsgTimeout},
		{"validation", &casefile.ValidationError{Fields: []casefile.FieldError{{Field: "description", Rule: "required"}}}, 422, MsgValidation},
		{"specific before kind in a join", errors.Join(casefile.ErrNotFound, appointment.ErrSlotTaken), 409, "Dit tijdstip is intussen volzet. Kies een ander tijdstip."},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, msg := Status(c.err)
			assert.Equal(t, c.status, code)
			assert.Equal(t, c.want, msg)
			if c.err != nil {
				assertSentence(t, msg)
			}
		})
	}
}

func TestStatusAgreesWithTheKinds(t *testing.T) {
	// Whatever the sentence, the status of an error that wraps a kind is the kind's.
	for name, c := range sdkErrors {
		code, _ := Status(c.err)
		if name == "session.ErrNoSession" {
			// The one deliberate exception: a visitor whose session ended must sign in again.
			assert.Equal(t, 401, code, name)
			continue
		}
		switch {
		case errors.Is(c.err, casefile.ErrNotFound):
			assert.Equal(t, 404, code, name)
		case errors.Is(c.err, casefile.ErrValidation):
			assert.Equal(t, 422, code, name)
		case errors.Is(c.err, casefile.ErrConflict), errors.Is(c.err, casefile.ErrInvalidTransition):
			assert.Equal(t, 409, code, name)
		case errors.Is(c.err, casefile.ErrForbidden):
			assert.Equal(t, 403, code, name)
		}
	}
}

func TestByteSize(t *testing.T) {
	assert.Equal(t, "1 MB", byteSize(1<<20))
	assert.Equal(t, "10 MB", byteSize(10<<20))
	assert.Equal(t, "512 kB", byteSize(512<<10))
	assert.Equal(t, "1000 bytes", byteSize(1000))
	assert.Equal(t, "1.048.577 bytes", byteSize(1<<20+1))
}

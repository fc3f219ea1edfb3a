package frontoffice

import (
	"context"
	"errors"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/nlfmt"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// The sentences Status answers for the shared error kinds, and for
// anything else.
const (
	MsgNotFound          = "We vinden niet wat u zoekt. Misschien is de link niet juist of bestaat het niet meer."
	MsgConflict          = "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens."
	MsgInvalidTransition = "Dit kan nu niet (meer): de toestand is intussen veranderd. Laad de pagina opnieuw om te zien hoe het ervoor staat."
	MsgValidation        = "Niet alle gegevens zijn juist ingevuld. Kijk de aangeduide velden na."
	MsgForbidden         = "U mag dit niet doen of bekijken. Denkt u dat dit niet klopt? Neem dan contact op met de gemeente."
	MsgDuplicate         = "Dit werd al eerder ingediend, met andere gegevens. Kijk uw aanvragen na voor u het opnieuw probeert."
	MsgTimeout           = "Dit duurde te lang. Probeer het over enkele ogenblikken opnieuw."
	MsgCanceled          = "De vraag werd afgebroken voor ze klaar was. Probeer het opnieuw."
	MsgInternal          = "Er ging bij ons iets mis. Probeer het later opnieuw; lukt het dan nog niet, neem dan contact op met de gemeente."
)

// signinMessage marks the errors whose sentence signin.Message writes.
const signinMessage = "signin"

// StatusClientClosedRequest is the status Status gives a request whose
// context was canceled, as nginx logs it: the visitor went away.
const StatusClientClosedRequest = 499

// specific is an error that says more than its kind: its own sentence,
// and a status when it wraps no kind.
type specific struct {
	err     error
	status  int // 0: the status of the kind it wraps
	message string
}

// specifics are checked in order, before the kinds; the first match wins.
var specifics = []specific{
	// appointment ("afspraken")
	{err: appointment.ErrSlotTaken, message: "Dit tijdstip is intussen volzet. Kies een ander tijdstip."},
	{err: appointment.ErrLimitReached, message: "U hebt al het grootste aantal afspraken dat voor deze dienst kan. Annuleer er eerst een, of wacht tot na uw volgende afspraak."},
	{err: appointment.ErrHoldExpired, message: "Het tijdstip dat u koos, werd niet op tijd bevestigd en is weer vrijgegeven. Kies opnieuw een tijdstip."},
	{err: appointment.ErrTooLate, message: "Deze afspraak kunt u niet meer online wijzigen of annuleren: het is te kort voor het tijdstip. Neem contact op met de dienst."},
	{err: appointment.ErrReferenceTaken, message: "Het boeken lukte niet door een toevallige botsing. Probeer het nog eens."},
	// casefile ("dossiers", "meldingen")
	{err: casefile.ErrHasDuplicates, message: "Dit kan niet: er zijn andere dossiers in dit dossier samengevoegd."},
	{err: casefile.ErrDeadlineState, message: "Deze termijn staat niet in de toestand die daarvoor nodig is. Laad de pagina opnieuw."},
	{err: casefile.ErrNotWaiting, message: "We wachten niet (meer) op een antwoord van u over deze melding."},
	{err: casefile.ErrNotReopenable, message: "Deze melding kan niet opnieuw geopend worden. Doe gerust een nieuwe melding."},
	{err: casefile.ErrReopenPeriodOver, message: "De termijn om deze melding opnieuw te openen is voorbij. Doe gerust een nieuwe melding."},
	{err: casefile.ErrNotReporter, message: "Alleen wie de melding deed, kan dit doen."},
	{err: casefile.ErrAlreadyRated, message: "U hebt de afhandeling van deze melding al beoordeeld. Bedankt voor uw reactie."},
	{err: casefile.ErrRatingClosed, message: "Deze melding kunt u (nog) niet beoordelen."},
	// delivery ("verzending", "berichten")
	{err: delivery.ErrEmailUnverified, message: "Uw e-mailadres is nog niet bevestigd. Klik eerst op de link in de e-mail die we u stuurden."},
	{err: delivery.ErrNoEmail, message: "We kennen geen e-mailadres van u. Vul eerst uw e-mailadres in."},
	{err: delivery.ErrNoPostalAddress, message: "We kennen geen postadres van u. Vul eerst uw adres in."},
	{err: delivery.ErrChannelNotAllowed, message: "Dit soort berichten kunnen we u niet op die manier bezorgen. Kies een andere manier."},
	{err: delivery.ErrNoConsent, message: "Om u berichten digitaal te bezorgen, hebben we eerst uw toestemming nodig."},
	{err: delivery.ErrAttachmentTooLarge, message: "Een bijlage is te groot om te versturen."},
	{err: delivery.ErrUnknownMessage, message: "Dit bericht kennen we niet."},
	{err: delivery.ErrOutOfOrder, message: "Deze statusmelding komt na een latere en wordt genegeerd."},
	{err: delivery.ErrTampered, message: "Het bewijs van verzending klopt niet meer: het werd gewijzigd. Meld dit aan de dienst informatieveiligheid."},
	{err: delivery.ErrLeaseLost, message: "Een andere verwerking heeft deze verzending intussen overgenomen."},
	{err: delivery.ErrTemporary, status: http.StatusServiceUnavailable, message: "Het bericht kon nu niet verstuurd worden. We proberen het later opnieuw."},
	{err: delivery.ErrPermanent, status: http.StatusBadGateway, message: "Het bericht kon op deze manier niet bezorgd worden."},
	// entitlement ("rechten", "automatische rechtentoekenning")
	{err: entitlement.ErrUnknownFact, message: "Een gegeven in de aanvraag is niet gekend in de regels."},
	{err: entitlement.ErrUnknownBenefit, message: "Dit voordeel bestaat niet (meer)."},
	{err: entitlement.ErrAlreadyGranted, message: "U krijgt dit voordeel al."},
	{err: entitlement.ErrOptedOut, message: "U hebt afgezien van dit voordeel. Wilt u het toch? Neem contact op met de gemeente."},
	{err: entitlement.ErrContradictoryFacts, status: http.StatusUnprocessableEntity, message: "De gegevens spreken elkaar tegen. Kijk ze na."},
	{err: entitlement.ErrOutsidePeriod, status: http.StatusUnprocessableEntity, message: "Voor die datum zijn er (nog) geen regels vastgelegd, dus kunnen we niets beslissen."},
	// payment ("betalingen")
	{err: payment.ErrLinkExpired, message: "Deze betaallink is verlopen. Vraag de gemeente een nieuwe."},
	{err: payment.ErrLinkSignature, message: "Deze betaallink is niet geldig. Gebruik de link uit de e-mail of brief die u kreeg."},
	{err: payment.ErrLinkKey, message: "Deze betaallink is niet geldig. Gebruik de link uit de e-mail of brief die u kreeg."},
	{err: payment.ErrLinkMalformed, message: "Deze betaallink is niet volledig. Kopieer de hele link uit de e-mail of brief die u kreeg."},
	{err: payment.ErrWebhookSignature, message: "De melding van de betaaldienst is niet ondertekend zoals afgesproken."},
	{err: payment.ErrWebhookStale, message: "De melding van de betaaldienst is te oud."},
	{err: payment.ErrWebhookMalformed, message: "De melding van de betaaldienst is onleesbaar."},
	{err: payment.ErrCODA, status: http.StatusUnprocessableEntity, message: "Dit bestand is geen geldig CODA-rekeninguittreksel."},
	{err: payment.ErrCamt, status: http.StatusUnprocessableEntity, message: "Dit bestand is geen geldig camt.053-rekeninguittreksel."},
	// permit ("vergunningen")
	{err: permit.ErrBlockingConflict, message: "Deze vergunning kan niet worden toegekend: een andere inname op dezelfde plaats en tijd blokkeert ze, en dat conflict is niet door beide partijen aanvaard."},
	// subsidy ("subsidies")
	{err: subsidy.ErrCallClosed, message: "Deze oproep is niet open: u kunt nu niets indienen."},
	{err: subsidy.ErrBudgetExceeded, message: "Het budget van deze oproep is niet groot genoeg voor dit bedrag."},
	{err: subsidy.ErrBelowCommitted, message: "Het budget kan niet lager worden dan wat al is toegekend."},
	{err: subsidy.ErrConflictOfInterest, message: "U hebt een belangenconflict gemeld voor deze aanvraag en mag ze daarom niet beoordelen."},
	{err: subsidy.ErrNotDecided, message: "Daarvoor moet de subsidie eerst toegekend zijn."},
	{err: subsidy.ErrUnstableTransfers, status: http.StatusConflict, message: "De betalingen veranderden terwijl het bestand werd gemaakt. Maak het opnieuw."},
	{err: subsidy.ErrUnknownApplicantKey, status: http.StatusInternalServerError, message: "Deze oproep is niet volledig ingesteld. Meld dit aan de gemeente."},
	// assistant ("digitale assistent")
	{err: assistant.ErrNoAgent, status: http.StatusServiceUnavailable, message: "Er is nu geen medewerker vrij voor een gesprek. Probeer het later opnieuw of stel uw vraag via het contactformulier."},
	// session and signin ("aanmelden"): a visitor who must sign in (again)
	{err: session.ErrNoSession, status: http.StatusUnauthorized, message: "Uw sessie is verlopen of u bent afgemeld. Meld u opnieuw aan."},
	{err: signin.ErrConfig, status: http.StatusServiceUnavailable, message: signinMessage},
	{err: signin.ErrReturnTo, status: http.StatusBadRequest, message: signinMessage},
	{err: signin.ErrNoPendingSignIn, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrState, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrNonce, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrToken, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrProvider, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrClaims, status: http.StatusUnauthorized, message: signinMessage},
	{err: signin.ErrCapacity, status: http.StatusUnauthorized, message: signinMessage},
	// event ("storingen")
	{err: event.ErrNoFailure, status: http.StatusNotFound, message: "Op die plaats staat geen mislukte verwerking (meer)."},
	// frontoffice's own
	{err: ErrNumber, status: http.StatusUnprocessableEntity, message: "Dit is geen getal zoals wij het verwachten. Gebruik een komma voor de decimalen, bijvoorbeeld 1.234,50."},
}

// Status maps any error the SDK returns to an HTTP status and one Dutch
// sentence for a person. The status is the error kind's, as every
// package's errors wrap one of the shared kinds: 404 not found, 422
// validation, 409 conflict or invalid transition, 403 forbidden; a store's
// duplicate idempotency key is a 409; a sign-in that failed or a session
// that ended 401 (signin.Message words the sentence); a canceled request 499, a timeout
// 504, a body over http.MaxBytesReader's limit 413, and anything else 500.
// The sentence is the most specific one known: the package's own error
// (appointment.ErrSlotTaken: "Dit tijdstip is intussen volzet. Kies een
// ander tijdstip."), then the kind's.
//
// The sentence never repeats the error's text, which is English and may
// hold details meant for a log. nil gives 200 and "".
func Status(err error) (code int, message string) {
	if err == nil {
		return http.StatusOK, ""
	}
	if ope, ok := errors.AsType[*entitlement.OutsidePeriodError](err); ok && !ope.Date.IsZero() {
		return http.StatusUnprocessableEntity, "Voor " + Day(ope.Date) + " zijn er (nog) geen regels vastgelegd, dus kunnen we niets beslissen."
	}
	for _, s := range specifics {
		if errors.Is(err, s.err) {
			code := s.status
			if code == 0 {
				code = errs.HTTPStatus(s.err)
			}
			if s.message == signinMessage {
				return code, signin.Message(err) // signin words its own errors
			}
			return code, s.message
		}
	}
	if pe, ok := errors.AsType[*payment.ParseError](err); ok {
		return http.StatusUnprocessableEntity, parseMessage(pe)
	}
	if mb, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return http.StatusRequestEntityTooLarge, "Wat u verstuurt is te groot: ten hoogste " + byteSize(mb.Limit) + "."
	}
	if _, ok := errors.AsType[*idem.DuplicateError](err); ok {
		return http.StatusConflict, MsgDuplicate
	}
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return http.StatusNotFound, MsgNotFound
	case errors.Is(err, errs.ErrValidation):
		return http.StatusUnprocessableEntity, MsgValidation
	case errors.Is(err, errs.ErrInvalidTransition):
		return http.StatusConflict, MsgInvalidTransition
	case errors.Is(err, errs.ErrConflict):
		return http.StatusConflict, MsgConflict
	case errors.Is(err, errs.ErrForbidden):
		return http.StatusForbidden, MsgForbidden
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, MsgTimeout
	case errors.Is(err, context.Canceled):
		return StatusClientClosedRequest, MsgCanceled
	}
	return http.StatusInternalServerError, MsgInternal
}

// parseMessage says in Dutch which kind of payment value was refused and why.
func parseMessage(pe *payment.ParseError) string {
	what := map[string]string{
		"ogm":                "Deze gestructureerde mededeling",
		"creditor_reference": "Deze betaalreferentie",
		"iban":               "Dit rekeningnummer (IBAN)",
		"bic":                "Deze BIC-code",
	}[pe.What]
	if what == "" {
		what = "Deze waarde"
	}
	switch {
	case errors.Is(pe, payment.ErrCheckDigits):
		return what + " klopt niet: de controlecijfers passen niet bij de andere cijfers. Misschien is er een cijfer verkeerd getypt."
	case errors.Is(pe, payment.ErrNationalCheck):
		return what + " klopt niet: het Belgische rekeningnummer heeft verkeerde controlecijfers. Misschien is er een cijfer verkeerd getypt."
	case errors.Is(pe, payment.ErrCountry):
		return what + " begint met een landcode die we niet kennen."
	}
	switch pe.What {
	case "ogm":
		return what + " heeft niet de juiste vorm: 12 cijfers, zoals +++123/4567/89002+++."
	case "iban":
		return what + " heeft niet de juiste vorm: twee letters en cijfers, zoals BE68 5390 0754 7034."
	case "bic":
		return what + " heeft niet de juiste vorm: 8 of 11 letters en cijfers, zoals GKCCBEBB."
	}
	return what + " heeft niet de juiste vorm."
}

// byteSize writes a limit in bytes the way a person reads it: "1 MB", "512 kB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return nlfmt.Integer(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return nlfmt.Integer(n>>10) + " kB"
	}
	return nlfmt.Integer(n) + " bytes"
}

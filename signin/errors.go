package signin

import (
	"errors"
	"fmt"
)

// kind is one class of sign-in failure: an English text for logs and a
// Dutch one for the page the visitor sees. A kind may belong to a broader
// kind (an expired token is a bad token), so errors.Is answers for both.
type kind struct {
	text   string
	dutch  string
	parent *kind
}

func (k *kind) Error() string { return "signin: " + k.text }

// Is makes errors.Is(ErrExpired, ErrToken) true.
func (k *kind) Is(target error) bool {
	for p := k.parent; p != nil; p = p.parent {
		if target == p {
			return true
		}
	}
	return false
}

// The kinds of failure a caller branches on. Every error that Start,
// Callback and New return matches exactly one of them with errors.Is (and,
// for ErrExpired, also ErrToken); Message turns it into a sentence for the
// visitor.
var (
	// ErrNoPendingSignIn reports a callback from the provider while this
	// browser has no sign-in under way: no pending-sign-in cookie at all (a
	// bookmarked callback, cookies blocked, a sign-in started in another
	// browser).
	ErrNoPendingSignIn error = &kind{text: "no pending sign-in", dutch: "Er is geen aanmelding bezig in deze browser. Meld u opnieuw aan."}
	// ErrState reports a callback whose state does not belong to a sign-in
	// this browser started ("state"), whose pending sign-in expired or was
	// tampered with, or which was already used once (a replay).
	ErrState error = &kind{text: "state does not match a pending sign-in", dutch: "Deze aanmelding is ongeldig, verlopen of al gebruikt. Meld u opnieuw aan."}
	// ErrNonce reports an ID token whose nonce is not the one this sign-in
	// sent: the token belongs to another sign-in.
	ErrNonce error = &kind{text: "nonce does not match", dutch: "Het antwoord van de aanmeldingsdienst hoort niet bij deze aanmelding. Meld u opnieuw aan."}
	// ErrToken reports an ID token that does not verify: a bad signature or
	// unknown key, another issuer or audience, issued in the future, or
	// malformed.
	ErrToken error = &kind{text: "ID token refused", dutch: "Het antwoord van de aanmeldingsdienst kon niet worden gecontroleerd. Meld u opnieuw aan."}
	// ErrExpired reports an ID token that expired longer ago than the
	// allowed clock skew. It is also an ErrToken.
	ErrExpired error = &kind{text: "ID token expired", dutch: "Uw aanmelding is verlopen. Meld u opnieuw aan.", parent: ErrToken.(*kind)}
	// ErrProvider reports that the provider refused or failed: the visitor
	// cancelled, the provider answered with an error, or the token endpoint
	// did not give a token for the code. A *ProviderError carries the
	// provider's code.
	ErrProvider error = &kind{text: "provider refused the sign-in", dutch: "De aanmeldingsdienst heeft de aanmelding niet voltooid. Probeer het opnieuw."}
	// ErrClaims reports a verified token whose claims the mapping cannot
	// use: no subject, or an invalid national register number ("rrn").
	ErrClaims error = &kind{text: "claims incomplete or invalid", dutch: "De aanmeldingsdienst gaf onvolledige of ongeldige gegevens door. Meld u opnieuw aan of neem contact op met de gemeente."}
	// ErrCapacity reports a capacity ("hoedanigheid") the package cannot
	// accept: none asserted where the mapping needs one, an organisation
	// capacity without an organisation, or an invalid enterprise number
	// (KBO) for an economic actor or a mandate.
	ErrCapacity error = &kind{text: "capacity not asserted or invalid", dutch: "De hoedanigheid waarin u zich aanmeldt (als burger of namens een organisatie) is niet geldig. Meld u opnieuw aan en kies uw hoedanigheid."}
	// ErrReturnTo reports a return address that is not a local path of this
	// site: refused, so the sign-in cannot be used as an open redirect.
	ErrReturnTo error = &kind{text: "return address is not a local path", dutch: "Het adres waarnaar u na het aanmelden zou gaan, is niet toegelaten."}
	// ErrConfig reports a Config that New cannot use, or a provider whose
	// discovery document cannot be read.
	ErrConfig error = &kind{text: "configuration", dutch: "Aanmelden is tijdelijk niet mogelijk. Probeer het later opnieuw."}
)

// fail wraps detail (which must hold no personal data and no token) with a
// kind, so errors.Is matches the kind and the text says what went wrong.
func fail(k error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{k}, args...)...)
}

// ProviderError is the error the provider sent back to the redirect URI
// (RFC 6749, section 4.1.2.1), such as "access_denied" when the visitor
// cancelled. errors.Is(err, ErrProvider) reports true for it.
type ProviderError struct {
	// Code is the provider's "error" parameter.
	Code string
	// Description is the provider's "error_description", if any.
	Description string
	// TokenEndpoint is true when the token endpoint refused the code (for
	// example "invalid_grant": a code used before, or a PKCE verifier that
	// does not match), false when the error came with the redirect.
	TokenEndpoint bool
}

// Error returns the code and description.
func (e *ProviderError) Error() string {
	s := "signin: provider refused the sign-in: "
	if e.TokenEndpoint {
		s += "token endpoint: "
	}
	s += e.Code
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is makes errors.Is(err, ErrProvider) true.
func (e *ProviderError) Is(target error) bool { return target == ErrProvider }

// Message returns a sentence in Dutch for the page shown to a visitor whose
// sign-in failed with err. It says what to do, never why in technical terms
// (which would help an attacker more than the visitor). An error of no
// known kind gets a general sentence.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var pe *ProviderError
	if errors.As(err, &pe) && pe.Code == "access_denied" {
		return "U hebt het aanmelden afgebroken. U kunt opnieuw aanmelden wanneer u wilt."
	}
	var k *kind
	if errors.As(err, &k) {
		return k.dutch
	}
	if errors.Is(err, ErrProvider) {
		return ErrProvider.(*kind).dutch
	}
	return "Het aanmelden is mislukt. Probeer het opnieuw."
}

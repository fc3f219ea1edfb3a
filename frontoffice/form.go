package frontoffice

import (
	"net/http"
	"slices"
)

// FormErrors are the messages of one form ("foutmeldingen"), in the order
// of its fields: what the page's error summary lists at the top, each
// linking to its field, and what each field shows beside it. Field is the
// id of the form's input (or of the fieldset that groups the inputs), so
// the summary's link "#"+Field lands on it; "" is a message about the
// form as a whole.
//
// In a template, {{with $e.For "email"}} finds a field's message. The zero
// value, nil, is a form without errors.
type FormErrors []FieldError

// Add appends message for the input with id field. A field keeps its
// first message: the one nearest the cause.
func (e *FormErrors) Add(field, message string) {
	if field != "" && e.Has(field) {
		return
	}
	*e = append(*e, FieldError{Field: field, Message: message})
}

// Has reports whether field has a message.
func (e FormErrors) Has(field string) bool {
	return slices.ContainsFunc(e, func(f FieldError) bool { return f.Field == field })
}

// For returns the message of field, or "".
func (e FormErrors) For(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// FormErrors returns e itself, so page data that carries FormErrors
// gives them to the host's error summary.
func (e FormErrors) FormErrors() FormErrors { return e }

// ConfirmField is the form field that confirms an irreversible step
// ("bevestigd=ja"). A handler of such a step acts only when Confirmed;
// otherwise it asks first, with a page that sends the same form again
// with this field added. That page works without JavaScript.
const ConfirmField = "bevestigd"

// Confirmed reports whether the person confirmed the step r asks for.
func Confirmed(r *http.Request) bool { return r.PostFormValue(ConfirmField) == "ja" }

// Confirmation is the question a page asks before an irreversible step
// ("Weet u het zeker?").
type Confirmation struct {
	// Title is the page's heading: "Vergunning weigeren?".
	Title string
	// Question says what will happen, in one or two sentences: "U weigert
	// de vergunning OD-2026-0001. Dit kunt u niet ongedaan maken."
	Question string
	// Yes labels the button that confirms: "Ja, weigeren".
	Yes string
	// Back is where "Nee, terug" leads: the page the person came from.
	Back string
}

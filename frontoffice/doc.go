// Package frontoffice is the plumbing a web front office ("e-loket") over
// the building blocks needs, and that would otherwise be copied into every
// portal, or into every block of one: who is signed in (Visitor, and as a
// Person with contact details), the guards of a citizen's and a clerk's
// pages (RequireCitizen, RequireClerk), a block's page templates
// (ParsePages, Pages.Show, TemplateFuncs), one mapping from any error the SDK
// returns to an HTTP status and one Dutch sentence for a person (Status),
// Dutch messages for the fields of a form (FieldErrors), reading numbers
// and coordinates as Belgians type them (ParseDecimal, ParseCoordinate),
// and writing amounts and dates the Belgian way (Euro, Date, DateTime).
//
// It exists so examples and a municipality's own portal never import the
// SDK's internal packages. It is not a domain package: it knows every
// domain package's errors so that a citizen reads "Dit tijdstip is intussen
// volzet. Kies een ander tijdstip." rather than "conflict: slot taken";
// domain packages never import it.
//
// Messages are plain Dutch and address the reader with "u". A handler
// that fails writes:
//
//	code, msg := frontoffice.Status(err)
//	if code == http.StatusUnprocessableEntity {
//		fields := frontoffice.FieldErrors(err, labels) // one message per form field
//		...
//	}
//	http.Error(w, msg, code)
package frontoffice

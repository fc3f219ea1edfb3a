package payment

import "encoding/xml"

// ReferenceKind says which scheme a Reference follows.
type ReferenceKind uint8

// The reference schemes.
const (
	// KindNone is the zero Reference: no structured reference.
	KindNone ReferenceKind = iota
	// KindOGM is a Belgian structured communication (OGM/VCS).
	KindOGM
	// KindRF is an ISO 11649 creditor reference.
	KindRF
)

// Reference is the structured reference of a payment request
// ("gestructureerde mededeling"): either a Belgian OGM or an ISO 11649 RF
// reference. It knows how to appear on an invoice, in an EPC QR code, in
// ISO 20022 XML, and as the key that matches a bank statement line.
type Reference struct {
	kind ReferenceKind
	ogm  OGM
	rf   CreditorReference
}

// OGMReference wraps an OGM.
func OGMReference(o OGM) Reference { return Reference{kind: KindOGM, ogm: o} }

// RFReference wraps an ISO 11649 creditor reference.
func RFReference(r CreditorReference) Reference { return Reference{kind: KindRF, rf: r} }

// ParseReference reads an RF reference when s starts with "RF" (any case,
// spaces allowed), and an OGM otherwise.
func ParseReference(s string) (Reference, error) {
	t := s
	for len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	if len(t) >= 2 && (t[0] == 'R' || t[0] == 'r') && (t[1] == 'F' || t[1] == 'f') {
		r, err := ParseCreditorReference(s)
		if err != nil {
			return Reference{}, err
		}
		return RFReference(r), nil
	}
	o, err := ParseOGM(s)
	if err != nil {
		return Reference{}, err
	}
	return OGMReference(o), nil
}

// Kind says whether r is an OGM, an RF reference, or none.
func (r Reference) Kind() ReferenceKind { return r.kind }

// IsZero reports whether r holds no reference.
func (r Reference) IsZero() bool { return r.kind == KindNone }

// OGM returns the OGM and true when r is one.
func (r Reference) OGM() (OGM, bool) { return r.ogm, r.kind == KindOGM }

// CreditorReference returns the RF reference and true when r is one.
func (r Reference) CreditorReference() (CreditorReference, bool) { return r.rf, r.kind == KindRF }

// String returns the form printed on an invoice: +++123/4567/89002+++ for
// an OGM, RF18 5390 0754 7034 for an RF reference.
func (r Reference) String() string {
	switch r.kind {
	case KindOGM:
		return r.ogm.String()
	case KindRF:
		return r.rf.Printed()
	}
	return ""
}

// EPC returns the text for the structured remittance field (line 10) of
// an EPC QR code. Belgian banking apps read an OGM there as its 12 digits;
// an RF reference goes in its electronic form.
func (r Reference) EPC() string { return r.Key() }

// Key returns the form that matches a bank statement line: the 12 digits
// of an OGM (as CODA and camt.053 carry it) or the electronic RF reference.
// Two references are the same payment reference exactly when their keys are
// equal.
func (r Reference) Key() string {
	switch r.kind {
	case KindOGM:
		return r.ogm.Digits()
	case KindRF:
		return r.rf.String()
	}
	return ""
}

// Issuer returns the ISO 20022 issuer of the reference: "BBA" (Belgian
// Bankers' Association) for an OGM, "ISO" for an RF reference, as
// Febelfin prescribes.
func (r Reference) Issuer() string {
	switch r.kind {
	case KindOGM:
		return "BBA"
	case KindRF:
		return "ISO"
	}
	return ""
}

// CreditorReferenceInformation is the ISO 20022 CdtrRefInf element of
// structured remittance information (pain.001, camt.053).
type CreditorReferenceInformation struct {
	XMLName xml.Name `xml:"CdtrRefInf"`
	// Code is always "SCOR" (structured communication reference).
	Code string `xml:"Tp>CdOrPrtry>Cd"`
	// Issuer is "BBA" for an OGM and "ISO" for an RF reference.
	Issuer string `xml:"Tp>Issr"`
	// Ref is the reference in its electronic form.
	Ref string `xml:"Ref"`
}

// CdtrRefInf returns r as an ISO 20022 CdtrRefInf element, ready for
// encoding/xml.
func (r Reference) CdtrRefInf() CreditorReferenceInformation {
	return CreditorReferenceInformation{Code: "SCOR", Issuer: r.Issuer(), Ref: r.Key()}
}

// MarshalText writes the invoice form; UnmarshalText reads it back.
func (r Reference) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText accepts every form ParseReference accepts; empty text gives
// the zero Reference.
func (r *Reference) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = Reference{}
		return nil
	}
	v, err := ParseReference(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

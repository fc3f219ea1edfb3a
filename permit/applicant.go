package permit

import (
	"strings"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ApplicantID names an applicant ("aanvrager") across applications: an
// enterprise by its KBO number ("kbo:0403170701"), a person by their
// national register number ("insz:85073003328"). A front office lists the
// applications of the person who logged in with their own ID and that of
// each enterprise they act for.
type ApplicantID string

// EnterpriseApplicant returns the ID of an enterprise by its KBO number
// (dots, spaces, a leading "BE" and the old nine-digit form allowed), or ""
// when kbo holds no digits.
func EnterpriseApplicant(kbo string) ApplicantID {
	d := digitsOf(kbo)
	if d == "" {
		return ""
	}
	if len(d) == 9 { // the old form, without the leading 0
		d = "0" + d
	}
	return ApplicantID("kbo:" + d)
}

// PersonApplicant returns the ID of a person by national register number,
// or "" when insz holds no digits.
func PersonApplicant(insz pii.INSZ) ApplicantID {
	d := digitsOf(string(insz))
	if d == "" {
		return ""
	}
	return ApplicantID("insz:" + d)
}

// ID returns whose application it is: the enterprise when the applicant
// acts for one (KBO set), otherwise the person (INSZ set), otherwise ""
// (an applicant known by name and e-mail only, found by no listing).
func (a Applicant) ID() ApplicantID {
	if a.KBO != "" {
		return EnterpriseApplicant(a.KBO)
	}
	return PersonApplicant(a.INSZ)
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

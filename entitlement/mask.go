package entitlement

import (
	"log/slog"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// maskedID shows a subject ID as logs show a national register number
// ("*********44"): subject IDs are often one, and error texts end up in
// logs and reports.
func maskedID(id string) string { return pii.INSZ(id).Masked() }

// maskText hides the subject's ID, and any other run of exactly eleven
// digits (the length of a national register number), in a text meant for
// a report. IDs shorter than eight characters are no national number in
// any written form and are left alone, as hiding them would garble the
// words they occur in.
func maskText(s, subjectID string) string {
	if len(subjectID) >= 8 {
		s = strings.ReplaceAll(s, subjectID, maskedID(subjectID))
	}
	var b strings.Builder
	run := 0
	flush := func(end int) {
		if run == 11 {
			b.WriteString(maskedID(s[end-run : end]))
		} else {
			b.WriteString(s[end-run : end])
		}
		run = 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		flush(i)
		b.WriteByte(s[i])
	}
	flush(len(s))
	return b.String()
}

// LogValue shows the subject masked, as pii.INSZ does.
func (f FaultySubject) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subject_id", maskedID(f.SubjectID)), slog.String("benefit", f.Benefit), slog.String("error", f.Error))
}

// LogValue shows the subject masked, as pii.INSZ does.
func (u Undetermined) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subject_id", maskedID(u.SubjectID)), slog.String("benefit", u.Benefit), slog.Any("missing", u.Missing))
}

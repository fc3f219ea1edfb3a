package assistant

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// answer decides the reply to q in conversation conv.
func (s *Service) answer(ctx context.Context, conv *Conversation, q Question, lang string) (*Reply, error) {
	// A pending clarifying question: the citizen picks an option.
	if len(conv.Options) > 0 {
		if e := s.choice(conv.Options, q.Text); e != nil {
			return s.inform(ctx, q.Text, lang, e, nil)
		}
	}
	intent := detectIntent(q.Text)
	// A pending report waiting for its location.
	if conv.Draft != nil && (intent == IntentInformation || intent == IntentReport) {
		d := *conv.Draft
		if d.Location = reportLocation(q.Text); d.Location == "" {
			d.Location = strings.TrimSpace(Redact(q.Text))
		}
		return &Reply{Intent: IntentReport, Text: msg(lang, "report_draft"), Draft: &d, Resolved: true}, nil
	}
	switch intent {
	case IntentHandover:
		rep := &Reply{Intent: IntentHandover}
		switch {
		case s.cfg.Handover == nil:
			rep.Text = msg(lang, "handover_off")
		case q.Person == nil:
			rep.Text = msg(lang, "handover_signin")
		}
		return rep, nil
	case IntentDossier:
		return s.dossiers(ctx, q, lang)
	case IntentAppointment:
		return s.appointment(ctx, q, lang)
	case IntentReport:
		d := &ReportDraft{Category: reportCategory(q.Text), Description: strings.TrimSpace(Redact(q.Text)), Location: reportLocation(q.Text)}
		if d.Location == "" {
			return &Reply{Intent: IntentReport, Text: msg(lang, "report_where"), Draft: d}, nil
		}
		return &Reply{Intent: IntentReport, Text: msg(lang, "report_draft"), Draft: d, Resolved: true}, nil
	}
	r, hits, err := s.retrieve(ctx, searchText(q.Text, IntentInformation))
	if err != nil {
		return nil, err
	}
	if r.OutOfScope || len(hits) == 0 {
		text := msg(lang, "refuse")
		if otherLanguage(q.Text) {
			text = msg(lang, "other_language")
		}
		return &Reply{Intent: IntentOutOfScope, Text: text, OfferHandover: true}, nil
	}
	if len(hits) > 1 && r.Hits[1].Score >= s.cfg.ClarifyRatio*r.Hits[0].Score {
		rep := &Reply{Intent: IntentInformation, Text: msg(lang, "clarify"), OfferHandover: true}
		for _, e := range hits[:min(3, len(hits))] {
			rep.Options = append(rep.Options, Source{EntryID: e.ID, Title: e.Title, URL: e.URL})
		}
		return rep, nil
	}
	return s.inform(ctx, q.Text, lang, hits[0], hits[:min(3, len(hits))])
}

// retrieve runs the retriever and resolves its hits to entries.
func (s *Service) retrieve(ctx context.Context, text string) (Retrieval, []*Entry, error) {
	s.mu.RLock()
	r, byID := s.retriever, s.entries
	s.mu.RUnlock()
	if r == nil {
		return Retrieval{OutOfScope: true}, nil, nil
	}
	res, err := r.Retrieve(ctx, text, 10)
	if err != nil {
		return Retrieval{}, nil, fmt.Errorf("assistant: retrieve: %w", err)
	}
	var hits []*Entry
	kept := res.Hits[:0:0]
	for _, h := range res.Hits {
		if e, ok := byID[h.EntryID]; ok {
			hits = append(hits, e)
			kept = append(kept, h)
		}
	}
	res.Hits = kept
	return res, hits, nil
}

var ordinals = regexp.MustCompile(`^\s*(?:de |het |nummer |nr\.? |optie |the |number |option )?(1|2|3|eerste|tweede|derde|first|second|third)\b`)

// choice returns the offered entry the reply picks ("2", "de tweede", or
// words of its title), or nil.
func (s *Service) choice(options []string, text string) *Entry {
	s.mu.RLock()
	byID := s.entries
	s.mu.RUnlock()
	if m := ordinals.FindStringSubmatch(fold(text)); m != nil {
		i := map[string]int{"1": 0, "eerste": 0, "first": 0, "2": 1, "tweede": 1, "second": 1, "3": 2, "derde": 2, "third": 2}[m[1]]
		if i < len(options) {
			return byID[options[i]]
		}
		return nil
	}
	// The option whose title shares the most words with the reply.
	var best *Entry
	bestN := 0
	reply := map[string]bool{}
	tokens(text, func(w string) { reply[stem(w)] = true })
	for _, o := range options {
		e := byID[o]
		if e == nil {
			continue
		}
		n := 0
		tokens(e.Title, func(w string) {
			if reply[stem(w)] {
				n++
			}
		})
		if n > bestN {
			best, bestN = e, n
		}
	}
	return best
}

// inform answers from entry e: a grounded generated draft when a
// Generator is configured and cites only what was retrieved, else the
// entry's best section and its link.
func (s *Service) inform(ctx context.Context, question, lang string, e *Entry, retrieved []*Entry) (*Reply, error) {
	if len(retrieved) == 0 {
		retrieved = []*Entry{e}
	}
	sec := bestSection(e, question)
	rep := &Reply{Intent: IntentInformation, Resolved: true}
	if s.cfg.Generator != nil {
		var passages []Passage
		for _, r := range retrieved {
			for _, x := range r.sections() {
				if x.Text != "" {
					passages = append(passages, Passage{EntryID: r.ID, Title: r.Title, Section: x.Name, Text: x.Text, URL: r.URL})
				}
			}
		}
		d, err := s.cfg.Generator.Generate(ctx, GenerateRequest{Question: Redact(question), Language: lang, Passages: passages})
		if err == nil && grounded(d, passages) {
			rep.Text, rep.Generated = d.Text, true
			for _, c := range d.Cites {
				for _, r := range retrieved {
					if r.ID == c && !containsSource(rep.Sources, c) {
						rep.Sources = append(rep.Sources, Source{EntryID: r.ID, Title: r.Title, URL: r.URL})
					}
				}
			}
			return rep, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	text := e.Title + "\n" + sec.Text
	if e.URL != "" {
		text += "\n" + fmt.Sprintf(msg(lang, "more"), e.URL)
	}
	rep.Text = text
	rep.Sources = []Source{{EntryID: e.ID, Title: e.Title, URL: e.URL, Section: sec.Name}}
	return rep, nil
}

func containsSource(ss []Source, id string) bool {
	for _, s := range ss {
		if s.EntryID == id {
			return true
		}
	}
	return false
}

// bestSection picks the section the question asks about (costs,
// procedure, conditions), falling back to the description.
func bestSection(e *Entry, question string) Section {
	secs := e.sections()
	if a := aspectOf(question); a != "" {
		for _, x := range secs {
			if x.Name == a && x.Text != "" {
				return x
			}
		}
	}
	for _, x := range secs {
		if x.Text != "" {
			return x
		}
	}
	return Section{Name: SectionDescription}
}

func (s *Service) dossiers(ctx context.Context, q Question, lang string) (*Reply, error) {
	rep := &Reply{Intent: IntentDossier}
	switch {
	case q.Person == nil:
		rep.Text = msg(lang, "dossier_signin")
		return rep, nil
	case s.cfg.Dossiers == nil:
		rep.Text, rep.OfferHandover = msg(lang, "dossier_off"), true
		return rep, nil
	}
	ds, err := s.cfg.Dossiers.Dossiers(ctx, *q.Person)
	if err != nil {
		return nil, fmt.Errorf("assistant: dossiers: %w", err)
	}
	rep.Dossiers, rep.Resolved = ds, true
	if len(ds) == 0 {
		rep.Text = msg(lang, "dossier_none")
	} else {
		rep.Text = msg(lang, "dossier_list")
	}
	return rep, nil
}

func (s *Service) appointment(ctx context.Context, q Question, lang string) (*Reply, error) {
	rep := &Reply{Intent: IntentAppointment}
	entryID := ""
	r, hits, err := s.retrieve(ctx, searchText(q.Text, IntentAppointment))
	if err != nil {
		return nil, err
	}
	if !r.OutOfScope && len(hits) > 0 {
		entryID = hits[0].ID
		rep.Sources = []Source{{EntryID: hits[0].ID, Title: hits[0].Title, URL: hits[0].URL}}
	}
	if s.cfg.Appointments == nil {
		rep.Text, rep.OfferHandover = msg(lang, "slots_none"), true
		return rep, nil
	}
	slots, err := s.cfg.Appointments.Slots(ctx, entryID, 3)
	if err != nil {
		return nil, fmt.Errorf("assistant: appointment slots: %w", err)
	}
	rep.Slots = slots
	if len(slots) == 0 {
		rep.Text, rep.OfferHandover = msg(lang, "slots_none"), true
		return rep, nil
	}
	rep.Text, rep.Resolved = msg(lang, "slots"), true
	return rep, nil
}

// searchText is what retrieval sees of a message: personal data and the
// phrase that signalled the intent ("ik wil een afspraak maken") removed,
// as neither says which service is meant.
func searchText(text string, intent Intent) string {
	t := Redact(text)
	for _, m := range []string{MaskEmail, MaskIBAN, MaskINSZ, MaskPhone} {
		t = strings.ReplaceAll(t, m, " ")
	}
	if intent == IntentInformation {
		return t
	}
	f := fold(t)
	for _, c := range intentCues {
		if c.intent == intent {
			f = c.re.ReplaceAllString(f, " ")
		}
	}
	return f
}

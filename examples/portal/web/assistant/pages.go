package assistant

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// fragmentHeader is what the script sends to get the reply alone, as HTML
// to put in its panel, instead of the whole page.
const fragmentHeader = "X-Assistent"

// asker is who asks: the signed-in person the assistant may look dossiers
// up for and hand over in their name, or nobody. A clerk asks as nobody:
// the demo clerk has no dossiers of their own.
func asker(r *http.Request) (subject string, p *assistant.Person) {
	v, ok := frontoffice.VisitorFrom(r.Context())
	if !ok || v.Clerk || v.Subject == "" {
		return "", nil
	}
	return v.Subject, &assistant.Person{ID: v.Subject}
}

// page is the conversation so far, with the question form.
func (a *Block) page(w http.ResponseWriter, r *http.Request) {
	subject, _ := asker(r)
	data := conversationPage{SignedIn: subject != ""}
	if id := a.conversationID(r, subject); id != uuid.Nil {
		c, err := a.d.Assistant.Conversation(r.Context(), id)
		switch {
		case err == nil:
			data.Turns, data.Handover = c.Turns, c.Handover
		case !errors.Is(err, assistant.ErrNotFound):
			a.site.Fail(w, r, err)
			return
		}
	}
	a.show(w, r, http.StatusOK, "assistant.html", pageTitle, data)
}

// ask answers the question in the form: the reply alone for the script,
// or the conversation page.
func (a *Block) ask(w http.ResponseWriter, r *http.Request) {
	subject, p := asker(r)
	text := strings.TrimSpace(r.PostFormValue("vraag"))
	if text == "" {
		a.refuse(w, r, subject, "Typ eerst uw vraag.")
		return
	}
	rep, err := a.d.Assistant.Ask(r.Context(), assistant.Question{ConversationID: a.conversationID(r, subject), Text: text, Person: p})
	var verr *assistant.ValidationError
	if errors.As(err, &verr) {
		a.refuse(w, r, subject, "Uw vraag is te lang of bevat tekens die ik niet kan lezen. Hou ze korter dan 2.000 tekens.")
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.remember(w, r, rep.ConversationID, subject)
	a.reply(w, r, subject, text, rep)
}

// handOver passes the conversation to a person: a question case in the
// clerk's worklist, for a signed-in person.
func (a *Block) handOver(w http.ResponseWriter, r *http.Request) {
	subject, p := asker(r)
	id := a.conversationID(r, subject)
	if id == uuid.Nil {
		a.refuse(w, r, subject, "Dit gesprek is verlopen. Stel uw vraag opnieuw; dan kan ik ze doorgeven.")
		return
	}
	rep, err := a.d.Assistant.HandOver(r.Context(), id, p)
	if errors.Is(err, assistant.ErrNotFound) {
		a.refuse(w, r, subject, "Dit gesprek is verlopen. Stel uw vraag opnieuw; dan kan ik ze doorgeven.")
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.remember(w, r, rep.ConversationID, subject)
	a.reply(w, r, subject, "Ik wil een medewerker spreken.", rep)
}

// refuse answers a form the assistant cannot take, with 422.
func (a *Block) refuse(w http.ResponseWriter, r *http.Request, subject, message string) {
	if r.Header.Get(fragmentHeader) != "" {
		a.fragment(w, r, http.StatusUnprocessableEntity, replyView{Error: message})
		return
	}
	a.show(w, r, http.StatusUnprocessableEntity, "assistant.html", pageTitle, conversationPage{SignedIn: subject != "", Error: message})
}

// reply shows rep: alone for the script, else on the conversation page
// after the turns before it.
func (a *Block) reply(w http.ResponseWriter, r *http.Request, subject, question string, rep *assistant.Reply) {
	v := a.view(r, subject, question, rep)
	if r.Header.Get(fragmentHeader) != "" {
		a.fragment(w, r, http.StatusOK, v)
		return
	}
	data := conversationPage{SignedIn: subject != "", Reply: &v}
	if c, err := a.d.Assistant.Conversation(r.Context(), rep.ConversationID); err == nil && len(c.Turns) >= 2 {
		data.Turns = c.Turns[:len(c.Turns)-2] // the last two are this question and its reply
	}
	a.show(w, r, http.StatusOK, "assistant.html", pageTitle, data)
}

// fragment writes the reply template alone.
func (a *Block) fragment(w http.ResponseWriter, r *http.Request, status int, v replyView) {
	var buf bytes.Buffer
	if err := a.pages["assistant.html"].ExecuteTemplate(&buf, "reply", v); err != nil {
		a.site.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// product shows a catalogue entry, the page an answer links to.
func (a *Block) product(w http.ResponseWriter, r *http.Request) {
	e, err := a.d.Entries.GetEntry(r.Context(), r.PathValue("id"))
	if errors.Is(err, assistant.ErrNotFound) {
		a.site.NotFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.show(w, r, http.StatusOK, "product.html", e.Title, productPage{Entry: e})
}

// pageTitle is the title of the conversation page.
const pageTitle = "Vraag het de assistent"

// conversationPage is the data of the conversation page: the turns so far
// (masked), the reply to the question just asked, or what was wrong with
// it.
type conversationPage struct {
	SignedIn bool
	Turns    []assistant.Turn
	Handover *assistant.Ticket
	Reply    *replyView
	Error    string
}

// productPage is the data of a catalogue entry's page.
type productPage struct {
	Entry *assistant.Entry
}

// replyView is a reply as the templates show it.
type replyView struct {
	Question string
	Lines    []string
	Intent   string
	Sources  []sourceView
	// Options are titles of the entries offered; choosing one asks it.
	Options       []string
	Dossiers      []assistant.DossierStatus
	Slots         []assistant.Slot
	Report        string // the prefilled report form
	Handover      *assistant.Ticket
	OfferHandover bool
	// SignIn offers the sign-in, with what it is for: the reply needs a
	// signed-in person.
	SignIn string
	// CSRF is the form token the question came with, for the reply's
	// own buttons (the script shows them without the layout).
	CSRF  string
	Error string
}

// sourceView is a catalogue entry an answer is taken from.
type sourceView struct {
	Title, Page, URL, Section string
}

// sectionNames are the catalogue's sections in Dutch.
var sectionNames = map[string]string{
	assistant.SectionDescription: "Beschrijving", assistant.SectionConditions: "Voorwaarden",
	assistant.SectionProcedure: "Procedure", assistant.SectionCosts: "Kosten", assistant.SectionExceptions: "Uitzonderingen",
}

// moreRE is the reply's last line that names the entry's URL; the view
// links it instead.
var moreRE = regexp.MustCompile(`^(?:Meer info|More information): \S+$`)

func (a *Block) view(r *http.Request, subject, question string, rep *assistant.Reply) replyView {
	v := replyView{Question: question, Intent: string(rep.Intent), Dossiers: rep.Dossiers, Slots: rep.Slots, Handover: rep.Handover,
		OfferHandover: rep.OfferHandover && rep.Handover == nil, CSRF: r.PostFormValue("csrf")}
	for _, l := range strings.Split(rep.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !moreRE.MatchString(l) {
			v.Lines = append(v.Lines, l)
		}
	}
	for _, s := range rep.Sources {
		v.Sources = append(v.Sources, sourceView{Title: s.Title, Page: Path + "/product/" + url.PathEscape(s.EntryID), URL: s.URL, Section: sectionNames[s.Section]})
	}
	for _, o := range rep.Options {
		v.Options = append(v.Options, o.Title)
	}
	if rep.Draft != nil && rep.Draft.Location != "" {
		v.Report = a.reportLink(rep.Draft)
	}
	if subject == "" {
		switch {
		case v.Report != "":
			v.SignIn = ", dan kunt u de melding nakijken en versturen."
		case rep.OfferHandover || (rep.Intent == assistant.IntentHandover && rep.Handover == nil):
			v.SignIn, v.OfferHandover = ", dan kan ik uw vraag doorgeven aan een medewerker.", false
		case rep.Intent == assistant.IntentDossier:
			v.SignIn = ", dan toon ik waar uw dossiers staan."
		}
	}
	return v
}

// reportCategories are the assistant's report categories as the
// "meldingen" case type codes them.
var reportCategories = map[string]string{
	"street_lighting": "street_lighting", "waste": "waste", "road": "roads",
	"greenery": "greenery", "noise": "nuisance", "other": "other",
}

// streetRE splits "Kerkstraat 12b" into street and house number.
var streetRE = regexp.MustCompile(`^(.*?)\s+(\d+[a-zA-Z]?)$`)

// reportLink is the report form, filled with the draft: the citizen
// checks it there and sends it; nothing is filed before that.
func (a *Block) reportLink(d *assistant.ReportDraft) string {
	q := url.Values{}
	if c, ok := reportCategories[d.Category]; ok {
		q.Set("categorie", c)
	}
	q.Set("omschrijving", d.Description)
	if m := streetRE.FindStringSubmatch(d.Location); m != nil {
		q.Set("straat", m[1])
		q.Set("huisnummer", m[2])
	} else {
		q.Set("straat", d.Location)
	}
	return a.d.ReportForm + "?" + q.Encode()
}

package post

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// channelNames name the channels in Dutch; channelVia says how a document
// travels on them.
var (
	channelNames = map[delivery.ChannelKind]string{
		delivery.ChannelBurgerprofiel: "Mijn Burgerprofiel", delivery.ChannelEBox: "eBox",
		delivery.ChannelEmail: "e-mail", delivery.ChannelPaper: "papier",
	}
	channelVia = map[delivery.ChannelKind]string{
		delivery.ChannelBurgerprofiel: "via Mijn Burgerprofiel", delivery.ChannelEBox: "via eBox",
		delivery.ChannelEmail: "per e-mail", delivery.ChannelPaper: "per post",
	}
	channelHints = map[delivery.ChannelKind]string{
		delivery.ChannelBurgerprofiel: "in uw digitale brievenbus van de Vlaamse overheid, ook in de app",
		delivery.ChannelEBox:          "in de digitale brievenbus van de federale overheid",
		delivery.ChannelEmail:         "op het e-mailadres hieronder",
		delivery.ChannelPaper:         "per post, op het adres dat de gemeente van u kent",
	}
	attemptStatusLabels = map[delivery.Status]string{
		delivery.StatusQueued: "Klaar om te verzenden", delivery.StatusFailedTemporary: "Nieuwe poging gepland",
		delivery.StatusSent: "Verzonden", delivery.StatusDelivered: "Afgeleverd", delivery.StatusRead: "Gelezen",
		delivery.StatusFailedPermanent: "Niet afgeleverd", delivery.StatusReturned: "Teruggestuurd naar de gemeente",
	}
)

// deliveryStatus says where a document stands, for its recipient and the
// clerk: "Afgeleverd via Mijn Burgerprofiel", "Verzonden per post –
// teruggevallen op papier na e-mail".
func deliveryStatus(d *delivery.Delivery) string {
	if d.State == delivery.StateNoChannel {
		return "Nog niet verstuurd: de gemeente neemt contact met u op"
	}
	cur := d.Current()
	if cur == nil {
		return "In voorbereiding"
	}
	label := attemptStatusLabels[cur.Status] + " " + channelVia[cur.Channel]
	if d.State == delivery.StateFailed && cur.Status != delivery.StatusFailedPermanent && cur.Status != delivery.StatusReturned {
		label = "Niet afgeleverd " + channelVia[cur.Channel]
	}
	if len(d.Attempts) > 1 {
		label += " – teruggevallen op " + channelNames[cur.Channel] + " na " + channelNames[d.Attempts[0].Channel]
	}
	return label
}

// postItem is one document in the citizen's post or the clerk's queue.
type postItem struct {
	ID, Subject, Reference, Link, Status, Recipient string
	SentAt                                          time.Time
	Done                                            bool
	// For the clerk's queue.
	Group, GroupLabel, Channel, LastError string
	FellBack                              bool
}

// The groups of the clerk's queue, in the order the page shows them.
var queueGroups = []struct{ Key, Label string }{
	{"te-verzenden", "Te verzenden"},
	{"onderweg", "Onderweg"},
	{"mislukt", "Mislukt"},
	{"geen-kanaal", "Geen kanaal"},
	{"teruggevallen", "Teruggevallen op papier"},
	{"afgerond", "Afgerond"},
}

// queueGroup sorts a delivery into the clerk's queue: waiting for the
// dispatcher, on its way (sent, waiting to be read or for a fallback timer),
// failed, without a channel, or done.
func queueGroup(d *delivery.Delivery) string {
	switch d.State {
	case delivery.StateNoChannel:
		return "geen-kanaal"
	case delivery.StateFailed:
		return "mislukt"
	case delivery.StateCompleted:
		return "afgerond"
	}
	if a := d.Current(); a == nil || a.Status == delivery.StatusQueued || a.Status == delivery.StatusFailedTemporary {
		return "te-verzenden"
	}
	return "onderweg"
}

// postItems describes deliveries for the lists; the dossier each is about
// is in its metadata.
func postItems(ds []delivery.Delivery) []postItem {
	out := make([]postItem, 0, len(ds))
	for _, d := range ds {
		meta := d.Document.Metadata
		it := postItem{ID: d.ID.String(), Subject: d.Document.Subject, Reference: meta[metaReference], Link: meta[metaLink], Status: deliveryStatus(&d),
			Recipient: d.Document.Name.String(), SentAt: d.CreatedAt, Done: d.State == delivery.StateCompleted,
			Group: queueGroup(&d), FellBack: len(d.Attempts) > 1}
		if a := d.Current(); a != nil {
			it.Channel = channelNames[a.Channel]
		}
		for _, a := range d.Attempts {
			if a.LastError != "" {
				it.LastError = channelNames[a.Channel] + ": " + a.LastError // why it fell back, too
			}
		}
		for _, g := range queueGroups {
			if g.Key == it.Group {
				it.GroupLabel = g.Label
			}
		}
		out = append(out, it)
	}
	return out
}

// postSection lists the documents the municipality sent the person (and
// their enterprise) for "Mijn dossiers".
func (a *Block) postSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{
		Title: "Post", Empty: "De gemeente stuurde u nog geen post.", DateLabel: "Verstuurd op",
		Action: &frontoffice.Link{Label: "Hoe wil ik mijn post ontvangen?", Href: "/mijn-post"},
	}
	ps := parties(p)
	if len(ps) == 0 {
		return sec, nil
	}
	page, err := a.post.svc.Summaries(ctx, delivery.Query{Parties: ps, Limit: 20})
	if err != nil {
		return sec, err
	}
	for _, it := range postItems(page.Deliveries) {
		sec.Items = append(sec.Items, frontoffice.DossierItem{Reference: it.Reference, Link: "/mijn-post/" + it.ID, Subject: it.Subject, Status: it.Status, Date: it.SentAt, Done: it.Done})
	}
	return sec, nil
}

// prefForm is the preference form as typed.
type prefForm struct {
	// For is "onderneming" when Lotte chooses for her enterprise.
	For       string
	Channel   string
	Email     string
	Consent   bool
	Overrides map[string]string
}

// channelChoice is one channel on the preference form.
type channelChoice struct {
	Value, Label, Hint string
	Checked            bool
}

// overrideChoice is one category's select on the preference form.
type overrideChoice struct {
	Name, Label string
	Options     []channelChoice
}

// prefVersion is one version in the preference history.
type prefVersion struct {
	Version                         int
	ChangedAt                       time.Time
	By, Channel, Overrides, Consent string
}

// postParty is whose post the page is about: the person, or with
// ?voor=onderneming the enterprise they act for (when its number is valid).
func postParty(p *person, forWhom string) (delivery.Party, string, bool) {
	switch {
	case forWhom == "":
		return personParty(p), p.Name.String(), true
	case forWhom == "onderneming" && p.Enterprise != nil && enterpriseParty(p.Enterprise).Validate() == nil:
		return enterpriseParty(p.Enterprise), p.Enterprise.Name, true
	}
	return delivery.Party{}, "", false
}

// offeredChannels are the channels the form offers a party: Mijn
// Burgerprofiel is for persons only.
func offeredChannels(party delivery.Party) []delivery.ChannelKind {
	if party.Kind == delivery.Person {
		return postChannels
	}
	return slices.DeleteFunc(slices.Clone(postChannels), func(k delivery.ChannelKind) bool { return k == delivery.ChannelBurgerprofiel })
}

func (a *Block) postPage(w http.ResponseWriter, r *http.Request, p *person) {
	forWhom := r.URL.Query().Get("voor")
	party, _, ok := postParty(p, forWhom)
	if !ok {
		a.notFound(w, r)
		return
	}
	f := prefForm{For: forWhom, Email: string(p.Email), Channel: string(delivery.ChannelPaper), Overrides: map[string]string{}}
	pref, err := a.post.svc.Preference(r.Context(), party)
	switch {
	case err == nil:
		if pref.Preferred != "" {
			f.Channel = string(pref.Preferred)
		}
		if pref.Email != "" {
			f.Email = string(pref.Email)
		}
		for cat, ch := range pref.Overrides {
			f.Overrides[string(cat)] = string(ch)
		}
		f.Consent = true
		for _, ch := range chosenChannels(pref.Preferred, pref.Overrides) {
			if c, ok := pref.ConsentFor(ch); ch.Digital() && (!ok || !c.Given) {
				f.Consent = false
			}
		}
	case !errors.Is(err, delivery.ErrNotFound):
		a.site.Fail(w, r, err)
		return
	}
	a.renderPost(w, r, http.StatusOK, p, f, nil)
}

// chosenChannels are the channels a preference uses.
func chosenChannels(preferred delivery.ChannelKind, overrides map[delivery.Category]delivery.ChannelKind) []delivery.ChannelKind {
	var out []delivery.ChannelKind
	if preferred != "" {
		out = append(out, preferred)
	}
	for _, ch := range overrides {
		if !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// postPage is the data of "Mijn post": the preference form, its history,
// and the documents received.
type postPage struct {
	Form      prefForm
	Errors    map[string]string
	Channels  []channelChoice
	Overrides []overrideChoice
	History   []prefVersion
	Items     []postItem
	// PartyName and Address are whose post it is and where paper goes.
	PartyName, Address string
	// Enterprise is the enterprise the person acts for, if any;
	// ForEnterprise whether the page is about its post.
	Enterprise    *frontoffice.Enterprise
	ForEnterprise bool
}

// FormErrors gives the form's errors to the site's error summary.
func (p postPage) FormErrors() frontoffice.FormErrors { return frontoffice.FormErrorsOf(p.Errors) }

func (a *Block) renderPost(w http.ResponseWriter, r *http.Request, status int, p *person, f prefForm, errsByField map[string]string) {
	ctx := r.Context()
	party, partyName, _ := postParty(p, f.For)
	var channels []channelChoice
	offered := offeredChannels(party)
	for _, ch := range offered {
		label := channelNames[ch]
		if ch == delivery.ChannelEmail {
			label = "E-mail"
		} else if ch == delivery.ChannelPaper {
			label = "Op papier"
		}
		channels = append(channels, channelChoice{Value: string(ch), Label: label, Hint: channelHints[ch], Checked: f.Channel == string(ch)})
	}
	var overrides []overrideChoice
	for _, c := range postCategories {
		o := overrideChoice{Name: "override_" + string(c.Category), Label: c.Label}
		for _, ch := range offered {
			o.Options = append(o.Options, channelChoice{Value: string(ch), Label: channelNames[ch], Checked: f.Overrides[string(c.Category)] == string(ch)})
		}
		overrides = append(overrides, o)
	}
	hist, err := a.post.svc.PreferenceHistory(ctx, party)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	versions := make([]prefVersion, 0, len(hist))
	for i := len(hist) - 1; i >= 0; i-- {
		versions = append(versions, describePreference(hist[i]))
	}
	page, err := a.post.svc.Summaries(ctx, delivery.Query{Parties: []delivery.Party{party}, Limit: 50})
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	items := postItems(page.Deliveries)
	addr, _ := a.post.addressOf(party)
	a.show(w, r, status, "post.html", "Mijn post", postPage{
		Form: f, Errors: errsByField, Channels: channels, Overrides: overrides,
		History: versions, Items: items, PartyName: partyName, Address: addr.String(),
		Enterprise: p.Enterprise, ForEnterprise: f.For == "onderneming",
	})
}

// describePreference writes one preference version for the history.
func describePreference(pref delivery.Preference) prefVersion {
	v := prefVersion{Version: pref.Version, ChangedAt: pref.ChangedAt, By: pref.ChangedBy, Channel: "papier (standaard)"}
	if pref.Preferred != "" {
		v.Channel = channelNames[pref.Preferred]
	}
	var ov []string
	for _, c := range postCategories {
		if ch, ok := pref.Overrides[c.Category]; ok {
			ov = append(ov, c.Label+": "+channelNames[ch])
		}
	}
	v.Overrides = strings.Join(ov, "; ")
	var cs []string
	for _, ch := range postChannels {
		if c, ok := pref.ConsentFor(ch); ok {
			word := "gegeven"
			if !c.Given {
				word = "ingetrokken"
			}
			cs = append(cs, fmt.Sprintf("%s: %s", channelNames[ch], word))
		}
	}
	v.Consent = strings.Join(cs, "; ")
	return v
}

// postPreferenceSave stores a new version of the party's preference. Consent
// follows the choice: given for each digital channel chosen (the checkbox is
// required then), withdrawn for a digital channel no longer chosen.
func (a *Block) postPreferenceSave(w http.ResponseWriter, r *http.Request, p *person) {
	v := r.PostFormValue
	f := prefForm{For: v("for"), Channel: v("channel"), Email: strings.TrimSpace(v("email")), Consent: v("consent") == "ja", Overrides: map[string]string{}}
	party, _, ok := postParty(p, f.For)
	if !ok {
		a.notFound(w, r)
		return
	}
	offered := offeredChannels(party)
	byField := map[string]string{}
	preferred := delivery.ChannelKind(f.Channel)
	if !slices.Contains(offered, preferred) {
		byField["channel"] = "Kies hoe u uw post wilt ontvangen."
	}
	overrides := map[delivery.Category]delivery.ChannelKind{}
	for _, c := range postCategories {
		name := "override_" + string(c.Category)
		val := v(name)
		f.Overrides[string(c.Category)] = val
		if val == "" {
			continue
		}
		if !slices.Contains(offered, delivery.ChannelKind(val)) {
			byField[name] = "Kies een van de kanalen in de lijst."
			continue
		}
		overrides[c.Category] = delivery.ChannelKind(val)
	}
	chosen := chosenChannels(preferred, overrides)
	switch {
	case f.Email != "" && !plausibleEmail(f.Email):
		byField["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.be."
	case f.Email == "" && slices.Contains(chosen, delivery.ChannelEmail):
		byField["email"] = "Vul uw e-mailadres in om uw post per e-mail te ontvangen."
	}
	if !f.Consent && slices.ContainsFunc(chosen, delivery.ChannelKind.Digital) {
		byField["consent"] = "Geef uw toestemming om uw post digitaal te ontvangen, of kies voor papier."
	}
	if len(byField) > 0 {
		a.renderPost(w, r, http.StatusUnprocessableEntity, p, f, byField)
		return
	}
	now := time.Now()
	addr, known := a.post.addressOf(party)
	_, err := a.post.svc.ChangePreference(r.Context(), party, "digitaal loket", func(pref *delivery.Preference) error {
		pref.Preferred = preferred
		pref.Overrides = nil
		if len(overrides) > 0 {
			pref.Overrides = overrides
		}
		if pref.Email != pii.Email(f.Email) {
			pref.Email, pref.EmailVerified = pii.Email(f.Email), false
		}
		if pref.Address == nil && known {
			pref.Address = &addr
		}
		for _, ch := range postChannels {
			if !ch.Digital() {
				continue
			}
			c, ok := pref.ConsentFor(ch)
			given, want := ok && c.Given, slices.Contains(chosen, ch)
			if given != want {
				pref.Consents = append(pref.Consents, delivery.Consent{Channel: ch, Given: want, At: now, Source: "digitaal loket"})
			}
		}
		return nil
	})
	var verr *delivery.ValidationError
	switch {
	case errors.As(err, &verr):
		for _, fe := range verr.Fields {
			switch {
			case fe.Field == "email":
				byField["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.be."
			case strings.HasPrefix(fe.Field, "address"):
				byField["channel"] = "Voor post op papier kent de gemeente geen adres. Kies een digitaal kanaal."
			default:
				byField["channel"] = "Deze keuze kan niet. Kies een ander kanaal."
			}
		}
		a.renderPost(w, r, http.StatusUnprocessableEntity, p, f, byField)
		return
	case errors.Is(err, delivery.ErrChannelNotAllowed):
		byField["channel"] = "Dit kanaal kan niet voor deze soort post. Kies een ander kanaal."
		a.renderPost(w, r, http.StatusUnprocessableEntity, p, f, byField)
		return
	case errors.Is(err, delivery.ErrConflict):
		a.site.Message(w, r, http.StatusConflict, "Voorkeur intussen gewijzigd", "Uw voorkeur werd intussen elders gewijzigd. Laad de pagina opnieuw en probeer nog eens.")
		return
	case err != nil:
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("delivery preference changed", "party", party)
	a.site.Flash(w, r, "Uw voorkeur is bewaard: u ontvangt uw post "+channelVia[preferred]+".")
	target := "/mijn-post"
	if f.For != "" {
		target += "?voor=" + f.For
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// ownDelivery loads the document in the URL if it was sent to one of p's
// parties; anyone else's is "not found".
func (a *Block) ownDelivery(w http.ResponseWriter, r *http.Request, p *person) (delivery.Delivery, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return delivery.Delivery{}, false
	}
	d, err := a.post.svc.Delivery(r.Context(), id)
	if errors.Is(err, delivery.ErrNotFound) || (err == nil && !slices.Contains(parties(p), d.Document.Party)) {
		a.notFound(w, r)
		return delivery.Delivery{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return delivery.Delivery{}, false
	}
	return d, true
}

// attemptRow is one channel tried, for the document page.
type attemptRow struct {
	Channel, Status string
	At              time.Time
}

// postDocument shows a document to its recipient. Opening it here is the
// read signal of a digital document (an explicit act of the recipient, no
// tracking pixel): it is passed to the delivery package as the status
// callback a platform such as Mijn Burgerprofiel would send.
func (a *Block) postDocument(w http.ResponseWriter, r *http.Request, p *person) {
	d, ok := a.ownDelivery(w, r, p)
	if !ok {
		return
	}
	if cur := d.Current(); cur != nil && cur.Channel.Digital() && (cur.Status == delivery.StatusSent || cur.Status == delivery.StatusDelivered) {
		err := a.post.svc.HandleStatus(r.Context(), delivery.StatusUpdate{Key: cur.Key, Status: delivery.StatusRead})
		if err != nil && !errors.Is(err, delivery.ErrOutOfOrder) {
			a.site.Fail(w, r, err)
			return
		}
		if d, err = a.post.svc.Delivery(r.Context(), d.ID); err != nil {
			a.site.Fail(w, r, err)
			return
		}
	}
	var attempts []attemptRow
	for _, at := range d.Attempts {
		attempts = append(attempts, attemptRow{Channel: channelNames[at.Channel], Status: attemptStatusLabels[at.Status], At: at.UpdatedAt})
	}
	var attachments []frontoffice.Link
	for i, at := range d.Document.Attachments {
		attachments = append(attachments, frontoffice.Link{Label: at.Name, Href: "/mijn-post/" + d.ID.String() + "/bijlagen/" + strconv.Itoa(i+1)})
	}
	a.show(w, r, http.StatusOK, "post_document.html", d.Document.Subject, postDocumentPage{
		Subject: d.Document.Subject, Body: d.Document.Body,
		SentAt: d.CreatedAt, Status: deliveryStatus(&d), Attempts: attempts, Attachments: attachments,
	})
}

// postDocumentPage is the data of the page of one document received.
type postDocumentPage struct {
	Subject, Body string
	SentAt        time.Time
	// Status says where the document is; Attempts how it was sent.
	Status      string
	Attempts    []attemptRow
	Attachments []frontoffice.Link
}

// postAttachment sends the n-th attachment (from 1) of one of p's documents.
func (a *Block) postAttachment(w http.ResponseWriter, r *http.Request, p *person) {
	d, ok := a.ownDelivery(w, r, p)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(d.Document.Attachments) {
		a.notFound(w, r)
		return
	}
	at := d.Document.Attachments[n-1]
	w.Header().Set("Content-Type", at.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(at.Name, `"`, "")+`"`)
	_, _ = w.Write(at.Data)
}

// postClerkPage is the data of the dispatcher's queue.
type postClerkPage struct {
	Items  []postItem
	Groups []queueGroupCount
	// Filter is the group shown, "" for all.
	Filter string
	// Letters is how many letters wait in the print batch.
	Letters int
}

// queueGroupCount is one group of the queue with how many documents it has.
type queueGroupCount struct {
	Key, Label string
	Count      int
	Current    bool
}

// clerkPostQueue is the dispatcher's queue for the clerk: the latest
// documents the portal sent, by group, with a filter ("toestand").
func (a *Block) clerkPostQueue(w http.ResponseWriter, r *http.Request, _ *person) {
	page, err := a.post.svc.Summaries(r.Context(), delivery.Query{Limit: 200})
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	items := postItems(page.Deliveries)
	filter := r.URL.Query().Get("toestand")
	counts := make([]queueGroupCount, 0, len(queueGroups))
	for _, g := range queueGroups {
		n := 0
		for _, it := range items {
			if it.Group == g.Key || (g.Key == "teruggevallen" && it.FellBack) {
				n++
			}
		}
		counts = append(counts, queueGroupCount{Key: g.Key, Label: g.Label, Count: n, Current: g.Key == filter})
	}
	shown := items[:0:0]
	for _, it := range items {
		if filter == "" || it.Group == filter || (filter == "teruggevallen" && it.FellBack) {
			shown = append(shown, it)
		}
	}
	a.show(w, r, http.StatusOK, "post_clerk.html", "Verzendwachtrij (balie)", postClerkPage{
		Items: shown, Groups: counts, Filter: filter, Letters: a.post.paper.Pending(),
	})
}

// clerkDispatch runs one round of the dispatcher now: it claims the due
// deliveries and sends them through the demo channel adapters.
func (a *Block) clerkDispatch(w http.ResponseWriter, r *http.Request, _ *person) {
	n, err := a.post.dispatcher.Step(r.Context())
	a.site.Flash(w, r, fmt.Sprintf("Verzendronde uitgevoerd: %d zending(en) verwerkt.", n))
	if err != nil {
		a.log.Warn("dispatch round", "handled", n, "err", err)
		a.site.Flash(w, r, " Niet alles lukte; de rest volgt in een volgende ronde.")
	}
	http.Redirect(w, r, "/balie/post", http.StatusSeeOther)
}

package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exifJPEG is a small JPEG as a phone makes it: an EXIF block with a GPS
// position (GPSLatitudeRef "N", GPSLatitude 50°52'12") and a comment that
// names the place, both of which must be gone before the photo is kept.
func exifJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var plain bytes.Buffer
	require.NoError(t, jpeg.Encode(&plain, img, nil))

	// TIFF, little-endian: IFD0 with one entry, the GPS IFD pointer; the
	// GPS IFD with GPSLatitudeRef and GPSLatitude (three rationals).
	le := binary.LittleEndian
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	_ = binary.Write(&tiff, le, uint32(8))
	_ = binary.Write(&tiff, le, uint16(1)) // IFD0: 1 entry
	_ = binary.Write(&tiff, le, []uint16{0x8825, 4})
	_ = binary.Write(&tiff, le, []uint32{1, 26}) // GPS IFD at 26
	_ = binary.Write(&tiff, le, uint32(0))       // no next IFD
	_ = binary.Write(&tiff, le, uint16(2))       // GPS IFD: 2 entries
	_ = binary.Write(&tiff, le, []uint16{1, 2})
	_ = binary.Write(&tiff, le, []uint32{2})
	tiff.WriteString("N\x00\x00\x00")
	_ = binary.Write(&tiff, le, []uint16{2, 5})
	_ = binary.Write(&tiff, le, []uint32{3, 56})
	_ = binary.Write(&tiff, le, uint32(0))
	_ = binary.Write(&tiff, le, []uint32{50, 1, 52, 1, 12, 1})
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	com := []byte("GEHEIM Kerkstraat 14 Demogem")

	var out bytes.Buffer
	out.Write(plain.Bytes()[:2]) // SOI
	for _, seg := range []struct {
		marker byte
		data   []byte
	}{{0xE1, app1}, {0xFE, com}} {
		out.Write([]byte{0xFF, seg.marker})
		_ = binary.Write(&out, binary.BigEndian, uint16(len(seg.data)+2))
		out.Write(seg.data)
	}
	out.Write(plain.Bytes()[2:])
	return out.Bytes()
}

// postReport sends the report form with files, as a browser does.
func (c *client) postReport(form url.Values, photos ...[]byte) (int, string, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			require.NoError(c.t, mw.WriteField(k, v))
		}
	}
	for i, p := range photos {
		fw, err := mw.CreateFormFile("photos", "IMG_000"+string(rune('1'+i))+".jpg")
		require.NoError(c.t, err)
		_, _ = fw.Write(p)
	}
	require.NoError(c.t, mw.Close())
	resp, err := c.c.Post(c.srv.URL+"/melding-maken", mw.FormDataContentType(), &body)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b), resp.Request.URL.Path
}

// getRaw fetches path and returns the response with its body read.
func (c *client) getRaw(path string) (*http.Response, []byte) {
	c.t.Helper()
	resp, err := c.c.Get(c.srv.URL + path)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, b
}

var (
	photoRE       = regexp.MustCompile(`<a href="(/meldingen/[0-9a-f-]{36}/foto/1)"><img id="foto-0" src="(/meldingen/[0-9a-f-]{36}/foto/1/klein)"`)
	formVersionRE = func(action string) *regexp.Regexp {
		return regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+">\s*<input type="hidden" name="version" value="(\d+)">`)
	}
)

// TestReportLoop runs the loop of issue 19 over HTTP: a report with a
// photo and a point → the clerk sees photo, description and place → asks
// the reporter → the reporter answers → the clerk resolves with a written
// message → the reporter says "niet opgelost" → reopened.
func TestReportLoop(t *testing.T) {
	var logs bytes.Buffer
	a := newTestApp(t, &logs)
	an := serve(t, a)
	an.signIn("an")
	_, form := an.get("/melding-maken")
	assert.Contains(t, form, `enctype="multipart/form-data"`)
	assert.Contains(t, form, `data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"`, "the map, with the default tiles")
	assert.Contains(t, form, "Hoeveel afval ligt er?", "the category's extra questions")

	upload := exifJPEG(t)
	require.Contains(t, string(upload), "Exif", "the upload has EXIF")
	require.Contains(t, string(upload), "GEHEIM")
	status, page, path := an.postReport(url.Values{"csrf": {csrf(t, form)}, "category": {"waste/illegal_dump"},
		"description": {"Matras en zakken naast de glasbol"}, "attr_amount": {"car"}, "attr_hazardous": {"nee"},
		"lat": {"50,86905"}, "lon": {"3,81190"}}, upload)
	require.Equal(t, http.StatusOK, status, page)
	require.Regexp(t, `^/mijn-dossiers/[0-9a-f-]{36}$`, path)
	caseID := strings.TrimPrefix(path, "/mijn-dossiers/")
	assert.Contains(t, page, "is ontvangen")
	assert.Contains(t, page, "Een autolading", "the answers to the extra questions")
	assert.Contains(t, page, "Dorpsplein", "the point's address from the gazetteer")
	ph := photoRE.FindStringSubmatch(page)
	require.NotNil(t, ph, "the reporter sees the photo")

	// The photo as stored: no EXIF, no GPS, no comment, private.
	resp, stored := an.getRaw(ph[1])
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	assert.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
	assert.NotContains(t, string(stored), "Exif")
	assert.NotContains(t, string(stored), "GEHEIM")
	assert.False(t, bytes.Contains(stored, []byte{0xFF, 0xE1}), "no APP1 segment")
	_, err := jpeg.Decode(bytes.NewReader(stored))
	require.NoError(t, err, "still a JPEG")
	resp, thumb := an.getRaw(ph[2])
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = jpeg.Decode(bytes.NewReader(thumb))
	assert.NoError(t, err)
	c, err := a.cases.Get(t.Context(), mustUUID(t, caseID))
	require.NoError(t, err)
	require.Len(t, c.Attachments, 1)
	blob, err := a.photos.Get(t.Context(), strings.TrimPrefix(c.Attachments[0].URI, "blob:"))
	require.NoError(t, err)
	assert.Equal(t, stored, blob, "what is served is what is stored")
	assert.NotContains(t, c.Attachments[0].URI, caseID, "the blob key is random, not the case")

	// Nobody else sees the photo.
	mo := an.another()
	mo.signIn("mohamed")
	resp, body := mo.getRaw(ph[1])
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), "Geen toegang")
	assert.NotEqual(t, "image/jpeg", resp.Header.Get("Content-Type"))
	nobody := an.another()
	resp, _ = nobody.getRaw(ph[1])
	assert.Contains(t, []string{"/aanmelden", "/demo-idp/aanmelden"}, resp.Request.URL.Path, "a visitor who is not signed in is sent to sign in")

	// The clerk's list and case page.
	clerk := an.another()
	clerk.signIn("balie")
	_, list := clerk.get("/balie/meldingen")
	assert.Contains(t, list, "Matras en zakken naast de glasbol")
	assert.Contains(t, list, `<a href="/balie/meldingen/`+caseID+`">`)
	assert.Contains(t, list, "<td>1</td>", "the photo count")
	assert.NotContains(t, list, "Peeters", "the reporter is masked")
	detail := "/balie/meldingen/" + caseID
	_, page = clerk.get(detail)
	assert.Contains(t, page, `<dd class="description">Matras en zakken naast de glasbol</dd>`)
	assert.Regexp(t, `<dd class="place">Dorpsplein [^<]*50,86905 N, 3,81190 O</dd>`, page)
	assert.Contains(t, page, `data-lat="50.869050" data-lon="3.811900"`, "the place on the map")
	assert.Contains(t, page, `<img id="foto-0" src="/meldingen/`+caseID+`/foto/1/klein"`)
	assert.Contains(t, page, "SHA-256 "+c.Attachments[0].SHA256)
	assert.Contains(t, page, "Een autolading")
	assert.NotContains(t, page, "an.peeters", "contact masked")
	resp, _ = clerk.getRaw(ph[1])
	assert.Equal(t, http.StatusOK, resp.StatusCode, "clerks see the photo")

	// Revealing the contact details is logged.
	status, page = clerk.post(detail+"/contact", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, logs.String(), "audit: contact details revealed")
	assert.Contains(t, page, "Contactgegevens van de melder getoond")

	// Accept, then ask the reporter a question in free text.
	m := formVersionRE(detail).FindStringSubmatch(page)
	require.NotNil(t, m)
	status, page = clerk.post(detail, url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "transition": {"accept"}, "back": {"detail"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Om uw melding", "the question starts from the category's template")
	m = formVersionRE(detail + "/vraag").FindStringSubmatch(page)
	require.NotNil(t, m, "the clerk may ask the reporter")
	status, _ = clerk.post(detail+"/vraag", url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "text": {"Ligt er ook asbest bij de matras?"}})
	require.Equal(t, http.StatusOK, status)

	// The question reaches An by her chosen channel, as a letter in Mijn
	// post with the clerk's words.
	settleBus(t, a)
	_, list = an.get("/mijn-dossiers")
	letter := regexp.MustCompile(`href="(/mijn-post/[0-9a-f-]{36})">We hebben een vraag over uw melding`).FindStringSubmatch(list)
	require.NotNil(t, letter, "a letter with the question")
	_, page = an.get(letter[1])
	assert.Contains(t, page, "Ligt er ook asbest bij de matras?")

	// The reporter reads it in Mijn dossiers and answers.
	_, page = an.get(path)
	assert.Contains(t, page, "Wacht op uw antwoord")
	assert.Contains(t, page, `<blockquote class="question">Ligt er ook asbest bij de matras?</blockquote>`)
	m = formVersionRE(path + "/antwoord").FindStringSubmatch(page)
	require.NotNil(t, m, "the reporter may answer")
	status, page = an.post(path+"/antwoord", url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "text": {"Nee, alleen een matras en twee zakken."}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "uw antwoord is bezorgd")

	// The clerk sees the answer and resolves with a written message.
	_, page = clerk.get(detail)
	assert.Contains(t, page, "Nee, alleen een matras en twee zakken.")
	assert.Contains(t, page, "Uw melding "+c.Reference+" is afgehandeld.", "the resolve message starts from the template")
	m = formVersionRE(detail).FindStringSubmatch(page)
	require.NotNil(t, m)
	status, body2 := clerk.post(detail, url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "transition": {"resolve"}, "back": {"detail"}, "result": {"cleaned"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status, "no message, no resolve")
	assert.Contains(t, body2, "Schrijf de melder een bericht")
	status, _ = clerk.post(detail, url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "transition": {"resolve"}, "back": {"detail"},
		"result": {"cleaned"}, "text": {"De ploeg heeft de matras en de zakken vanmorgen opgehaald."}})
	require.Equal(t, http.StatusOK, status)

	// The reporter reads the message, and says it is not solved.
	_, page = an.get(path)
	assert.Contains(t, page, "Afgehandeld (Opgeruimd)")
	assert.Contains(t, page, "De ploeg heeft de matras en de zakken vanmorgen opgehaald.")
	assert.Contains(t, page, "Hoe tevreden bent u?")
	require.Contains(t, page, `action="`+path+`/niet-opgelost"`)
	status, page = an.post(path+"/niet-opgelost", url.Values{"csrf": {csrf(t, page)}, "text": {"Er liggen nog twee zakken."}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Uw melding is heropend.")
	assert.Contains(t, page, "In behandeling")
	assert.Contains(t, page, "Er liggen nog twee zakken.")
	c, err = a.cases.Get(t.Context(), c.ID)
	require.NoError(t, err)
	assert.Equal(t, "in_progress", c.Status)
	assert.Equal(t, 1, c.Reopened)
	assert.NotContains(t, logs.String(), "an.peeters", "no contact details in the log")
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	require.NoError(t, err)
	return id
}

// TestReportPlace: coordinates with a decimal comma, an address looked up
// in the gazetteer, and a place outside Demogem refused in Dutch.
func TestReportPlace(t *testing.T) {
	a := newTestApp(t, io.Discard)
	an := serve(t, a)
	an.signIn("an")
	_, form := an.get("/melding-maken")
	base := func(extra url.Values) url.Values {
		v := url.Values{"csrf": {csrf(t, form)}, "category": {"roads/pothole"}, "description": {"Diepe put"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	for _, tc := range []struct {
		name, want string
		form       url.Values
	}{
		{"Brussels", "Deze plaats ligt buiten het grondgebied van Demogem.", url.Values{"lat": {"50,8467"}, "lon": {"4,3525"}}},
		{"unreadable coordinate", "aria-describedby=\"point-error\"", url.Values{"lat": {"50,87,1"}, "lon": {"3,81"}}},
		{"address elsewhere", "Dit adres vinden we niet in Demogem.", url.Values{"street": {"Wetstraat"}, "number": {"16"}, "postal_code": {"1000"}, "municipality": {"Brussel"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, page, _ := an.postReport(base(tc.form))
			assert.Equal(t, http.StatusUnprocessableEntity, status)
			assert.Contains(t, page, tc.want)
		})
	}

	// An address of Demogem without a point gets the point of the address.
	status, page, path := an.postReport(base(url.Values{"street": {"Kerkstraat"}, "number": {"3"}, "postal_code": {"9999"}, "municipality": {"Demogem"}}))
	require.Equal(t, http.StatusOK, status, page)
	c, err := a.cases.Get(t.Context(), mustUUID(t, strings.TrimPrefix(path, "/mijn-dossiers/")))
	require.NoError(t, err)
	assert.True(t, c.Location.HasPoint(), "the gazetteer's point")
	assert.True(t, a.town != nil && c.Location.Address.Street == "Kerkstraat")
	assert.NotEmpty(t, c.Location.AddressID)
}

// TestReportNearbyIsThisYourProblem: a second report of the same kind close
// by is shown the first before filing, and may follow it.
func TestReportNearbyIsThisYourProblem(t *testing.T) {
	a := newTestApp(t, io.Discard)
	an := serve(t, a)
	an.signIn("an")
	_, form := an.get("/melding-maken")
	status, page, first := an.postReport(url.Values{"csrf": {csrf(t, form)}, "category": {"street_lighting/lamp_out"},
		"description": {"Lamp aan de kerk brandt niet"}, "lat": {"50,87000"}, "lon": {"3,81100"}})
	require.Equal(t, http.StatusOK, status, page)
	firstID := strings.TrimPrefix(first, "/mijn-dossiers/")

	mo := an.another()
	mo.signIn("mohamed")
	_, form = mo.get("/melding-maken")
	fields := url.Values{"csrf": {csrf(t, form)}, "category": {"street_lighting/lamp_out"},
		"description": {"Straatlamp kapot"}, "lat": {"50,87010"}, "lon": {"3,81110"}}
	status, page, path := mo.postReport(fields, exifJPEG(t))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "/melding-maken", path, "not filed yet")
	assert.Contains(t, page, "Is dit uw probleem?")
	assert.Contains(t, page, "Lamp aan de kerk brandt niet")
	assert.Contains(t, page, `value="`+firstID+`"`)
	token := regexp.MustCompile(`name="photo_token" value="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, token, "the photo is kept for the second step")

	// A forged photo token is ignored; the signed one is kept.
	fields.Set("confirm", "new")
	fields.Set("follow", firstID)
	fields["photo_token"] = []string{token[1], "eyJvIjoiMSJ9.AAAA"}
	status, page, path = mo.postReport(fields)
	require.Equal(t, http.StatusOK, status, page)
	require.Regexp(t, `^/mijn-dossiers/[0-9a-f-]{36}$`, path)
	assert.Contains(t, page, "volgt de bestaande melding")
	c, err := a.cases.Get(t.Context(), mustUUID(t, strings.TrimPrefix(path, "/mijn-dossiers/")))
	require.NoError(t, err)
	assert.Equal(t, firstID, c.MergedInto.String(), "Mohamed's report follows An's")
	assert.Len(t, c.Attachments, 1)

	// Mohamed's photo is not An's to see, nor is a token An could reuse.
	status, _ = an.get("/meldingen/" + c.ID.String() + "/foto/1")
	assert.Equal(t, http.StatusForbidden, status)
	_, form = an.get("/melding-maken")
	status, page, path = an.postReport(url.Values{"csrf": {csrf(t, form)}, "category": {"other"}, "description": {"Iets anders"},
		"lat": {"50,86000"}, "lon": {"3,80000"}, "photo_token": {token[1]}})
	require.Equal(t, http.StatusOK, status, page)
	c, err = a.cases.Get(t.Context(), mustUUID(t, strings.TrimPrefix(path, "/mijn-dossiers/")))
	require.NoError(t, err)
	assert.Empty(t, c.Attachments, "another person's photo token is not accepted")
}

// TestReportPhotosRefused: not an image, or too many photos.
func TestReportPhotosRefused(t *testing.T) {
	an := newClient(t, io.Discard)
	an.signIn("an")
	_, form := an.get("/melding-maken")
	fields := url.Values{"csrf": {csrf(t, form)}, "category": {"other"}, "description": {"Iets"}, "lat": {"50,87"}, "lon": {"3,81"}}
	status, page, _ := an.postReport(fields, []byte("%PDF-1.7 dit is geen foto"))
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Dit is geen foto die we kunnen lezen.")
	p := exifJPEG(t)
	status, page, _ = an.postReport(fields, p, p, p, p)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "hoogstens")
}

// TestOpen311Mounted: the endpoint is served at /open311/v2/, files only
// with the API key, hides categories that are not public, and limits the
// rate.
func TestOpen311Mounted(t *testing.T) {
	c := newClient(t, io.Discard)
	status, body := c.get("/open311/v2/discovery.json")
	require.Equal(t, http.StatusOK, status, body)
	status, body = c.get("/open311/v2/services.json")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"service_code":"waste.illegal_dump"`)

	form := url.Values{"service_code": {"nuisance"}, "lat": {"50.8695"}, "long": {"3.8110"}, "description": {"Luide muziek bij de buren op nummer 5"}}
	status, body = c.post("/open311/v2/requests.json", form)
	assert.Equal(t, http.StatusForbidden, status, "no API key, no filing")
	assert.Contains(t, body, "api_key")
	form.Set("api_key", DemoOpen311Key)
	status, body = c.post("/open311/v2/requests.json", form)
	require.Equal(t, http.StatusCreated, status, body, "no form token needed: the key proves the client")
	ref := regexp.MustCompile(`"service_request_id":"([^"]+)"`).FindStringSubmatch(body)
	require.NotNil(t, ref)

	// The public does not see a nuisance report; the key holder does.
	status, body = c.get("/open311/v2/requests/" + ref[1] + ".json")
	assert.NotContains(t, body, "Luide muziek", "status %d", status)
	status, body = c.get("/open311/v2/requests/" + ref[1] + ".json?api_key=" + DemoOpen311Key)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Luide muziek")

	limited := false
	for range 40 {
		if s, _ := c.get("/open311/v2/services.json"); s == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	assert.True(t, limited, "a client is held to the rate limit")
}

// TestClerkCasePageActions: the clerk's other forms on the case page —
// internal note, assignment, category and place changed, merge with a
// nearby report, reopen — and the reporter's satisfaction questionnaire.
func TestClerkCasePageActions(t *testing.T) {
	a := newTestApp(t, io.Discard)
	an := serve(t, a)
	an.signIn("an")
	file := func(c *client, cat, desc, lat, lon string) string {
		_, form := c.get("/melding-maken")
		fields := url.Values{"csrf": {csrf(t, form)}, "category": {cat}, "description": {desc}, "lat": {lat}, "lon": {lon}, "confirm": {"new"}}
		status, page, path := c.postReport(fields)
		require.Equal(t, http.StatusOK, status, page)
		return strings.TrimPrefix(path, "/mijn-dossiers/")
	}
	first := file(an, "street_lighting/lamp_out", "Lamp uit aan de school", "50,87100", "3,80700")
	mo := an.another()
	mo.signIn("mohamed")
	second := file(mo, "street_lighting/lamp_out", "Donker aan de school", "50,87105", "3,80705")

	clerk := an.another()
	clerk.signIn("balie")
	detail := "/balie/meldingen/" + first
	version := func() (string, string) {
		_, page := clerk.get(detail)
		m := formVersionRE(detail + "/toewijzen").FindStringSubmatch(page)
		require.NotNil(t, m, "the case page has the assignment form")
		return csrf(t, page), m[1]
	}

	// An internal note: the clerk sees it, the reporter does not.
	tok, _ := version()
	status, page := clerk.post(detail+"/notitie", url.Values{"csrf": {tok}, "text": {"Netbeheerder gebeld, ticket 4711."}})
	require.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `(?s)Intern verloop.*Netbeheerder gebeld, ticket 4711.`, page)
	_, citizen := an.get("/mijn-dossiers/" + first)
	assert.NotContains(t, citizen, "ticket 4711")

	// Assigned to a team and a person.
	tok, v := version()
	status, page = clerk.post(detail+"/toewijzen", url.Values{"csrf": {tok}, "version": {v}, "team": {"openbaar-domein"}, "assignee": {"jan"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<dt>Team</dt><dd>Wegen en openbaar domein – jan</dd>")
	tok, v = version()
	status, _ = clerk.post(detail+"/toewijzen", url.Values{"csrf": {tok}, "version": {v}, "team": {"bestaat-niet"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)

	// The place moved outside Demogem is refused; the category changed is
	// routed anew.
	tok, v = version()
	status, page = clerk.post(detail+"/wijzigen", url.Values{"csrf": {tok}, "version": {v}, "lat": {"50,8467"}, "lon": {"4,3525"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "buiten het grondgebied van Demogem")
	status, page = clerk.post(detail+"/wijzigen", url.Values{"csrf": {tok}, "version": {v}, "category": {"street_lighting/pole_damaged"}, "text": {"Paal is geraakt"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Straatverlichting – Paal beschadigd")
	assert.Contains(t, page, "Categorie gewijzigd")

	// Mohamed's report is the same problem: the clerk sees it nearby and
	// merges it into An's.
	other := "/balie/meldingen/" + second
	_, page = clerk.get(other)
	assert.Contains(t, page, "Meldingen in de buurt")
	m := regexp.MustCompile(`action="` + other + `/samenvoegen"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"><input type="hidden" name="into" value="` + first + `">`).FindStringSubmatch(page)
	require.NotNil(t, m, "merge with the nearby report")
	status, _ = clerk.post(other+"/samenvoegen", url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "into": {first}})
	require.Equal(t, http.StatusOK, status)
	c, err := a.cases.Get(t.Context(), mustUUID(t, second))
	require.NoError(t, err)
	assert.Equal(t, first, c.MergedInto.String())

	// Taken in and resolved with the clerk's own message; then the
	// clerk reopens it.
	_, page = clerk.get(detail)
	m = formVersionRE(detail).FindStringSubmatch(page)
	require.NotNil(t, m)
	status, _ = clerk.post(detail, url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "transition": {"accept"}, "back": {"detail"}})
	require.Equal(t, http.StatusOK, status)
	tok, v = version()
	status, _ = clerk.post(detail, url.Values{"csrf": {tok}, "version": {v}, "transition": {"resolve"}, "back": {"detail"}, "result": {"repaired"},
		"text": {"De lamp brandt weer."}})
	require.Equal(t, http.StatusOK, status)
	_, page = clerk.get(detail)
	m = formVersionRE(detail + "/heropenen").FindStringSubmatch(page)
	require.NotNil(t, m, "a clerk may reopen a resolved report")

	// The reporter rates it; an unhappy score reopens it, as the case type says.
	_, citizen = an.get("/mijn-dossiers/" + first)
	require.Contains(t, citizen, "Hoe tevreden bent u?")
	status, refused := an.post("/mijn-dossiers/"+first+"/tevredenheid", url.Values{"csrf": {csrf(t, citizen)}, "score": {"9"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, refused, "Kies hoe tevreden u bent, van 1 tot 5.")
	_, citizen = an.get("/mijn-dossiers/" + first)
	status, citizen = an.post("/mijn-dossiers/"+first+"/tevredenheid", url.Values{"csrf": {csrf(t, citizen)}, "score": {"4"}, "comment": {"Snel"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, citizen, "Bedankt voor uw mening.")
	assert.Contains(t, citizen, "U gaf deze melding de score 4 op 5.")
	assert.NotContains(t, citizen, "Hoe tevreden bent u?", "once")

	_, page = clerk.get(detail) // the rating changed the case
	m = formVersionRE(detail + "/heropenen").FindStringSubmatch(page)
	require.NotNil(t, m)
	status, _ = clerk.post(detail+"/heropenen", url.Values{"csrf": {csrf(t, page)}, "version": {m[1]}, "text": {"Lamp flikkert opnieuw"}})
	require.Equal(t, http.StatusOK, status)
	c, err = a.cases.Get(t.Context(), mustUUID(t, first))
	require.NoError(t, err)
	assert.Equal(t, "in_progress", c.Status)
	assert.Equal(t, 1, c.Reopened)
}

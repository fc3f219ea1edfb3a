package cases

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
)

// blobScheme marks an attachment whose bytes are in the Photos blobs; the
// thumbnail is at the same key with thumbSuffix.
const (
	blobScheme  = "blob:"
	thumbSuffix = "-thumb"
)

// photosOf are the case's photos kept in the blobs, in order.
func photosOf(c *casefile.Case) []casefile.Attachment {
	var out []casefile.Attachment
	for _, at := range c.Attachments {
		if strings.HasPrefix(at.URI, blobScheme) && strings.HasPrefix(at.MediaType, "image/") {
			out = append(out, at)
		}
	}
	return out
}

// photoView is one photo on a case page: the thumbnail links to the photo.
type photoView struct {
	Href, Thumb, Name, SHA256 string
}

// photoViews are the links to the case's photos; the handler behind them
// checks who asks.
func photoViews(c *casefile.Case) []photoView {
	var out []photoView
	for i, at := range photosOf(c) {
		href := "/meldingen/" + c.ID.String() + "/foto/" + strconv.Itoa(i+1)
		out = append(out, photoView{Href: href, Thumb: href + "/klein", Name: at.Name, SHA256: at.SHA256})
	}
	return out
}

// photo serves a photo (or its thumbnail) of a case to its reporter and to
// clerks only; for anyone else the photo does not exist. The answer is
// never cached by a shared cache.
func (a *Block) photo(w http.ResponseWriter, r *http.Request, p *person) {
	id, err := uuid.Parse(r.PathValue("id"))
	n, nerr := strconv.Atoi(r.PathValue("n"))
	if err != nil || nerr != nil || n < 1 || a.deps.Photos == nil {
		a.notFound(w, r)
		return
	}
	c, err := a.cases.Get(r.Context(), id)
	if errors.Is(err, casefile.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	if !p.Clerk && !slices.Contains(requesterIDs(p), c.Requester.ID) {
		a.site.Message(w, r, http.StatusForbidden, "Geen toegang", "Deze foto hoort bij een melding van iemand anders. U kunt ze niet bekijken.")
		return
	}
	photos := photosOf(c)
	if n > len(photos) {
		a.notFound(w, r)
		return
	}
	at := photos[n-1]
	key, contentType := strings.TrimPrefix(at.URI, blobScheme), at.MediaType
	if strings.HasSuffix(r.URL.Path, "/klein") {
		key, contentType = key+thumbSuffix, string(photo.JPEG)
	}
	data, err := a.deps.Photos.Get(r.Context(), key)
	if errors.Is(err, photo.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// uploaded is a photo stored before the case exists, as the form carries
// it when the form is shown again: signed, so a form cannot attach
// someone else's photo.
type uploaded struct {
	Owner string              `json:"o"`
	At    casefile.Attachment `json:"a"`
}

// errTooManyPhotos is more photos than a report may have.
var errTooManyPhotos = errors.New("too many photos")

// uploads processes the photos of the form (strip metadata, turn upright,
// thumbnail) and stores them; with the ones the form carried from before,
// they are the report's attachments. f.Photos gets every photo's token.
func (a *Block) uploads(r *http.Request, p *person, f *reportForm) ([]casefile.Attachment, error) {
	var out []casefile.Attachment
	var tokens []string
	for _, tok := range f.Photos {
		u, ok := a.verify(tok)
		if ok && u.Owner == string(p.INSZ) {
			out = append(out, u.At)
			tokens = append(tokens, tok)
		}
	}
	f.Photos = tokens
	if a.deps.Photos == nil || r.MultipartForm == nil {
		return out, nil
	}
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Size == 0 {
			continue
		}
		if len(out) >= a.deps.MaxPhotos {
			return out, errTooManyPhotos
		}
		at, err := a.storePhoto(r.Context(), fh, len(out)+1)
		if err != nil {
			return out, err
		}
		out = append(out, at)
		f.Photos = append(f.Photos, a.sign(uploaded{Owner: string(p.INSZ), At: at}))
	}
	return out, nil
}

// storePhoto processes one upload and stores it and its thumbnail.
func (a *Block) storePhoto(ctx context.Context, fh *multipart.FileHeader, n int) (casefile.Attachment, error) {
	file, err := fh.Open()
	if err != nil {
		return casefile.Attachment{}, err
	}
	defer file.Close()
	ph, err := a.deps.Processor.Process(ctx, file)
	if err != nil {
		return casefile.Attachment{}, err
	}
	keys, err := photo.Store(ctx, a.deps.Photos, ph)
	if err != nil {
		return casefile.Attachment{}, err
	}
	ext := ".jpg"
	if ph.Format == photo.PNG {
		ext = ".png"
	}
	return casefile.Attachment{Name: fmt.Sprintf("foto-%d%s", n, ext), MediaType: string(ph.Format), Size: int64(len(ph.Data)),
		SHA256: ph.Digest(), URI: blobScheme + keys.Photo, AddedAt: time.Now()}, nil
}

// photoMessage says in Dutch why photos were refused.
func photoMessage(err error) string {
	var le *photo.LimitError
	switch {
	case errors.Is(err, errTooManyPhotos):
		return "U kunt hoogstens zoveel foto's toevoegen als het formulier zegt."
	case errors.As(err, &le) && le.Limit == "bytes":
		return fmt.Sprintf("Deze foto is te groot: hoogstens %d MB.", (le.Max+(1<<20)-1)>>20)
	case errors.As(err, &le):
		return "Deze foto heeft te veel pixels. Kies een kleinere foto."
	case errors.Is(err, photo.ErrUnsupported):
		return "Dit is geen foto die we kunnen lezen. Kies een JPEG-, PNG- of WebP-bestand."
	}
	return "Deze foto kunnen we niet gebruiken. Kies een andere foto."
}

// sign makes u into a token only this server can make.
func (a *Block) sign(u uploaded) string {
	body, _ := json.Marshal(u)
	m := hmac.New(sha256.New, a.secret)
	m.Write(body)
	return base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify reads a token that sign made.
func (a *Block) verify(tok string) (uploaded, bool) {
	b64, mac, ok := strings.Cut(tok, ".")
	body, err1 := base64.RawURLEncoding.DecodeString(b64)
	sum, err2 := base64.RawURLEncoding.DecodeString(mac)
	if !ok || err1 != nil || err2 != nil {
		return uploaded{}, false
	}
	m := hmac.New(sha256.New, a.secret)
	m.Write(body)
	if !hmac.Equal(sum, m.Sum(nil)) {
		return uploaded{}, false
	}
	var u uploaded
	return u, json.Unmarshal(body, &u) == nil && strings.HasPrefix(u.At.URI, blobScheme)
}

// newSecret is the key of the upload tokens, new every start.
func newSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// mapView is a place on a map; Show is false when there is no map or no
// point to show.
type mapView struct {
	Tiles, Lat, Lon      string
	CenterLat, CenterLon string
	Show, Point          bool
}

// demoCenter is where the map opens when there is no point yet: the middle
// of the territory, or Demogem's market square.
func (a *Block) center() (string, string) {
	lat, lon := 50.8688, 3.8115
	if t := a.deps.Territory; t != nil && len(t.Polygons) > 0 && len(t.Polygons[0]) > 0 {
		var sLat, sLon float64
		ring := t.Polygons[0][0]
		for _, pt := range ring {
			sLat, sLon = sLat+pt.Lat, sLon+pt.Lon
		}
		lat, lon = sLat/float64(len(ring)), sLon/float64(len(ring))
	}
	return strconv.FormatFloat(lat, 'f', 5, 64), strconv.FormatFloat(lon, 'f', 5, 64)
}

// mapOf is the map of l.
func (a *Block) mapOf(l casefile.Location) mapView {
	m := mapView{Tiles: a.deps.TileURL, Show: a.deps.TileURL != "", Point: l.HasPoint()}
	m.CenterLat, m.CenterLon = a.center()
	if l.HasPoint() {
		m.Lat, m.Lon = strconv.FormatFloat(l.Point.Lat, 'f', 6, 64), strconv.FormatFloat(l.Point.Lon, 'f', 6, 64)
	}
	return m
}

// allowTiles lets the page load map tiles from the tile server, and
// nothing else from elsewhere.
func (a *Block) allowTiles(w http.ResponseWriter) {
	if a.deps.TileURL == "" {
		return
	}
	u, err := url.Parse(strings.NewReplacer("{s}", "*", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(a.deps.TileURL))
	if err != nil || u.Host == "" {
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: "+u.Scheme+"://"+u.Host+"; form-action 'self'; frame-ancestors 'none'")
}

package assistant

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// cookieName is the conversation cookie: "<conversation id>.<mac>".
const cookieName = "assistent"

// mac binds a conversation to who asked in it: subject "" is nobody.
func (a *Block) mac(id uuid.UUID, subject string) string {
	h := hmac.New(sha256.New, a.d.CookieKey)
	h.Write(id[:])
	h.Write([]byte{0})
	h.Write([]byte(subject))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// conversationID returns the conversation of r's cookie when it belongs
// to subject or to nobody; uuid.Nil starts a new one.
func (a *Block) conversationID(r *http.Request, subject string) uuid.UUID {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return uuid.Nil
	}
	raw, sum, ok := strings.Cut(c.Value, ".")
	if !ok {
		return uuid.Nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil
	}
	for _, who := range []string{subject, ""} {
		if hmac.Equal([]byte(sum), []byte(a.mac(id, who))) {
			return id
		}
		if subject == "" {
			break
		}
	}
	return uuid.Nil
}

// remember sets the cookie of conversation id, bound to subject.
func (a *Block) remember(w http.ResponseWriter, r *http.Request, id uuid.UUID, subject string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id.String() + "." + a.mac(id, subject), Path: Path,
		MaxAge: int(a.d.TTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

package assistant

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testBlock(t testing.TB) *Block {
	t.Helper()
	b, err := New(nil, nil, Deps{CookieKey: []byte("0123456789abcdef0123456789abcdef")})
	require.NoError(t, err)
	return b
}

// cookieFor returns the cookie value remember sets for id and subject.
func cookieFor(t testing.TB, b *Block, id uuid.UUID, subject string) string {
	t.Helper()
	w := httptest.NewRecorder()
	b.remember(w, httptest.NewRequest(http.MethodGet, "/", nil), id, subject)
	cs := w.Result().Cookies()
	require.Len(t, cs, 1)
	assert.True(t, cs[0].HttpOnly)
	assert.Equal(t, Path, cs[0].Path, "sent to the assistant only")
	return cs[0].Value
}

func withCookie(value string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/assistent", nil)
	r.Header.Set("Cookie", cookieName+"="+value)
	return r
}

func TestConversationCookieBinding(t *testing.T) {
	b := testBlock(t)
	id := uuid.Must(uuid.NewV7())
	anon, an := cookieFor(t, b, id, ""), cookieFor(t, b, id, "an")

	tests := []struct {
		name, value, subject string
		want                 uuid.UUID
	}{
		{"anonymous, anonymous", anon, "", id},
		{"anonymous carries on after signing in", anon, "an", id},
		{"the person's own", an, "an", id},
		{"the person's after signing out", an, "", uuid.Nil},
		{"the person's for someone else", an, "mohamed", uuid.Nil},
		{"another conversation's MAC", uuid.Must(uuid.NewV7()).String() + an[strings.Index(an, "."):], "an", uuid.Nil},
		{"no MAC", id.String(), "", uuid.Nil},
		{"not an ID", "x." + strings.SplitN(anon, ".", 2)[1], "", uuid.Nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, b.conversationID(withCookie(tt.value), tt.subject))
		})
	}
	other, err := New(nil, nil, Deps{CookieKey: []byte("another key of thirty-two bytes!")})
	require.NoError(t, err)
	assert.Equal(t, uuid.Nil, other.conversationID(withCookie(anon), ""), "another key opens nothing")
}

// FuzzConversationCookie: whatever a browser sends, the cookie parser does
// not panic, and opens a conversation only with the MAC of its ID.
func FuzzConversationCookie(f *testing.F) {
	b := testBlock(f)
	id := uuid.MustParse("01890a5d-ac96-774b-bcce-b302099a8057")
	f.Add(cookieFor(f, b, id, ""), "")
	f.Add(cookieFor(f, b, id, "an"), "an")
	f.Add("..", "")
	f.Add("01890a5d-ac96-774b-bcce-b302099a8057.", "an")
	f.Add("\x00.\xff", "")
	f.Fuzz(func(t *testing.T, value, subject string) {
		got := b.conversationID(withCookie(value), subject)
		if got == uuid.Nil {
			return
		}
		c, err := withCookie(value).Cookie(cookieName)
		require.NoError(t, err)
		raw, sum, ok := strings.Cut(c.Value, ".")
		require.True(t, ok)
		parsed, perr := uuid.Parse(raw)
		require.NoError(t, perr)
		assert.Equal(t, parsed, got)
		assert.True(t, sum == b.mac(got, subject) || sum == b.mac(got, ""), "opened only with a valid MAC")
	})
}

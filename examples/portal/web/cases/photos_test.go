package cases

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

func TestUploadTokens(t *testing.T) {
	a := &Block{secret: newSecret()}
	u := uploaded{Owner: "85073003328", At: casefile.Attachment{Name: "foto-1.jpg", MediaType: "image/jpeg", URI: blobScheme + "photos/x"}}
	tok := a.sign(u)
	got, ok := a.verify(tok)
	require.True(t, ok)
	assert.Equal(t, u.Owner, got.Owner)
	assert.Equal(t, u.At.URI, got.At.URI)

	other := &Block{secret: newSecret()}
	_, ok = other.verify(tok)
	assert.False(t, ok, "another server's key does not verify it")
	body, mac, _ := strings.Cut(tok, ".")
	_, ok = a.verify(body + "x." + mac)
	assert.False(t, ok, "a changed token does not verify")
	_, ok = a.verify(a.sign(uploaded{Owner: "x", At: casefile.Attachment{URI: "https://elders.example/foto.jpg"}}))
	assert.False(t, ok, "only photos of the blobs")
}

// FuzzVerify: no input makes verify panic, and what it accepts is what
// sign made.
func FuzzVerify(f *testing.F) {
	a := &Block{secret: []byte("fuzz-secret-of-32-bytes-long....")}
	f.Add(a.sign(uploaded{Owner: "1", At: casefile.Attachment{URI: blobScheme + "photos/1"}}))
	f.Add("")
	f.Add(".")
	f.Add("eyJvIjoiMSJ9.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		u, ok := a.verify(tok)
		if ok {
			assert.Equal(t, tok, a.sign(u), "only sign's tokens verify")
		}
	})
}

func TestExcerptAndCoordinate(t *testing.T) {
	assert.Equal(t, "Matras naast de glasbol", excerpt("Matras  naast\nde glasbol", 80))
	assert.Equal(t, "abcde…", excerpt("abcdefgh", 5))
	assert.Equal(t, "50,86905", coordinate(50.869049))
}

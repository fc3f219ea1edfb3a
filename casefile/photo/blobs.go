package photo

import (
	"context"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// ErrNotFound reports a key that holds no blob.
var ErrNotFound = errs.ErrNotFound

// Blobs keeps photo bytes by key ("bijlagenopslag"). It is what a case
// needs of a storage, nothing more; package photoblob implements it over
// the Go Cloud blob drivers (a folder, S3-compatible storage, memory).
//
// A Blobs never serves anything itself: the caller serves a photo only to
// those allowed to see the case (the reporter and the clerks), through its
// own authorised handler, never from a public URL of the bucket.
type Blobs interface {
	// Put stores data under key, replacing what was there.
	Put(ctx context.Context, key string, data []byte, contentType string) error
	// Get returns the bytes under key, or an error that is ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes key; deleting a missing key returns ErrNotFound.
	Delete(ctx context.Context, key string) error
}

// NewKey returns a fresh key: "photos/" and a UUID v7. The UUID holds 62
// bits from crypto/rand besides its time, so a key cannot be guessed from
// another; but the key is not an access right: see Blobs.
func NewKey() string { return "photos/" + id.New().String() }

// Keys are where a stored photo's bytes are.
type Keys struct {
	Photo     string `json:"photo"`
	Thumbnail string `json:"thumbnail"`
}

// Store puts a processed photo and its thumbnail under fresh keys and
// returns them. When the thumbnail cannot be stored the photo is deleted
// again, so nothing is left without a reference.
func Store(ctx context.Context, b Blobs, p Photo) (Keys, error) {
	k := NewKey()
	keys := Keys{Photo: k, Thumbnail: k + "-thumb"}
	if err := b.Put(ctx, keys.Photo, p.Data, string(p.Format)); err != nil {
		return Keys{}, err
	}
	if err := b.Put(ctx, keys.Thumbnail, p.Thumbnail, string(JPEG)); err != nil {
		_ = b.Delete(ctx, keys.Photo)
		return Keys{}, err
	}
	return keys, nil
}

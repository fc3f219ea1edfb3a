package photo

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewKeyIsFreshV7(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := NewKey()
		require.True(t, strings.HasPrefix(k, "photos/"))
		u, err := uuid.Parse(strings.TrimPrefix(k, "photos/"))
		require.NoError(t, err)
		assert.Equal(t, uuid.Version(7), u.Version())
		assert.False(t, seen[k])
		seen[k] = true
	}
}

// failingBlobs keeps blobs in a map and fails the Put of one key suffix.
type failingBlobs struct {
	m      map[string][]byte
	failOn string
}

func (f *failingBlobs) Put(_ context.Context, key string, data []byte, _ string) error {
	if strings.HasSuffix(key, f.failOn) {
		return errors.New("disk full")
	}
	f.m[key] = data
	return nil
}

func (f *failingBlobs) Get(_ context.Context, key string) ([]byte, error) {
	if d, ok := f.m[key]; ok {
		return d, nil
	}
	return nil, ErrNotFound
}

func (f *failingBlobs) Delete(_ context.Context, key string) error {
	if _, ok := f.m[key]; !ok {
		return ErrNotFound
	}
	delete(f.m, key)
	return nil
}

func TestStoreLeavesNothingWhenTheThumbnailFails(t *testing.T) {
	p, err := Process(bytes.NewReader(jpegWithMetadata(t, marked(16, 16), 1)), Limits{})
	require.NoError(t, err)
	b := &failingBlobs{m: map[string][]byte{}, failOn: "-thumb"}
	_, err = Store(context.Background(), b, p)
	require.Error(t, err)
	assert.Empty(t, b.m)

	b.failOn = "never"
	keys, err := Store(context.Background(), b, p)
	require.NoError(t, err)
	assert.Len(t, b.m, 2)
	assert.Equal(t, p.Data, b.m[keys.Photo])
}

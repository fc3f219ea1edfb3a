package photoblob_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo/photoblob"
)

func processed(t *testing.T) photo.Photo {
	var enc bytes.Buffer
	require.NoError(t, jpeg.Encode(&enc, image.NewGray(image.Rect(0, 0, 40, 30)), nil))
	// A comment carrying a secret, which Process must drop before storage.
	in := append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x08}, "Secret"...)
	in = append(in, enc.Bytes()[2:]...)
	p, err := photo.Process(bytes.NewReader(in), photo.Limits{})
	require.NoError(t, err)
	return p
}

func TestBuckets(t *testing.T) {
	dir := t.TempDir()
	for _, url := range []string{"mem://", "file://" + filepath.ToSlash(dir)} {
		t.Run(strings.SplitN(url, ":", 2)[0], func(t *testing.T) {
			ctx := context.Background()
			b, err := photoblob.OpenBucket(ctx, url)
			require.NoError(t, err)
			defer func() { assert.NoError(t, b.Close()) }()

			p := processed(t)
			keys, err := photo.Store(ctx, b, p)
			require.NoError(t, err)
			assert.NotEqual(t, keys.Photo, keys.Thumbnail)

			got, err := b.Get(ctx, keys.Photo)
			require.NoError(t, err)
			assert.Equal(t, p.Data, got)
			thumb, err := b.Get(ctx, keys.Thumbnail)
			require.NoError(t, err)
			assert.Equal(t, p.Thumbnail, thumb)

			require.NoError(t, b.Delete(ctx, keys.Photo))
			_, err = b.Get(ctx, keys.Photo)
			assert.ErrorIs(t, err, photo.ErrNotFound)
			assert.ErrorIs(t, b.Delete(ctx, keys.Photo), photo.ErrNotFound)
			_, err = b.Get(ctx, "photos/"+uuid.NewString())
			assert.ErrorIs(t, err, photo.ErrNotFound)
		})
	}
	// The folder holds the thumbnail (the photo was deleted), no secret.
	var files int
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		if !d.IsDir() && !strings.HasSuffix(path, ".attrs") {
			files++
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.NotContains(t, string(data), "Secret")
		}
		return nil
	}))
	assert.Equal(t, 1, files)
}

func TestOpenBucketUnknownScheme(t *testing.T) {
	_, err := photoblob.OpenBucket(context.Background(), "s3://bucket")
	assert.Error(t, err, "s3 needs package s3photo")
}

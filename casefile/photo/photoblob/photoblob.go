// Package photoblob keeps photos ("foto's bij een melding") in a
// gocloud.dev/blob bucket: a folder on disk (fileblob), S3-compatible
// storage (import photoblob/s3photo) or memory (memblob, for tests). It
// implements photo.Blobs.
//
// It is apart from package photo because the Go Cloud blob package brings
// gRPC and OpenTelemetry into the build; processing photos needs neither.
package photoblob

import (
	"context"
	"fmt"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:///path
	_ "gocloud.dev/blob/memblob"  // mem://
	"gocloud.dev/gcerrors"

	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
)

var _ photo.Blobs = (*Bucket)(nil)

// Bucket is Blobs over a gocloud.dev/blob bucket.
type Bucket struct {
	b *blob.Bucket
}

// OpenBucket opens a bucket by URL: "file:///var/lib/meldingen/photos" (a
// folder, created if missing: add "?create_dir=true"), "mem://" (in memory,
// for tests). For S3-compatible storage ("s3://bucket?region=…&endpoint=…")
// also import package casefile/photo/photoblob/s3photo, which registers the driver;
// it is kept apart so that the AWS SDK is not in every build.
func OpenBucket(ctx context.Context, url string) (*Bucket, error) {
	b, err := blob.OpenBucket(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("photo: open bucket: %w", err)
	}
	return &Bucket{b: b}, nil
}

// NewBucket wraps a bucket opened by the caller.
func NewBucket(b *blob.Bucket) *Bucket { return &Bucket{b: b} }

// Close closes the bucket.
func (b *Bucket) Close() error { return b.b.Close() }

// Put stores data under key.
func (b *Bucket) Put(ctx context.Context, key string, data []byte, contentType string) error {
	err := b.b.WriteAll(ctx, key, data, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("photo: put %s: %w", key, err)
	}
	return nil
}

// Get returns the bytes under key.
func (b *Bucket) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := b.b.ReadAll(ctx, key)
	if err != nil {
		return nil, b.wrap("get", key, err)
	}
	return data, nil
}

// Delete removes key.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := b.b.Delete(ctx, key); err != nil {
		return b.wrap("delete", key, err)
	}
	return nil
}

func (b *Bucket) wrap(op, key string, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("photo: %s %s: %w", op, key, photo.ErrNotFound)
	}
	return fmt.Errorf("photo: %s %s: %w", op, key, err)
}

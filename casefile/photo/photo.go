package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"

	"golang.org/x/image/webp"
)

// Format is an image format by its media type.
type Format string

// The formats Process accepts; JPEG and PNG are also what it stores.
const (
	JPEG Format = "image/jpeg"
	PNG  Format = "image/png"
	WebP Format = "image/webp"
)

// Limits bounds what Process accepts. A zero field takes its default.
type Limits struct {
	// MaxBytes is the largest upload in bytes (default 20 MiB).
	MaxBytes int64
	// MaxPixels is the largest width×height (default 40 megapixels). It is
	// checked from the header, before any pixel is decoded, so a small file
	// that claims a huge image (a decompression bomb) costs nothing.
	MaxPixels int64
	// MaxSide is the largest width or height (default 12000).
	MaxSide int
	// Thumbnail is the longest side of the thumbnail (default 320).
	Thumbnail int
	// Quality is the JPEG quality of re-encoded images (default 88); the
	// thumbnail uses 80.
	Quality int
}

// DefaultLimits are the limits a zero Limits takes.
var DefaultLimits = Limits{MaxBytes: 20 << 20, MaxPixels: 40_000_000, MaxSide: 12000, Thumbnail: 320, Quality: 88}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultLimits.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultLimits.MaxSide
	}
	if l.Thumbnail <= 0 {
		l.Thumbnail = DefaultLimits.Thumbnail
	}
	if l.Quality <= 0 || l.Quality > 100 {
		l.Quality = DefaultLimits.Quality
	}
	return l
}

// Photo is an upload made safe to store: its metadata stripped, turned
// upright, with a thumbnail and the SHA-256 of the stored bytes.
type Photo struct {
	// Data are the bytes to store.
	Data []byte
	// Format is the format of Data: JPEG or PNG.
	Format Format
	// Source is the format of the upload as sniffed from its content.
	Source Format
	// Width and Height are the upright size in pixels.
	Width, Height int
	// Reencoded reports whether the pixels were decoded and encoded again
	// (a turned or WebP image); otherwise Data holds the uploaded
	// compressed pixels unchanged, only the metadata segments removed.
	Reencoded bool
	// Thumbnail is a JPEG of at most Limits.Thumbnail pixels on its longest side.
	Thumbnail []byte
	// ThumbWidth and ThumbHeight are the thumbnail's size.
	ThumbWidth, ThumbHeight int
	// SHA256 is the digest of Data, for the case's timeline.
	SHA256 [sha256.Size]byte
}

// Digest returns the SHA-256 of the stored bytes in lower-case hex.
func (p Photo) Digest() string { return hex.EncodeToString(p.SHA256[:]) }

// Processor runs Process with at most a fixed number of photos in memory at
// once: a 12-megapixel photo needs some 40 MB while it is decoded, so ten
// simultaneous uploads must not need ten times that.
type Processor struct {
	limits Limits
	sem    chan struct{}
}

// NewProcessor returns a Processor that processes at most concurrency
// photos at once (GOMAXPROCS when concurrency ≤ 0); the others wait.
func NewProcessor(limits Limits, concurrency int) *Processor {
	if concurrency <= 0 {
		concurrency = runtime.GOMAXPROCS(0)
	}
	return &Processor{limits: limits.withDefaults(), sem: make(chan struct{}, concurrency)}
}

var defaultProcessor = NewProcessor(DefaultLimits, 0)

// Process makes an upload safe to store, under the package's default
// concurrency bound (GOMAXPROCS photos at once). See Processor.Process.
func Process(r io.Reader, limits Limits) (Photo, error) {
	return defaultProcessor.process(context.Background(), r, limits.withDefaults())
}

// Process reads an upload and returns it safe to store, or an error that
// is ErrUnsupported, ErrTooLarge (a *LimitError) or ErrCorrupt.
//
// The type is sniffed from the content: a name or Content-Type is never
// trusted. The size is checked in bytes while reading and in pixels from
// the header before decoding. All metadata is removed: EXIF (with GPS
// position, camera serial number and time), XMP, IPTC, ICC profiles,
// comments, embedded thumbnails and appended data. When the EXIF
// orientation says the image is turned, the pixels are turned and encoded
// again first, so the photo shows upright without it. As in browsers (CSS
// Images 3), an orientation stored after the image data (a PNG's late
// eXIf, a WebP's EXIF chunk where its container puts it) is not applied:
// the photo is kept as the citizen saw it.
//
// A JPEG that is already upright keeps its compressed pixels bit for bit.
// A WebP is stored as JPEG when it is lossy and opaque (a photo: JPEG is
// what every viewer and case system shows, and Go has no WebP encoder), as
// PNG when it is lossless or has transparency (a screenshot or drawing,
// which JPEG would blur).
//
// It waits for a free slot when the Processor's bound is reached, or until
// ctx is done.
func (p *Processor) Process(ctx context.Context, r io.Reader) (Photo, error) {
	return p.process(ctx, r, p.limits)
}

func (p *Processor) process(ctx context.Context, r io.Reader, l Limits) (Photo, error) {
	// Read the head first: a non-image is refused before taking a slot.
	head := make([]byte, 16)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Photo{}, err
	}
	src := sniff(head)
	if src == "" {
		return Photo{}, unsupported("content starts with % x", head[:min(n, 8)])
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return Photo{}, ctx.Err()
	}
	defer func() { <-p.sem }()

	data, err := readLimited(io.MultiReader(bytes.NewReader(head), r), l.MaxBytes, int64(n)+remaining(r))
	if err != nil {
		return Photo{}, err
	}
	out, err := process(data, src, l)
	if err != nil {
		return Photo{}, err
	}
	out.SHA256 = sha256.Sum256(out.Data)
	return out, nil
}

// sniff names the format from the first bytes (the magic numbers of the
// JPEG, PNG and WebP specifications), or returns "".
func sniff(b []byte) Format {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return JPEG
	case bytes.HasPrefix(b, pngSignature):
		return PNG
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	}
	return ""
}

// remaining is how many bytes r says it still holds (a bytes.Reader,
// strings.Reader or multipart upload: Len or Size), or 0 when it does not
// say.
func remaining(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Size() int64 }:
		return v.Size()
	}
	return 0
}

// readLimited reads at most max bytes; sizeHint, when known, sizes the
// buffer once instead of growing it by doubling (which for a 4 MB photo
// allocates twice that).
func readLimited(r io.Reader, max, sizeHint int64) ([]byte, error) {
	var buf bytes.Buffer
	if sizeHint > 0 {
		buf.Grow(int(min(sizeHint, max) + 1))
	}
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, &LimitError{Limit: "bytes", Max: max, Got: n}
	}
	return buf.Bytes(), nil
}

func checkSize(cfg image.Config, l Limits) error {
	switch {
	case cfg.Width <= 0 || cfg.Height <= 0:
		return corrupt(errors.New("image has no pixels"))
	case cfg.Width > l.MaxSide:
		return &LimitError{Limit: "width", Max: int64(l.MaxSide), Got: int64(cfg.Width)}
	case cfg.Height > l.MaxSide:
		return &LimitError{Limit: "height", Max: int64(l.MaxSide), Got: int64(cfg.Height)}
	case int64(cfg.Width)*int64(cfg.Height) > l.MaxPixels:
		return &LimitError{Limit: "pixels", Max: l.MaxPixels, Got: int64(cfg.Width) * int64(cfg.Height)}
	}
	return nil
}

func process(data []byte, src Format, l Limits) (Photo, error) {
	var (
		stripped []byte
		orient   Orientation
		lossless bool
		err      error
		cfg      image.Config
	)
	switch src {
	case JPEG:
		if stripped, orient, err = stripJPEG(data); err != nil {
			return Photo{}, corrupt(err)
		}
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(stripped))
	case PNG:
		if stripped, orient, err = stripPNG(data); err != nil {
			return Photo{}, corrupt(err)
		}
		cfg, err = png.DecodeConfig(bytes.NewReader(stripped))
	case WebP:
		if orient, lossless, err = webpInfo(data); err != nil {
			return Photo{}, corrupt(err)
		}
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return Photo{}, corrupt(err)
	}
	if err := checkSize(cfg, l); err != nil {
		return Photo{}, err
	}

	out := Photo{Source: src, Format: src, Data: stripped, Width: cfg.Width, Height: cfg.Height}
	tw, th := thumbSize(cfg.Width, cfg.Height, l.Thumbnail)

	// An upright JPEG large enough is not decoded in full: its stored bytes
	// are the upload's, and the thumbnail comes from the DC coefficients
	// (1/8 scale), which also reads through all of the compressed data, so
	// a truncated or corrupt scan is still refused.
	if src == JPEG && !orient.needsTurn() && (cfg.Width+7)/8 >= tw && (cfg.Height+7)/8 >= th {
		small, err := dcImage(stripped)
		switch {
		case err == nil:
			return finish(out, shrink(small, tw, th))
		case !errors.Is(err, errDCUnsupported):
			return Photo{}, corrupt(err)
		}
	}

	img, err := decode(src, stripped, data)
	if err != nil {
		return Photo{}, corrupt(err)
	}
	if img.Bounds().Dx() != cfg.Width || img.Bounds().Dy() != cfg.Height {
		return Photo{}, corrupt(errors.New("decoded size differs from the header"))
	}
	thumb := upright(shrink(img, tw, th), orient)

	if orient.needsTurn() || src == WebP {
		img = upright(img, orient)
		out.Reencoded = true
		var buf bytes.Buffer
		if src == PNG || (src == WebP && lossless) {
			out.Format = PNG
			err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
		} else {
			out.Format = JPEG
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: l.Quality})
		}
		if err != nil {
			return Photo{}, err
		}
		out.Data = buf.Bytes()
	}
	b := img.Bounds()
	out.Width, out.Height = b.Dx(), b.Dy()
	return finish(out, thumb)
}

// finish encodes the thumbnail.
func finish(out Photo, thumb image.Image) (Photo, error) {
	var tb bytes.Buffer
	if err := jpeg.Encode(&tb, thumb, &jpeg.Options{Quality: 80}); err != nil {
		return Photo{}, err
	}
	out.Thumbnail = tb.Bytes()
	out.ThumbWidth, out.ThumbHeight = thumb.Bounds().Dx(), thumb.Bounds().Dy()
	return out, nil
}

func decode(src Format, stripped, data []byte) (image.Image, error) {
	switch src {
	case JPEG:
		return jpeg.Decode(bytes.NewReader(stripped))
	case PNG:
		return png.Decode(bytes.NewReader(stripped))
	default:
		return webp.Decode(bytes.NewReader(data))
	}
}

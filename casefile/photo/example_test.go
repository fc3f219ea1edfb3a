package photo_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo/photoblob"
)

// A citizen uploads a photo; it is processed, stored by a random key and
// its digest goes into the timeline.
func Example() {
	var upload bytes.Buffer
	_ = jpeg.Encode(&upload, image.NewGray(image.Rect(0, 0, 640, 480)), nil)

	p, err := photo.Process(&upload, photo.Limits{MaxBytes: 10 << 20})
	if err != nil {
		fmt.Println("geweigerd:", err)
		return
	}
	bucket, err := photoblob.OpenBucket(context.Background(), "mem://")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer bucket.Close()
	keys, err := photo.Store(context.Background(), bucket, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Format, p.Width, p.Height, p.ThumbWidth, p.ThumbHeight, len(p.Digest()), keys.Photo != "")
	// Output: image/jpeg 640 480 320 240 64 true
}

// Whatever the file is called, content that is not an image is refused.
func ExampleProcess_refused() {
	_, err := photo.Process(bytes.NewReader([]byte("<html>not a photo</html>")), photo.Limits{})
	fmt.Println(err != nil)
	// Output: true
}

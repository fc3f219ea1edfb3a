// Package s3photo registers the S3 driver of gocloud.dev/blob, so that
// photoblob.OpenBucket accepts "s3://bucket?region=…" URLs, for AWS S3 and for
// S3-compatible storage (MinIO, Ceph, Scaleway, OVH: add
// "&endpoint=https://…&use_path_style=true"). Credentials come from the
// usual AWS environment variables or shared config.
//
// It is a package of its own because the AWS SDK it pulls in is large:
// a municipality that keeps photos in a folder does not compile it.
//
//	import _ "github.com/lokaalbestuur/bouwstenen/casefile/photo/photoblob/s3photo"
package s3photo

import (
	_ "gocloud.dev/blob/s3blob" // registers "s3://"
)

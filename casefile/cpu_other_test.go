//go:build !unix

package casefile_test

import "time"

// processCPU returns 0 where getrusage is missing; cpu-ns/op is then 0.
func processCPU() time.Duration { return 0 }

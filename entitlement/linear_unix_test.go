//go:build unix

package entitlement_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// cpuTime returns the CPU time the process has used so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestJSONLoadTimeIsLinear compares 4 MB with 256 KB: linear is 16 times
// as long, quadratic 256 times; the bound, 64, leaves room for a busy
// machine. It counts the process's CPU time, not the wall clock, which
// other processes stretch.
func TestJSONLoadTimeIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	small, large := policyJSON(t, 256<<10), policyJSON(t, 4<<20)
	best := func(doc []byte) time.Duration {
		var b time.Duration
		for i := range 3 {
			runtime.GC()
			start := cpuTime(t)
			_, _, err := entitlement.ParsePolicy(doc)
			require.NoError(t, err)
			if d := cpuTime(t) - start; i == 0 || d < b {
				b = d
			}
		}
		return b
	}
	ts, tl := best(small), best(large)
	ratio := float64(tl) / float64(ts) * float64(len(small)) / float64(len(large)) * 16
	t.Logf("%d bytes: %v; %d bytes: %v; ratio scaled to 16 times the size: %.1f", len(small), ts, len(large), tl, ratio)
	assert.Less(t, ratio, 64.0)
}

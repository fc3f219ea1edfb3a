//go:build !linux

package assistant_test

import "time"

// cpuClock falls back to the wall clock where CPU time is not at hand.
type cpuClock struct{ start time.Time }

func startCPUClock() cpuClock { return cpuClock{time.Now()} }

func (c cpuClock) process() time.Duration { return time.Since(c.start) }

func (c cpuClock) thread() time.Duration { return time.Since(c.start) }

func (cpuClock) stop() {}

const cpuClockKind = "wall-clock time"

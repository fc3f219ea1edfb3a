package assistant_test

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// Linux's clocks of CPU time, which package syscall does not name.
const (
	clockProcessCPUTime = 2
	clockThreadCPUTime  = 3
)

// cpuClock measures CPU time, to the nanosecond: of the whole process for
// the index build (its garbage collection runs on other threads), of the
// calling goroutine's thread, which it locks, for a question. The timing
// budgets hold for the work itself, on a machine whose other processes
// take turns on the same cores.
type cpuClock struct{}

func startCPUClock() cpuClock {
	runtime.LockOSThread()
	return cpuClock{}
}

func clockTime(id uintptr) time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(errno)
	}
	return time.Duration(ts.Nano())
}

func (cpuClock) process() time.Duration { return clockTime(clockProcessCPUTime) }

func (cpuClock) thread() time.Duration { return clockTime(clockThreadCPUTime) }

func (cpuClock) stop() { runtime.UnlockOSThread() }

const cpuClockKind = "CPU time"

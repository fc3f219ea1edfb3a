package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// loadtestApp is the application_name of the load test's connections, so
// their server processes can be found in pg_stat_activity.
const loadtestApp = "portal-loadtest"

// backendCPU is the CPU time (user and system) each server process of the
// load test's connections has used, by process ID, read from /proc. It is
// nil where that cannot be read: PostgreSQL on another machine, a system
// without /proc.
func backendCPU(ctx context.Context, pool *pgxpool.Pool) map[int]time.Duration {
	rows, err := pool.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", loadtestApp)
	if err != nil {
		return nil
	}
	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			pids = append(pids, pid)
		}
	}
	rows.Close()
	out := map[int]time.Duration{}
	for _, pid := range pids {
		cpu, err := procCPU(pid)
		if err != nil {
			return nil
		}
		out[pid] = cpu
	}
	return out
}

// procCPU reads utime and stime of process pid from /proc/<pid>/stat, in
// the kernel's USER_HZ ticks of 10 ms.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15, the 12th and 13th after it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too short", pid)
	}
	var ticks int64
	for _, field := range f[11:13] {
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// cpuSince is the CPU time the processes in after used since before (a
// process that is new in after counts whole).
func cpuSince(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

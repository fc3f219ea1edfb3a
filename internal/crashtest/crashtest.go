// Package crashtest runs a test's child process — the test binary itself,
// started again to run one named test — so a test can kill it with SIGKILL
// at the worst moment and check what survives, as the crash tests of the
// outbox, the delivery dispatcher and the portal do.
package crashtest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Start runs the test named test (a ^name$ pattern is made of it) in a new
// process of this test binary, with env added to this process's
// environment. It returns the process and a scanner over its standard
// output; the process is killed when t ends, if it still runs.
func Start(t *testing.T, test string, env ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("crashtest: %v", err)
	}
	cmd := exec.Command(exe, "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("crashtest: %v", err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("crashtest: start %s: %v", test, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, bufio.NewScanner(out)
}

// Line waits for the child's first line that starts with prefix and
// returns it; it fails t when the child ends without one.
func Line(t *testing.T, sc *bufio.Scanner, prefix string) string {
	t.Helper()
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), prefix) {
			return sc.Text()
		}
	}
	t.Fatalf("crashtest: the child ended without printing %q", prefix)
	return ""
}

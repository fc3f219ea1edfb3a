package demoidp_test

import (
	"log/slog"
	"os"
	"testing"
)

// TestMain keeps the op package's warnings about the refusals these tests
// provoke on purpose out of the output; errors still show.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	os.Exit(m.Run())
}

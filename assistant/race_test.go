//go:build race

package assistant_test

// raceEnabled reports a -race build, whose slowdown voids timing budgets.
const raceEnabled = true

//go:build !race

package assistant_test

const raceEnabled = false

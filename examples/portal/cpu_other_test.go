//go:build !unix

package main

import "time"

// processCPU is -1: this system does not say.
func processCPU() time.Duration { return -1 }

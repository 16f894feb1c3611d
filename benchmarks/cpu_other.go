//go:build !unix

package main

import "time"

// processCPU is zero where the harness cannot read the process's CPU time:
// the reports then leave CPU per request out.
func processCPU() time.Duration { return 0 }

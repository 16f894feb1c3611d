//go:build !unix

package main

import "time"

// processCPU is zero where the harness cannot read the process's CPU time:
// the reports then show "–" for CPU per request.
func processCPU() time.Duration { return 0 }

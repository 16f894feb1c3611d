//go:build unix

package main

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used so far, in user and kernel
// mode, over all its threads; zero where the system does not say.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

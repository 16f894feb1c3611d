//go:build !linux

package testserver

import "syscall"

// sysProcAttr returns the default attributes: only Linux can make a child die
// with its parent, so elsewhere Close must run for servers to stop.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}

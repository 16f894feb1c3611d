package testserver

import "syscall"

// sysProcAttr makes a child die with SIGKILL when the test binary exits.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

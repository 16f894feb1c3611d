//go:build unix

package lazybytes

import "syscall"

func mapped(n int) ([]byte, func(), bool) {
	if n <= 0 {
		return nil, nil, false
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { syscall.Munmap(b) }, true
}

package ristretto

import (
	"runtime"
	"testing"
	"time"
)

// TestGuardLockWaitsForCalls checks that lock waits for a call in progress,
// whichever stripe it took, including a stripe handed out again after the
// garbage collector emptied the pool.
func TestGuardLockWaitsForCalls(t *testing.T) {
	tests := []struct {
		name  string
		setup func(g *guard)
	}{
		{"a call on this processor's stripe", func(*guard) {}},
		{"a call after the pool was emptied", func(*guard) { runtime.GC(); runtime.GC() }},
		{"a call beside calls on every stripe", func(g *guard) {
			for range 3 * len(g.stripes) {
				g.done(g.share())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard()
			tt.setup(&g)
			call := g.share()
			locked := make(chan struct{})
			go func() {
				g.lock()
				close(locked)
				g.unlock()
			}()
			select {
			case <-locked:
				t.Fatal("lock returned while a call was in progress")
			case <-time.After(20 * time.Millisecond):
			}
			g.done(call)
			<-locked
		})
	}
}

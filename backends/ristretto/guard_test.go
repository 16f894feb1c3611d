package ristretto

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestGuardLockWaitsForCalls checks that lock waits for every call in
// progress, whichever stripe it took: a call on each stripe alone, calls on
// every stripe ended one by one, and a call on the stripe the pool hands out
// once the garbage collector has emptied it.
func TestGuardLockWaitsForCalls(t *testing.T) {
	type test struct {
		name  string
		calls func(g *guard) []*stripe // the calls lock must wait for
	}
	var tests []test
	n := len(newGuard().stripes)
	for i := range n {
		tests = append(tests, test{fmt.Sprintf("a call alone on one stripe, %d of %d", i+1, n), func(g *guard) []*stripe {
			held := callsOnEveryStripe(g)
			for j, call := range held {
				if j != i {
					g.done(call)
				}
			}
			return held[i : i+1]
		}})
	}
	tests = append(tests,
		test{"calls on every stripe", callsOnEveryStripe},
		test{"a call on a stripe handed out after the pool was emptied", func(g *guard) []*stripe {
			g.done(g.share())
			runtime.GC()
			runtime.GC()
			return []*stripe{g.share()}
		}},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard()
			calls := tt.calls(&g)
			locked := make(chan struct{})
			go func() {
				g.lock()
				close(locked)
				g.unlock()
			}()
			for i, call := range calls {
				select {
				case <-locked:
					t.Fatalf("lock returned while %d calls were in progress", len(calls)-i)
				case <-time.After(20 * time.Millisecond):
				}
				g.done(call)
			}
			<-locked
		})
	}
}

// callsOnEveryStripe begins a call on each stripe of a new guard: held at
// once, the calls find the pool empty, and each gets the next stripe in turn.
// It panics if two calls share a stripe, as the rows that rely on it would
// then leave a stripe untested.
func callsOnEveryStripe(g *guard) []*stripe {
	calls := make([]*stripe, len(g.stripes))
	seen := map[*stripe]bool{}
	for i := range calls {
		calls[i] = g.share()
		if seen[calls[i]] {
			panic("callsOnEveryStripe: two calls got the same stripe")
		}
		seen[calls[i]] = true
	}
	return calls
}

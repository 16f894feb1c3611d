package ristretto

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// guard keeps Close and Clear, which ristretto forbids while any other call is
// inside the cache, away from the calls that go in, and lets those calls run
// side by side.
//
// A single sync.RWMutex would do it, but each RLock and RUnlock writes the
// mutex's reader count: one cache line, which every core writes in turn on a
// busy store. So each processor keeps to a mutex of its own: a call takes one
// from a sync.Pool, whose per-processor slot hands the same one back to the
// next call there, and RUnlocks the mutex it RLocked, wherever it runs by then.
// Close and Clear lock them all.
//
// Around a ristretto Get from two cores (BenchmarkGuard), one RWMutex made the
// Get take 2.7 to 3.3 times as long as without it on one hot key, and 2.5
// times over 1,000 keys; a stripe picked at random 2.0 to 2.3 times; this 1.5
// to 1.65 times. Alone, the RWMutex added 10 ns to the Get and this 20 ns:
// the pool's price, paid once per call.
type guard struct {
	stripes []stripe
	free    *sync.Pool // of *stripe
}

// stripe is a mutex padded to 128 bytes, so that no two share a cache line or
// the line beside it, which some CPUs fetch in pairs.
type stripe struct {
	sync.RWMutex
	_ [128 - unsafe.Sizeof(sync.RWMutex{})]byte
}

// newGuard returns a guard with two stripes per usable CPU, so that when
// goroutines that moved between processors, or a pool that the garbage
// collector emptied, shuffle the stripes, two processors rarely end up sharing
// one. New stripes are handed out in turn.
func newGuard() guard {
	g := guard{stripes: make([]stripe, 2*runtime.GOMAXPROCS(0))}
	var next atomic.Uint32
	stripes := g.stripes
	g.free = &sync.Pool{New: func() any {
		return &stripes[next.Add(1)%uint32(len(stripes))]
	}}
	return g
}

// share read-locks this processor's stripe for one call and returns it, for
// done. A call holds one stripe at a time and calls nothing that locks the
// guard (Close, Clear) before done: lock, which takes the stripes one by one,
// could then wait for a call that waits for it.
func (g *guard) share() *stripe {
	st := g.free.Get().(*stripe)
	st.RLock()
	return st
}

// done ends a call begun by share.
func (g *guard) done(st *stripe) {
	st.RUnlock()
	g.free.Put(st)
}

// lock waits for every call in progress to finish and keeps new ones out until
// unlock.
func (g *guard) lock() {
	for i := range g.stripes {
		g.stripes[i].Lock()
	}
}

func (g *guard) unlock() {
	for i := range g.stripes {
		g.stripes[i].Unlock()
	}
}

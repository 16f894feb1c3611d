package middleware

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Breaker settings: after failuresToTrip store errors in a row the store is
// left alone for a backoff that starts at minBackoff and doubles, up to
// maxBackoff, each time a probe finds it still failing.
const (
	failuresToTrip = 5
	minBackoff     = time.Second
	maxBackoff     = 30 * time.Second
)

// breaker keeps a store that stays down from being asked on every request:
// it trips after repeated failures, then lets one probe request through per
// backoff and closes on the first success. On the hit path it costs one
// atomic load.
type breaker struct {
	tripped  atomic.Bool
	failures atomic.Int32 // in a row
	now      func() time.Time
	log      *slog.Logger

	mu      sync.Mutex
	backoff time.Duration
	retryAt time.Time
	probing bool
}

// allow reports whether the store may be asked now. While tripped it admits
// one probe per backoff.
func (b *breaker) allow() bool {
	if !b.tripped.Load() {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.tripped.Load() {
		return true
	}
	if b.probing || b.now().Before(b.retryAt) {
		return false
	}
	b.probing = true
	return true
}

// success records a store call that worked.
func (b *breaker) success() {
	if !b.tripped.Load() && b.failures.Load() == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tripped.Load() {
		b.log.Info("middleware: store is back up")
	}
	b.failures.Store(0)
	b.backoff, b.probing = 0, false
	b.tripped.Store(false)
}

// failure records a store call that failed.
func (b *breaker) failure(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.failures.Add(1)
	switch {
	case b.tripped.Load() && b.probing:
		// The probe failed: wait longer. (Calls that were already under
		// way when the breaker tripped fail too; they do not count.)
		b.probing = false
		b.backoff = min(2*b.backoff, maxBackoff)
		b.retryAt = b.now().Add(b.backoff)
	case b.tripped.Load():
	case n >= failuresToTrip:
		b.backoff = minBackoff
		b.retryAt = b.now().Add(b.backoff)
		b.tripped.Store(true)
		b.log.Warn("middleware: store is down; serving uncached and probing", "failures", n, "err", err)
	}
}

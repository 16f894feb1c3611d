package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/plugcache/plugcache"
)

// health runs the stores' round-trip check for /readyz and the status page,
// and keeps its results for maxAge, so that probes and page loads, however
// many, cost the stores one round trip per plugin every few seconds. It is
// safe for concurrent use: while a check runs, callers wait for it.
type health struct {
	check   func(context.Context) []plugcache.CheckResult
	maxAge  time.Duration
	timeout time.Duration // bound on one check

	mu   sync.Mutex
	last []plugcache.CheckResult
	at   time.Time
}

// Health check settings.
const (
	checkMaxAge  = 2 * time.Second
	checkTimeout = 10 * time.Second
)

// newHealth returns the health of mgr's stores.
func newHealth(mgr *plugcache.Manager) *health {
	return &health{check: mgr.Check, maxAge: checkMaxAge, timeout: checkTimeout}
}

// results returns the latest check and when it ran, running one first when
// the latest is older than maxAge. The check runs on a context of its own
// rather than ctx, so that a caller who goes away does not leave a
// failed check behind for the others.
func (h *health) results(ctx context.Context) ([]plugcache.CheckResult, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last != nil && time.Since(h.at) < h.maxAge {
		return h.last, h.at
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.timeout)
	defer cancel()
	h.last, h.at = h.check(cctx), time.Now()
	return h.last, h.at
}

// checkAtStart makes the stores' round trip once before serving. A store that
// fails is logged with the reason and left to fail open (served uncached
// until it answers), or, with require, refused as an error.
func checkAtStart(ctx context.Context, h *health, require bool, logger *slog.Logger) error {
	results, _ := h.results(ctx)
	var failed []error
	for _, r := range results {
		if r.Err == nil {
			logger.Info("store answers", "plugin", r.Plugin, "store", r.Store, "connection", r.Connection, "round_trip", r.Latency.Round(time.Microsecond))
			continue
		}
		if require {
			failed = append(failed, &storeError{r})
			continue
		}
		logger.Warn("store does not answer; serving this plugin uncached until it does", "plugin", r.Plugin, "store", r.Store, "connection", r.Connection, "err", r.Err)
	}
	if len(failed) > 0 {
		return &requireError{failed}
	}
	return nil
}

// storeError is one plugin's failed round trip.
type storeError struct{ r plugcache.CheckResult }

func (e *storeError) Error() string {
	return "plugin " + e.r.Plugin + " (" + e.r.Connection + "): " + e.r.Err.Error()
}

func (e *storeError) Unwrap() error { return e.r.Err }

// requireError is --require-store's refusal to start.
type requireError struct{ errs []error }

func (e *requireError) Error() string {
	s := "--require-store: refusing to start: "
	for i, err := range e.errs {
		if i > 0 {
			s += "; "
		}
		s += err.Error()
	}
	return s
}

func (e *requireError) Unwrap() []error { return e.errs }

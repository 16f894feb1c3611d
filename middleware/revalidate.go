package middleware

import (
	"net/http"
)

// refresh revalidates a stale response that was served under
// stale-while-revalidate (RFC 5861 §3): once per key at a time, at most
// MaxRefreshes at once (a refresh past the bound is skipped: the next stale
// hit asks again), detached from the request that found it stale, whose
// client has its answer already. It runs on a goroutine of its own, or, with
// Options.InlineRefresh, on the request's own after the response has been
// flushed, for frameworks whose wrapped handler belongs to one request.
func (c *Cache) refresh(w http.ResponseWriter, key string, r *http.Request, next http.Handler, stale found) {
	if _, running := c.refreshing.LoadOrStore(key, struct{}{}); running {
		return
	}
	select {
	case c.refreshes <- struct{}{}:
	default:
		c.refreshing.Delete(key)
		return
	}
	out := detached(r)
	for _, h := range []string{"If-None-Match", "If-Modified-Since", "Range"} {
		delete(out.Header, h) // the client's; the refresh asks for itself
	}
	run := func() {
		defer func() {
			<-c.refreshes
			c.refreshing.Delete(key)
		}()
		res := c.fetchOne(&discard{}, out, next, key, fetchPlan{fwd: fwdStale, stale: &stale, background: true})
		if res.panicked != nil {
			c.opts.Logger.Error("middleware: handler panicked in a stale-while-revalidate refresh", "panic", res.panicked)
		}
	}
	if c.opts.InlineRefresh {
		_ = http.NewResponseController(w).Flush()
		run()
		return
	}
	go run()
}

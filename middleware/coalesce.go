package middleware

import (
	"net/http"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/rfc9111"
)

// serveCollapsed answers a request that waited on another's fetch of the same
// key, from the response that fetch got. It reports false when that response
// may not answer this request: it may not be reused without asking the origin
// (private, Set-Cookie, not storable, stale at once, too large, the handler
// failed or its client went away), or it is for another variant than the one
// this request selects. The request then goes to the handler itself. The
// response is shared whether or not the store took it.
func (c *Cache) serveCollapsed(w http.ResponseWriter, r *http.Request, plan fetchPlan, res *fetched) bool {
	if res.shared == nil || c.keyer.VariantKey(res.base, res.vary, r.Header) != res.variant {
		return false
	}
	v, err := entry.ParseVerified(res.shared) // made by this process: no checksum to check
	if err != nil {
		return false
	}
	// Only a fresh response is shared: one stale at once (no-cache, an Age
	// past its lifetime), or stale by now after waiting in Cache.recent, may
	// not be reused without asking the origin. The waiter's own directives
	// do not count: the response comes from the origin just now.
	f := facts(&v, c.opts.now())
	if verdict, _ := rfc9111.Use(rfc9111.Directives{}, f); verdict != rfc9111.Fresh {
		return false
	}
	c.respondStored(w, r, &v, f.Age, status{fwd: plan.fwd, collapsed: true, detail: plan.statusDetail("")})
	c.emitPlanned(plan, Event{Request: r, Result: Miss, Detail: "collapsed", Status: v.Status, Collapsed: true})
	return true
}

// finishedFor is how long a finished fetch's response stays in Cache.recent
// for the requests that missed while it ran but came to fetch after it had
// finished. They need microseconds to get there, or up to the store's timeout
// when their lookup failed (a plugin client's lookup may make two calls): with
// timeouts over half a second, some may come too late and call the handler
// again. Beyond that, it only bounds the memory.
const finishedFor = time.Second

// finishedFetch is a fetch whose response may be shared, numbered in the
// order fetches finished.
type finishedFetch struct {
	seq uint64
	res *fetched
}

// finish makes the response of a fetch that may share it available to the
// requests that missed before the fetch finished but reach fetch only now,
// which would otherwise call the handler a second time.
func (c *Cache) finish(key string, res *fetched) {
	if res.shared == nil {
		return
	}
	f := &finishedFetch{seq: c.finished.Add(1), res: res}
	c.recent.Store(key, f)
	time.AfterFunc(finishedFor, func() { c.recent.CompareAndDelete(key, f) })
}

// servedByFinished answers a miss from a fetch of its key that finished after
// the miss's lookup, as if it had waited on that fetch, and reports whether it
// did. A request whose lookup came after the fetch finished found the stored
// response itself, or has reasons of its own to ask the origin again (among
// them a store that failed to keep the response).
func (c *Cache) servedByFinished(w http.ResponseWriter, r *http.Request, key string, plan fetchPlan) bool {
	if plan.stale != nil {
		return false
	}
	v, ok := c.recent.Load(key)
	if !ok {
		return false
	}
	f := v.(*finishedFetch)
	return f.seq > plan.seen && c.serveCollapsed(w, r, plan, f.res)
}

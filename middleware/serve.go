package middleware

import (
	"context"
	"net/http"
	"strings"

	"github.com/plugcache/plugcache/internal/rfc9111"
)

// serve decides what a request gets and hands it to the function that does
// it. It decides nothing about HTTP caching itself: those rules are in
// internal/rfc9111.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		c.passUnsafe(w, r, next)
		return
	case r.Method == http.MethodGet && !c.answerGet, r.Method == http.MethodHead && !c.answerHead:
		c.bypass(w, r, next, status{fwd: fwdMethod})
		return
	case isUpgrade(r):
		c.passUpgrade(w, r, next)
		return
	case r.ContentLength > 0 || len(r.TransferEncoding) > 0:
		// Not RFC 9111: a GET's body has no defined meaning (RFC 9110
		// §9.3.1), but some APIs read it, as search APIs do a query, and the
		// key does not hold it: requests with different bodies would meet.
		// Not ContentLength != 0: an HTTP/2 GET whose headers do not end
		// the stream has length -1 and, almost always, no body.
		c.bypass(w, r, next, status{fwd: fwdBypass, detail: "body"})
		return
	case rfc9111.ForwardedConditional(r.Header):
		// RFC 9111 §4.3.2: If-Match, If-Unmodified-Since and If-Range are
		// for the origin to evaluate.
		c.bypass(w, r, next, status{fwd: fwdBypass, detail: "conditional"})
		return
	}
	key, ok := c.keyer.Key(r)
	if !ok {
		c.bypass(w, r, next, status{fwd: fwdBypass, detail: "key"})
		return
	}
	req := rfc9111.RequestDirectives(r.Header)
	seen := c.finished.Load() // before the lookup: see coalesce.go
	if !c.breaker.allow() {
		c.serveWithoutStore(w, r, next, key, req, fetchPlan{fwd: fwdBypass, detail: storeDownDetail, seen: seen, storeDown: true})
		return
	}
	ctx, cancel := lookupContext(r)
	found, err := c.lookup(ctx, key, r)
	cancel()
	switch {
	case err != nil:
		c.storeFailed(r, err)
		c.serveWithoutStore(w, r, next, key, req, fetchPlan{fwd: fwdMiss, detail: errorDetail(err), seen: seen, lookupErr: err})
	case found.ok:
		c.serveStored(w, r, next, key, req, &found)
	case req.OnlyIfCached:
		c.onlyIfCached(w, r, fetchPlan{})
	case present(r.Header, "Range"):
		c.bypass(w, r, next, status{fwd: found.fwd, detail: "range"})
	case r.Method == http.MethodHead:
		c.bypass(w, r, next, status{fwd: found.fwd})
	default:
		c.fetch(w, r, next, key, fetchPlan{fwd: found.fwd, seen: seen})
	}
}

// lookupContext is the context of r's lookup: r's values and deadline, but
// not its cancellation. A client that has left is no store failure for the
// breaker to count; the store's timeout, or r's deadline when it has one,
// still bounds the call.
func lookupContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx := context.WithoutCancel(r.Context())
	if deadline, ok := r.Context().Deadline(); ok {
		return context.WithDeadline(ctx, deadline)
	}
	return ctx, func() {}
}

// storeDownDetail is the Cache-Status detail of a request that left alone a
// store the breaker holds down.
const storeDownDetail = "store-down"

// serveWithoutStore serves a request the store gave no answer for: its lookup
// failed, or the breaker holds the store down (plan says which). A plain GET
// still goes through fetch, so that the requests for one key that come
// together call the origin once: a store in trouble must not multiply the
// origin's load. With DisableCoalescing, a GET whose response would not be
// stored is simply passed through. So is any other request, uncached, but
// for only-if-cached, which has no stored response to get and gets a 504.
func (c *Cache) serveWithoutStore(w http.ResponseWriter, r *http.Request, next http.Handler, key string, req rfc9111.Directives, plan fetchPlan) {
	switch {
	case req.OnlyIfCached:
		c.onlyIfCached(w, r, plan)
	case r.Method == http.MethodGet && !present(r.Header, "Range") && !(c.opts.DisableCoalescing && plan.skipsStore()):
		c.fetch(w, r, next, key, plan)
	case plan.lookupErr != nil:
		c.bypassAfterError(w, r, next, plan.lookupErr)
	default:
		c.bypass(w, r, next, status{fwd: plan.fwd, detail: plan.detail})
	}
}

// serveStored answers from a stored response, or revalidates it, as the
// freshness rules say.
func (c *Cache) serveStored(w http.ResponseWriter, r *http.Request, next http.Handler, key string, req rfc9111.Directives, found *found) {
	now := c.opts.now()
	facts := found.facts(now)
	verdict, why := rfc9111.Use(req, facts)
	ttl := ttlSeconds(facts)
	switch {
	case verdict == rfc9111.Revalidate && req.OnlyIfCached:
		c.onlyIfCached(w, r, fetchPlan{})
	case verdict == rfc9111.Revalidate:
		fwd := fwdStale
		if requestDriven(why) {
			fwd = fwdRequest
		}
		// The plan outlives this frame (coalesced waiters read it), so it
		// gets a copy: found itself stays on the stack on the hit path.
		stale := *found
		c.fetch(w, r, next, key, fetchPlan{fwd: fwd, detail: why, stale: &stale})
	case present(r.Header, "Range") && found.view.Status != http.StatusOK && !req.OnlyIfCached:
		c.bypass(w, r, next, status{fwd: fwdBypass, detail: "range"})
	case verdict == rfc9111.StaleWhileRevalidate:
		c.respondStored(w, r, &found.view, facts.Age, status{hit: true, ttl: ttl, hasTTL: true, detail: "stale-while-revalidate"})
		c.emit(r, Stale, "stale-while-revalidate", found.view.Status, false, nil)
		c.refresh(w, key, r, next, *found)
	default: // Fresh, or StaleAllowed by the request's max-stale
		c.respondStored(w, r, &found.view, facts.Age, status{hit: true, ttl: ttl, hasTTL: true})
		res := Hit
		if verdict == rfc9111.StaleAllowed {
			res = Stale
		}
		c.emit(r, res, "", found.view.Status, false, nil)
	}
}

// requestDriven reports whether Use sent the request to the origin because of
// the request's own directives rather than the response's staleness.
func requestDriven(why string) bool {
	return strings.HasPrefix(why, "request-")
}

func isUpgrade(r *http.Request) bool {
	return present(r.Header, "Upgrade")
}

// present reports whether h has a non-empty field canonicalName, as
// h.Get(canonicalName) != "" would, without canonicalising the name again:
// the hit path asks for a dozen fields.
func present(h http.Header, canonicalName string) bool {
	v := h[canonicalName]
	return len(v) > 0 && v[0] != ""
}

// onlyIfCached answers a request that may only be served from the cache
// when it cannot be (RFC 9111 §5.2.1.7), with a 504. The event counts it
// under plan, so that a store's trouble is still seen.
func (c *Cache) onlyIfCached(w http.ResponseWriter, r *http.Request, plan fetchPlan) {
	const detail = "only-if-cached"
	status{detail: detail}.set(w.Header())
	w.WriteHeader(http.StatusGatewayTimeout)
	c.emitPlanned(plan, Event{Request: r, Result: Bypass, Detail: detail, Status: http.StatusGatewayTimeout})
}

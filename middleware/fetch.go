package middleware

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/rfc9111"
)

// fetchPlan says why the origin is asked, and what the cache holds already.
type fetchPlan struct {
	fwd        string // Cache-Status fwd: uri-miss, vary-miss, stale or request
	detail     string // why a stored response was not used
	stale      *found // the stored response being revalidated; nil on a miss
	background bool   // a stale-while-revalidate refresh: no client, no event
	seen       uint64 // Cache.finished before the lookup that missed
	lookupErr  error  // the store failed the lookup: the request counts as an Error
	storeDown  bool   // the breaker holds the store down: the request counts as a Bypass
}

// troubled reports whether the store gave no answer for this request: its
// lookup failed, or the breaker holds it down. Cache-Status then keeps the
// detail that says so.
func (p *fetchPlan) troubled() bool {
	return p.lookupErr != nil || p.storeDown
}

// skipsStore reports whether the response is to be left out of the store:
// the store is held down, or it just failed this request's lookup and would
// most likely fail the Set too, after its whole timeout, with the client
// waiting. Bytes that did not decode are the exception: the store answered,
// and the response replaces them.
func (p *fetchPlan) skipsStore() bool {
	return p.storeDown || p.lookupErr != nil && !errors.Is(p.lookupErr, ErrCorrupt)
}

// statusDetail is the Cache-Status detail of a response from the origin that
// was not stored for reason: the store's trouble, when there was some, which
// an operator needs to see first.
func (p *fetchPlan) statusDetail(reason string) string {
	if p.troubled() {
		return p.detail
	}
	return reason
}

// fetched is what one fetch produced, shared with the requests that waited
// on it.
type fetched struct {
	shared   []byte   // the response in stored form; nil when it was not worth keeping
	saved    bool     // the store took it
	base     string   // the start of its variant keys: the primary key, with the Vary index's epoch when one was stored
	variant  string   // its variant key: what VariantKey gives for base, vary and a request it answers
	vary     []string // its Vary names
	panicked any      // the handler's panic, for the leader to raise again
}

// fetch asks the origin, once for all the requests that want key at the same
// time: the first runs fetchOne and the others share its response when it
// may be reused for the variant they select, or else go to the handler
// themselves (coalesce.go).
func (c *Cache) fetch(w http.ResponseWriter, r *http.Request, next http.Handler, key string, plan fetchPlan) {
	if c.opts.DisableCoalescing {
		c.fetchOne(w, r, next, key, plan)
		return
	}
	if c.servedByFinished(w, r, key, plan) {
		return
	}
	led := false
	v, _, _ := c.flights.Do(key, func() (any, error) {
		led = true
		res := c.fetchOne(w, r, next, key, plan)
		c.finish(key, res)
		return res, nil
	})
	res := v.(*fetched)
	if led {
		if res.panicked != nil {
			panic(res.panicked)
		}
		return
	}
	if !c.serveCollapsed(w, r, plan, res) {
		if res := c.fetchOne(w, r, next, key, plan); res.panicked != nil {
			panic(res.panicked)
		}
	}
}

// fetchOne sends r to the origin and serves the answer: on a miss it streams
// the response to the client while keeping a copy; when revalidating, or when
// the client's own request is conditional, it holds the response until it
// knows what to send. It stores what may be stored.
func (c *Cache) fetchOne(w http.ResponseWriter, r *http.Request, next http.Handler, key string, plan fetchPlan) *fetched {
	requestTime := c.opts.now()
	conditional := rfc9111.EvaluatedConditional(r.Header)
	revalidating := plan.stale != nil && hasValidators(&plan.stale.view)
	out := r
	if conditional || revalidating {
		out = r.Clone(r.Context())
		delete(out.Header, "If-None-Match")
		delete(out.Header, "If-Modified-Since")
		if revalidating {
			setValidators(out.Header, &plan.stale.view)
		}
	}
	f := &fetching{c: c, client: w, req: r, plan: plan}
	// Holding the response lets the cache answer with a 304 the client asked
	// for, or with the stale response when the origin fails.
	cw := f.writer(conditional || plan.stale != nil)
	panicked := serveRecovering(next, cw, out)
	f.done = true

	facts := rfc9111.Stored{}
	if plan.stale != nil {
		facts = plan.stale.facts(c.opts.now())
	}
	req := rfc9111.RequestDirectives(r.Header)
	switch {
	case panicked != nil && plan.stale != nil && !cw.committed && rfc9111.UsableOnError(req, facts):
		c.opts.Logger.Error("middleware: handler panicked; serving the stale response", "panic", panicked)
		return c.serveStaleOnError(w, r, plan, facts, http.StatusInternalServerError)
	case panicked != nil:
		return &fetched{panicked: panicked}
	}
	cw.finish()

	if plan.stale != nil && !cw.committed {
		switch {
		case revalidating && cw.status == http.StatusNotModified:
			if stored := plan.stale.view.Header(); rfc9111.ConfirmsRevalidation(stored, cw.snap) {
				return c.serveFreshened(w, r, key, plan, stored, cw.snap, requestTime, f.responseTime)
			}
			// The 304 is about some other response than the stored one, and
			// the client did not ask for it: ask again, unconditionally.
			plan.stale, plan.detail = nil, "revalidation-mismatch"
			return c.fetchOne(w, r, next, key, plan)
		case cw.status >= 500 && rfc9111.UsableOnError(req, facts):
			return c.serveStaleOnError(w, r, plan, facts, cw.status)
		}
	}
	if conditional && !cw.committed && cw.status == http.StatusOK && rfc9111.NotModified(r.Method, r.Header, cw.snap.Get("Etag"), cw.snap.Get("Last-Modified"), cw.snap.Get("Date")) {
		cw.committed = true
		writeNotModified(w, cw.snap, status{fwd: plan.fwd, stored: f.storable && !plan.skipsStore() && cw.complete(), detail: plan.statusDetail("")})
	} else {
		cw.commit()
	}

	res := &fetched{}
	// A client that went away may have cut the handler short, and without a
	// declared length nothing shows whether it did. With one, complete has
	// checked the body against it: a client that closed once it had the
	// whole response must not keep it from the cache.
	if f.storable && cw.complete() && (cw.declaresLength || r.Context().Err() == nil) {
		res = c.save(r, key, c.newEntry(cw.status, cw.snap, cw.snap, cw.body, requestTime, f.responseTime), plan.skipsStore())
	}
	if !plan.background {
		c.emitPlanned(plan, Event{Request: r, Result: Miss, Detail: firstNonEmpty(f.reason, plan.detail), Status: cw.status, Stored: res.saved})
	}
	return res
}

// emitPlanned records ev, what became of a request served under plan: by the
// origin, for it or for the request it waited on, or with a 504 for
// only-if-cached. When the store gave no answer, that decides the result
// instead: an Error for a lookup that failed, a Bypass for a store held down
// by the breaker, whatever the request then shared.
func (c *Cache) emitPlanned(plan fetchPlan, ev Event) {
	if c.opts.OnEvent == nil {
		return
	}
	switch {
	case plan.lookupErr != nil:
		ev.Result, ev.Detail, ev.Err = Error, errorDetail(plan.lookupErr), plan.lookupErr
	case plan.storeDown:
		ev.Result, ev.Detail = Bypass, storeDownDetail
	}
	c.opts.OnEvent(ev)
}

// fetching is what fetchOne learns of the origin's response as it comes.
type fetching struct {
	c            *Cache
	client       http.ResponseWriter
	req          *http.Request
	plan         fetchPlan
	responseTime time.Time
	storable     bool
	reason       string // why not storable
	done         bool   // the handler has returned
}

// writer returns the writer the origin answers into: it decides at the
// status whether the response may be stored, and tells the client so in
// Cache-Status when the response starts to go out. A holding writer keeps the
// whole response back, up to MaxBodySize, for fetchOne to decide what to send.
func (f *fetching) writer(holding bool) *writer {
	c := f.c
	cw := &writer{client: f.client, header: http.Header{}, max: int(c.opts.MaxBodySize), hold: teeHold}
	if holding {
		cw.hold = cw.max
	}
	cw.onHeader = func(cw *writer) {
		f.responseTime = c.opts.now()
		// Flushes are held back only from a response that the stored one
		// may yet replace: a 304 that confirms it, or a 5xx that
		// stale-if-error covers. Any other response streams as it comes.
		cw.holding = holding && f.plan.stale != nil && (cw.status == http.StatusNotModified || cw.status >= 500)
		f.storable, f.reason = rfc9111.Storable(f.req.Method, f.req.Header, cw.status, sent(f.client.Header(), cw.snap), f.responseTime, c.policy)
		if isEventStream(cw.snap.Get("Content-Type")) {
			// A stream never ends: held, it would never reach the client.
			cw.hold, cw.holding = 0, false
			if f.storable {
				f.storable, f.reason = false, "event-stream"
			}
		}
		if cw.declaresLength && cw.declared > c.opts.MaxBodySize {
			f.storable, f.reason = false, "too-large"
		}
		cw.capture = f.storable
		if !f.storable && !holding {
			cw.hold = 0 // nothing to keep: let it stream
		}
	}
	cw.onCommit = func(cw *writer) {
		h := f.client.Header()
		copyHeader(h, cw.snap)
		st := status{fwd: f.plan.fwd, detail: f.plan.detail}
		if f.plan.stale != nil {
			st.fwdStatus = cw.status
		}
		// A handler that has returned has shown its whole body; one that
		// streams is taken at its declared length, which complete checks
		// at the end.
		st.stored = f.storable && !f.plan.skipsStore() && !cw.overflow && (f.done && cw.complete() || !f.done && cw.declaresLength && cw.declared <= c.opts.MaxBodySize)
		if !f.storable {
			st.detail = f.plan.statusDetail(f.reason)
		}
		st.set(h)
	}
	return cw
}

// sent is the header the client gets for a response whose handler set
// handler: the handler's fields over those already in the client's header,
// which a middleware around the cache may have set, such as a session's
// Set-Cookie. The storage rules must read all of them: a page sent with a
// user's cookie is that user's, whichever handler set the cookie.
func sent(client, handler http.Header) http.Header {
	if len(client) == 0 {
		return handler
	}
	h := canonicalCopy(client, len(handler))
	copyHeader(h, handler)
	return h
}

// isEventStream reports whether the Content-Type value ct is
// text/event-stream, with any parameters, in any case.
func isEventStream(ct string) bool {
	mediaType, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "text/event-stream")
}

// serveFreshened answers from the stale response, whose fields are stored,
// after the origin confirmed it with 304, storing it with the 304's fields
// (RFC 9111 §4.3.4) when the rules for storing allow the updated response:
// the 304 may bring private or no-store, and the request may forbid storing.
// When the response itself may no longer be stored, the stale entry goes too.
func (c *Cache) serveFreshened(w http.ResponseWriter, r *http.Request, key string, plan fetchPlan, stored, notModified http.Header, requestTime, responseTime time.Time) *fetched {
	v := &plan.stale.view
	if _, ok := rfc9111.ParseDate(notModified.Get("Date")); !ok {
		// RFC 9110 §6.6.1: the 304 was made now. The stored Date must not
		// stay, or an Expires would count from it, and the response that
		// expired long ago would be fresh again.
		notModified = notModified.Clone()
		notModified.Set("Date", responseTime.UTC().Format(http.TimeFormat))
	}
	header := rfc9111.Freshen(stored, notModified)
	e := c.newEntry(v.Status, header, notModified, v.Body, requestTime, responseTime)
	res := &fetched{}
	// GET: a HEAD's 304 updates the GET entry, which it was answered from.
	if ok, _ := rfc9111.Storable(http.MethodGet, r.Header, v.Status, sent(w.Header(), header), responseTime, c.policy); ok {
		res = c.save(r, key, e, false)
	} else if ok, _ := rfc9111.Storable(http.MethodGet, nil, v.Status, header, responseTime, c.policy); !ok {
		c.forget(r, key)
	}
	if !plan.background {
		// The 304's cookie is for the client whose request was revalidated,
		// though the stored response never keeps one (Freshen).
		if cookies := notModified["Set-Cookie"]; len(cookies) > 0 {
			w.Header()["Set-Cookie"] = cookies
		}
		b := res.shared
		if b == nil {
			b = entry.Append(nil, e)
		}
		// Encoded here, so there is no checksum to check, and it parses.
		fresh, err := entry.ParseVerified(b)
		if err != nil {
			panic(err)
		}
		c.respondStored(w, r, &fresh, e.InitialAge, status{fwd: plan.fwd, fwdStatus: http.StatusNotModified, stored: res.saved})
		c.emit(r, Revalidated, plan.detail, v.Status, res.saved, nil)
	}
	return res
}

// serveStaleOnError answers with the stale response because the origin failed
// and stale-if-error allows it (RFC 5861 §4).
func (c *Cache) serveStaleOnError(w http.ResponseWriter, r *http.Request, plan fetchPlan, facts rfc9111.Stored, originStatus int) *fetched {
	if !plan.background {
		ttl := ttlSeconds(facts)
		c.respondStored(w, r, &plan.stale.view, facts.Age, status{fwd: plan.fwd, fwdStatus: originStatus, ttl: ttl, hasTTL: true, detail: "stale-if-error"})
		c.emit(r, Stale, "stale-if-error", plan.stale.view.Status, false, nil)
	}
	return &fetched{}
}

// writeNotModified answers a client's conditional request with 304 and the
// fields of the response it stands for, less its length.
func writeNotModified(w http.ResponseWriter, h http.Header, st status) {
	copyHeader(w.Header(), h)
	delete(w.Header(), "Content-Length")
	st.set(w.Header())
	w.WriteHeader(http.StatusNotModified)
}

// serveRecovering runs the handler and returns its panic, if any, so that a
// panic neither escapes into requests that wait on this one nor leaves the
// cache's bookkeeping half done. The caller raises it again.
func serveRecovering(next http.Handler, w http.ResponseWriter, r *http.Request) (panicked any) {
	defer func() { panicked = recover() }()
	next.ServeHTTP(w, r)
	return nil
}

func hasValidators(v *entry.View) bool {
	_, etag := v.Get("Etag")
	_, lm := v.Get("Last-Modified")
	return etag || lm
}

// setValidators makes h a conditional request for the stored response
// (RFC 9111 §4.3.1).
func setValidators(h http.Header, v *entry.View) {
	if etag, ok := v.Get("Etag"); ok {
		h.Set("If-None-Match", etag)
	}
	if lm, ok := v.Get("Last-Modified"); ok {
		h.Set("If-Modified-Since", lm)
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// detached is r for work that outlives it: same values, no cancellation.
func detached(r *http.Request) *http.Request {
	return r.Clone(context.WithoutCancel(r.Context()))
}

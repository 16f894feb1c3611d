package middleware

import (
	"context"
	"net/http"
	"net/url"

	"github.com/plugcache/plugcache/internal/rfc9111"
)

// passUnsafe sends a request with an unsafe method (POST, PUT, PATCH,
// DELETE...) to the origin and, when it succeeds, drops the stored responses
// for its URL and for the same-origin Location and Content-Location of the
// response (RFC 9111 §4.4). It drops them as the response starts, before the
// client can see it: a client that has the answer to its PUT never reads the
// old page from the cache afterwards.
func (c *Cache) passUnsafe(w http.ResponseWriter, r *http.Request, next http.Handler) {
	detail := "method"
	cw := c.passThrough(w, status{fwd: fwdMethod})
	sendHeaders := cw.onCommit
	cw.onCommit = func(cw *writer) {
		if rfc9111.Invalidates(r.Method, cw.status) {
			c.invalidate(r, cw.snap)
			detail = "invalidated"
		}
		sendHeaders(cw)
	}
	panicked := serveRecovering(next, cw, r)
	if panicked != nil {
		panic(panicked)
	}
	cw.finish()
	c.emit(r, Bypass, detail, cw.status, false, nil)
}

func (c *Cache) invalidate(r *http.Request, respHeader http.Header) {
	for _, u := range rfc9111.InvalidationTargets(requestURL(r), respHeader) {
		c.forget(r, c.keyer.URLKey(u))
	}
}

// forget deletes the entry under the primary key, and so every variant of
// it, for request r.
func (c *Cache) forget(r *http.Request, primary string) {
	if err := c.store.Delete(context.WithoutCancel(r.Context()), primary); err != nil {
		c.breaker.failure(err)
		c.storeFailed(r, err)
	}
}

// requestURL is the absolute target URL of r.
func requestURL(r *http.Request) *url.URL {
	u := *r.URL
	if u.Scheme == "" {
		u.Scheme = "http"
		if r.TLS != nil {
			u.Scheme = "https"
		}
	}
	if u.Host == "" {
		u.Host = r.Host
	}
	return &u
}

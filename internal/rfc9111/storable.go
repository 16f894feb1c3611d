package rfc9111

import (
	"net/http"
	"slices"
	"time"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// Policy is what the operator configured for a plugin. The zero Policy
// follows the RFCs alone: no default lifetime, the RFC 9110 §15.1 list of
// heuristically cacheable statuses, no Set-Cookie stripping and no stale
// windows beyond those responses give.
type Policy struct {
	// DefaultTTL is the freshness lifetime of a response that gives no
	// explicit one (no s-maxage, max-age or Expires). It takes the place of
	// the §4.2.2 heuristic. Zero means none: the heuristic applies.
	DefaultTTL time.Duration

	// Override applies DefaultTTL to every storable response, ignoring the
	// origin's s-maxage, max-age and Expires. It never makes storable what
	// is unsafe to store: no-store, private, Set-Cookie, Authorization and
	// cookie rules still hold (a response to a request with cookies that the
	// origin made stale at once stays unstored unless public), and no-cache
	// and must-revalidate still apply on use.
	// It has no effect when DefaultTTL is zero.
	Override bool

	// CacheableStatus are the statuses storable without explicit freshness,
	// and to which DefaultTTL and the heuristic apply. Nil means RFC 9110
	// §15.1's heuristically cacheable list: 200, 203, 204, 206, 300, 301,
	// 308, 404, 405, 410, 414 and 501.
	CacheableStatus []int

	// StripSetCookie stores responses that carry Set-Cookie, without the
	// cookie. False means such responses are not stored.
	StripSetCookie bool

	// StaleWhileRevalidate and StaleIfError are the RFC 5861 windows used
	// when a response gives none. Zero means none.
	StaleWhileRevalidate, StaleIfError time.Duration
}

// heuristicallyCacheable is RFC 9110 §15.1's list.
var heuristicallyCacheable = []int{200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}

// cacheable reports whether status is storable without explicit freshness.
func (p Policy) cacheable(status int) bool {
	if p.CacheableStatus == nil {
		return slices.Contains(heuristicallyCacheable, status)
	}
	return slices.Contains(p.CacheableStatus, status)
}

// Storable reports whether a shared cache may store the response to a
// request, following RFC 9111 §3 and §3.5 with the departures marked below,
// and if not, why, as a short token for a Cache-Status detail: "method",
// "status", "partial", "no-store", "private", "authorization",
// "set-cookie", "vary-star", "must-understand" or "no-freshness". The
// reason is empty when ok. responseTime is when the response arrived, which
// dates an Expires that comes without Date. Headers may be nil.
func Storable(method string, reqHeader http.Header, status int, respHeader http.Header, responseTime time.Time, p Policy) (ok bool, reason string) {
	// RFC 9111 §3: the method must be understood and cacheable. Only GET is
	// stored; the caller answers HEAD from the GET entry (RFC 9110 §9.3.2).
	if method != http.MethodGet {
		return false, "method"
	}
	switch {
	case status == http.StatusPartialContent:
		// RFC 9111 §3.3 allows storing partial content; this cache does
		// not combine ranges, so it stores only complete responses.
		return false, "partial"
	case status < 200 || status > 599 || status == http.StatusNotModified:
		// RFC 9111 §3: only final statuses; a 304 updates a stored
		// response (§4.3.4) but is not one.
		return false, "status"
	}
	req, resp := ParseDirectives(reqHeader), ParseDirectives(respHeader)
	// RFC 9111 §5.2.2.3: with must-understand, store only a status whose
	// caching rules this cache implements, and for such a status ignore the
	// response's no-store, which is there for caches that do not.
	if resp.MustUnderstand {
		if !understood(status) {
			return false, "must-understand"
		}
		resp.NoStore = false
	}
	if reason := unsafeToStore(req, reqHeader, resp, respHeader, p); reason != "" {
		return false, reason
	}
	if p.Override && p.DefaultTTL > 0 && len(reqHeader.Values("Cookie")) > 0 && !resp.Public {
		// Not RFC 9111: the origin's explicit freshness is what let a
		// response to a request with cookies be stored (unsafeToStore), and
		// Override replaces it. One that the origin made stale at once
		// (max-age=0, an Expires past) stays unstored: Override would make a
		// page personalised by cookie fresh for every user.
		if life, _ := lifetime(status, resp, respHeader, responseTime, Policy{CacheableStatus: p.CacheableStatus}); life <= 0 {
			return false, "cookie"
		}
	}
	return freshEnough(status, resp, respHeader, responseTime, p)
}

// unsafeToStore returns why storing would be unsafe, or "".
func unsafeToStore(req Directives, reqHeader http.Header, resp Directives, respHeader http.Header, p Policy) string {
	switch {
	case req.NoStore || resp.NoStore:
		// RFC 9111 §5.2.1.5, §5.2.2.5.
		return "no-store"
	case resp.Private:
		// RFC 9111 §5.2.2.7: a shared cache must not store it.
		return "private"
	case len(resp.PrivateFields) > 0:
		// Not RFC 9111: §5.2.2.7 lets a shared cache store the response
		// without the named fields. Treating private="..." as private is
		// conservative: the origin has said the response is per-user.
		return "private"
	case len(reqHeader.Values("Authorization")) > 0 && !resp.Public && !resp.SMaxAge.Set && !resp.MustRevalidate:
		// RFC 9111 §3.5: a shared cache stores a response to an
		// authorized request only when public, s-maxage or
		// must-revalidate says it may.
		return "authorization"
	case len(respHeader.Values("Set-Cookie")) > 0 && !p.StripSetCookie:
		// Not RFC 9111: RFC 9111 lets a cache store Set-Cookie, but a
		// shared cache that does hands one user's session to the next.
		return "set-cookie"
	case len(reqHeader.Values("Cookie")) > 0 && !resp.Public && !resp.MaxAge.Set && !resp.SMaxAge.Set && len(respHeader.Values("Expires")) == 0:
		// Not RFC 9111: a response to a request that carries cookies is
		// stored only when the origin gives it explicit freshness or says
		// public. A page personalised by cookie, sent with no cache
		// headers at all, would otherwise go to the next user once a
		// default TTL or the heuristic made it fresh.
		return "cookie"
	case varyStar(respHeader):
		// RFC 9111 §4.1: Vary: * never matches a later request, so
		// storing it is useless.
		return "vary-star"
	}
	return ""
}

// freshEnough applies the last condition of RFC 9111 §3: the response has
// explicit freshness, a heuristically cacheable status, or public. Like
// §3's closing note, it does not store what would be kept for nothing: a
// response stale at once, with no validator to revalidate it by and no
// stale-while-revalidate or stale-if-error to serve it stale for.
func freshEnough(status int, resp Directives, respHeader http.Header, responseTime time.Time, p Policy) (bool, string) {
	explicit := resp.MaxAge.Set || resp.SMaxAge.Set || len(respHeader.Values("Expires")) > 0
	cacheable := p.cacheable(status)
	switch {
	case explicit:
		swr, sie := staleUse(resp, p)
		if life, _ := lifetime(status, resp, respHeader, responseTime, p); life > 0 || max(swr, sie) > 0 || hasValidator(respHeader) {
			return true, ""
		}
		return false, "no-freshness"
	case p.Override && p.DefaultTTL > 0 && cacheable:
		// Not RFC 9111: the operator's Override stores what the origin's
		// freshness would not (see Lifetime).
		return true, ""
	case !cacheable && !resp.Public:
		// RFC 9111 §3: other statuses need explicit freshness.
		return false, "status"
	case p.DefaultTTL > 0:
		return true, ""
	case hasValidator(respHeader):
		// Last-Modified allows the §4.2.2 heuristic; either validator
		// allows cheap revalidation (§4.3).
		return true, ""
	default:
		// RFC 9111 §3 allows storing it, but it would be stale at once
		// and could only be revalidated by fetching it again, so storing
		// it gains nothing; §3's closing note says such responses are
		// not usually useful to store.
		return false, "no-freshness"
	}
}

// hasValidator reports whether h has a Last-Modified or an ETag: the
// heuristic's input (§4.2.2), and what a revalidation asks with (§4.3).
func hasValidator(h http.Header) bool {
	return len(h.Values("Last-Modified")) > 0 || len(h.Values("ETag")) > 0
}

// varyStar reports whether the Vary field lists "*" among its members.
func varyStar(h http.Header) bool {
	for name := range fieldlist.Members(h.Values("Vary")...) {
		if name == "*" {
			return true
		}
	}
	return false
}

// understood reports whether status is one RFC 9110 §15 defines, whose
// caching rules this package implements (§5.2.2.3).
func understood(status int) bool {
	switch {
	case status >= 200 && status <= 205, status >= 300 && status <= 305:
		return true
	case status == 307, status == 308, status >= 400 && status <= 417:
		return true
	case status == 421, status == 422, status == 426, status >= 500 && status <= 505:
		return true
	}
	return false
}

package rfc9111

import (
	"net/http"
	"time"
)

// maxHeuristic caps the heuristic freshness lifetime.
const maxHeuristic = 24 * time.Hour

// Lifetime is the freshness lifetime of a response, RFC 9111 §4.2.1-§4.2.2,
// and where it came from: "override", "s-maxage", "max-age", "expires",
// "default-ttl", "heuristic" or "none". responseTime is when the response
// was received; it stands in for a missing Date. respHeader may be nil.
//
// The order is §4.2.1's, for a shared cache: s-maxage, then max-age, then
// Expires minus Date. Policy.Override puts Policy.DefaultTTL first. Without
// explicit freshness, a heuristically cacheable status (Policy.CacheableStatus)
// or a public response (§5.2.2.9) gets Policy.DefaultTTL, else the §4.2.2
// heuristic; any other response gets 0.
func Lifetime(status int, respHeader http.Header, responseTime time.Time, p Policy) (time.Duration, string) {
	return lifetime(status, ParseDirectives(respHeader), respHeader, responseTime, p)
}

// lifetime is Lifetime with the response's directives d parsed already.
func lifetime(status int, d Directives, respHeader http.Header, responseTime time.Time, p Policy) (time.Duration, string) {
	if p.Override && p.DefaultTTL > 0 {
		// Not RFC 9111: §4.2.1 takes the origin's explicit freshness first.
		// Override is the operator's opt-in for origins whose headers are
		// wrong; the safety rules of Storable still hold.
		return p.DefaultTTL, "override"
	}
	switch {
	case d.SMaxAge.Set:
		// RFC 9111 §5.2.2.10: in a shared cache s-maxage overrides
		// max-age and Expires.
		return d.SMaxAge.D, "s-maxage"
	case d.MaxAge.Set:
		// RFC 9111 §5.3: with max-age, Expires is ignored.
		return d.MaxAge.D, "max-age"
	case len(respHeader.Values("Expires")) > 0:
		return expiresLifetime(respHeader, responseTime), "expires"
	case !p.cacheable(status) && !d.Public:
		// RFC 9111 §4.2.2: heuristics only for heuristically cacheable
		// statuses or public responses.
		return 0, "none"
	case p.DefaultTTL > 0:
		return p.DefaultTTL, "default-ttl"
	}
	if h, ok := heuristic(respHeader, responseTime); ok {
		return h, "heuristic"
	}
	return 0, "none"
}

// expiresLifetime is Expires minus Date, RFC 9111 §4.2.1, never negative.
func expiresLifetime(h http.Header, responseTime time.Time) time.Duration {
	values := h.Values("Expires")
	for _, v := range values[1:] {
		if v != values[0] {
			// RFC 9111 §4.2.1: with several different Expires, use the
			// first or consider the response stale; stale is safe.
			return 0
		}
	}
	expires, ok := ParseDate(values[0])
	if !ok {
		// RFC 9111 §5.3: an invalid date, such as "0", is in the past.
		return 0
	}
	return max(0, expires.Sub(dateOf(h, responseTime)))
}

// heuristic is RFC 9111 §4.2.2's: 10% of the time since Last-Modified,
// measured at Date.
func heuristic(h http.Header, responseTime time.Time) (time.Duration, bool) {
	lm, ok := ParseDate(h.Get("Last-Modified"))
	if !ok {
		return 0, false
	}
	since := dateOf(h, responseTime).Sub(lm)
	if since <= 0 {
		return 0, false
	}
	// Not RFC 9111: RFC 9111 sets no upper bound. A day is the bound
	// RFC 7234 §4.2.2 drew (beyond it a cache had to warn, Warning 113), and
	// keeps a years-old Last-Modified from pinning a response for months.
	return min(since/10, maxHeuristic), true
}

// dateOf is the response's Date, or responseTime when Date is missing or
// invalid (RFC 9110 §6.6.1: a recipient with a clock uses the time it
// received the message).
func dateOf(h http.Header, responseTime time.Time) time.Time {
	if t, ok := ParseDate(h.Get("Date")); ok {
		return t
	}
	return responseTime
}

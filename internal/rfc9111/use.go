package rfc9111

import (
	"net/http"
	"strconv"
	"time"
)

// Stored are the facts of a stored response that serving decisions need.
// The cache computes all but Age at store time (see NewStored) and sets Age
// at use time. The zero Stored is a response that is already stale and may
// not be served stale.
type Stored struct {
	// Lifetime is the freshness lifetime (Lifetime).
	Lifetime time.Duration
	// Age is the current age now (CurrentAge).
	Age time.Duration
	// NoCache is an unqualified no-cache in the response, §5.2.2.4.
	NoCache bool
	// MustRevalidate is must-revalidate, proxy-revalidate or s-maxage in
	// the response: each forbids a shared cache to serve it stale
	// (§5.2.2.2, §5.2.2.8, §5.2.2.10).
	MustRevalidate bool
	// StaleWhileRevalidate and StaleIfError are the RFC 5861 windows: the
	// response's directives, else the Policy's. Zero means none.
	StaleWhileRevalidate, StaleIfError time.Duration
}

// NewStored computes the Stored facts of a response received at
// responseTime, with Age left zero for the caller to set from CurrentAge at
// use time. respHeader may be nil.
func NewStored(status int, respHeader http.Header, responseTime time.Time, p Policy) Stored {
	d := ParseDirectives(respHeader)
	life, _ := lifetime(status, d, respHeader, responseTime, p)
	s := Stored{
		Lifetime:       life,
		NoCache:        d.NoCache,
		MustRevalidate: d.MustRevalidate || d.ProxyRevalidate || d.SMaxAge.Set,
	}
	s.StaleWhileRevalidate, s.StaleIfError = staleUse(d, p)
	return s
}

// staleUse is how long a response with directives d may be served stale:
// by stale-while-revalidate and by stale-if-error (RFC 5861), the
// response's own or, without them, the policy's.
func staleUse(d Directives, p Policy) (whileRevalidate, ifError time.Duration) {
	whileRevalidate, ifError = p.StaleWhileRevalidate, p.StaleIfError
	if d.StaleWhileRevalidate.Set {
		whileRevalidate = d.StaleWhileRevalidate.D
	}
	if d.StaleIfError.Set {
		ifError = d.StaleIfError.D
	}
	return whileRevalidate, ifError
}

// staleness is how long the response has been stale, 0 while fresh.
func (s Stored) staleness() time.Duration { return max(0, s.Age-s.Lifetime) }

// Verdict is how a stored response may answer a request.
type Verdict int

const (
	// Fresh means the stored response may be served as it is.
	Fresh Verdict = iota
	// StaleAllowed means it may be served stale: the request's max-stale
	// allows it (§5.2.1.2).
	StaleAllowed
	// StaleWhileRevalidate means it may be served stale while the cache
	// refreshes it in the background (RFC 5861 §3).
	StaleWhileRevalidate
	// Revalidate means the origin must be asked before it is used (§4.3).
	// When the request has only-if-cached, the cache answers 504 instead
	// (§5.2.1.7).
	Revalidate
)

// String returns the verdict's name, such as "stale-while-revalidate".
func (v Verdict) String() string {
	switch v {
	case Fresh:
		return "fresh"
	case StaleAllowed:
		return "stale-allowed"
	case StaleWhileRevalidate:
		return "stale-while-revalidate"
	case Revalidate:
		return "revalidate"
	}
	return "Verdict(" + strconv.Itoa(int(v)) + ")"
}

// Use decides how a stored response may answer a request with directives
// req (RequestDirectives), following RFC 9111 §4, §4.2.4, §5.2.1 and RFC
// 5861, with a reason token for a Cache-Status detail: "fresh", "max-stale",
// "stale-while-revalidate", or for Revalidate "no-cache", "request-no-cache",
// "request-max-age", "request-min-fresh", "must-revalidate" or "stale".
//
// The order is that of the strength of each rule:
//  1. no-cache in the response or the request forbids any use without
//     validation, fresh or not (§5.2.2.4, §5.2.1.4);
//  2. the request's max-age and min-fresh ask for more than freshness
//     (§5.2.1.1, §5.2.1.3), so they can reject even a fresh response;
//  3. a fresh response is served (§4.2);
//  4. a stale one is served only where allowed: must-revalidate and its
//     kin forbid it outright (§4.2.4, a MUST) and so come before the
//     client's max-stale (§5.2.1.2), which in turn needs no origin
//     contact, unlike RFC 5861's stale-while-revalidate.
func Use(req Directives, s Stored) (Verdict, string) {
	switch {
	case s.NoCache:
		return Revalidate, "no-cache"
	case req.NoCache:
		return Revalidate, "request-no-cache"
	case req.MaxAge.Set && s.Age > req.MaxAge.D:
		return Revalidate, "request-max-age"
	case req.MinFresh.Set && s.Lifetime-s.Age < req.MinFresh.D:
		return Revalidate, "request-min-fresh"
	case s.Age < s.Lifetime:
		// RFC 9111 §4.2: fresh while freshness_lifetime > current_age.
		return Fresh, "fresh"
	case s.MustRevalidate:
		return Revalidate, "must-revalidate"
	case req.MaxStaleAny, req.MaxStale.Set && s.staleness() <= req.MaxStale.D:
		return StaleAllowed, "max-stale"
	case s.StaleWhileRevalidate > 0 && s.staleness() <= s.StaleWhileRevalidate:
		return StaleWhileRevalidate, "stale-while-revalidate"
	}
	return Revalidate, "stale"
}

// UsableOnError reports whether the stored response may answer a request
// with directives req when revalidation failed: the origin could not be
// reached or answered with an error. RFC 5861 §4 names 500, 502, 503 and
// 504; the middleware counts any 5xx, as an origin's 501 or 507 is no more
// use to a client than those.
//
// A fresh response may; it was revalidated only because the client asked for
// more than freshness (§4.2). A stale one may when its staleness is within
// stale-if-error: the request's, or s.StaleIfError (the response's, else the
// Policy's), whichever is larger, since either the client or the origin may
// allow it. Never with no-cache in the request or the response, nor with
// must-revalidate and its kin (§4.2.4: a stale response must not be
// generated when a directive prohibits it).
func UsableOnError(req Directives, s Stored) bool {
	switch {
	case s.NoCache, req.NoCache:
		return false
	case s.Age < s.Lifetime:
		return true
	case s.MustRevalidate:
		return false
	}
	window := s.StaleIfError
	if req.StaleIfError.Set {
		window = max(window, req.StaleIfError.D)
	}
	return window > 0 && s.staleness() <= window
}

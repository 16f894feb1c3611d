package rfc9111

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// Invalidates reports whether a response with status to a request with
// method invalidates stored responses, RFC 9111 §4.4: the method is unsafe
// (anything but GET, HEAD, OPTIONS and TRACE, RFC 9110 §9.2.1, so including
// unknown methods) and the status is not an error (2xx or 3xx). Methods are
// case-sensitive (RFC 9110 §9.1): "get" is an unknown method.
func Invalidates(method string, status int) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return status >= 200 && status < 400
}

// InvalidationTargets are the URLs whose stored responses the cache must
// invalidate after a response for which Invalidates is true, RFC 9111 §4.4:
// the target URI, then the Location and Content-Location URLs resolved
// against it, each only when it has the target's origin (scheme, host and
// port, RFC 9110 §4.3.1; default ports compare equal to none). Fragments are
// dropped and duplicates listed once. It returns nil when target is nil.
//
// target should be absolute. When it has no host, as r.URL of a server
// request has not, only relative references can share its origin.
func InvalidationTargets(target *url.URL, respHeader http.Header) []*url.URL {
	if target == nil {
		return nil
	}
	base := *target
	base.Fragment, base.RawFragment = "", ""
	targets := []*url.URL{&base}
	for _, name := range []string{"Location", "Content-Location"} {
		for _, v := range respHeader.Values(name) {
			ref, err := url.Parse(fieldlist.TrimOWS(v))
			if err != nil {
				continue
			}
			u := base.ResolveReference(ref)
			u.Fragment, u.RawFragment = "", ""
			// RFC 9111 §4.4: a cache MUST NOT invalidate a URI of
			// another origin, which would let one site purge another's
			// responses.
			if sameOrigin(&base, u) && !listed(targets, u) {
				targets = append(targets, u)
			}
		}
	}
	return targets
}

// sameOrigin compares the origins of a and b, RFC 9110 §4.3.1.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

// port is u's port, or the scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

func listed(targets []*url.URL, u *url.URL) bool {
	s := u.String()
	for _, t := range targets {
		if t.String() == s {
			return true
		}
	}
	return false
}

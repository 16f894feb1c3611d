package middleware

import (
	"net/http"
	"strconv"
	"time"

	"github.com/plugcache/plugcache/internal/rfc9111"
)

// cacheName is this cache's name in Cache-Status.
const cacheName = "plugcache"

// The fwd values of RFC 9211 §2.2 that plugcache uses.
const (
	fwdBypass  = "bypass"   // the cache was configured not to handle the request, or could not
	fwdMethod  = "method"   // the request method is not cached
	fwdURIMiss = "uri-miss" // nothing stored for the URL
	fwdVary    = "vary-miss"
	fwdMiss    = "miss"    // nothing usable (the store failed)
	fwdRequest = "request" // the request's directives sent it to the origin
	fwdStale   = "stale"   // the stored response was stale
)

// status is one request's Cache-Status member, RFC 9211.
type status struct {
	hit       bool
	fwd       string
	fwdStatus int
	ttl       int64 // seconds of freshness left, negative when stale
	hasTTL    bool
	stored    bool
	collapsed bool
	detail    string
}

// String renders the member, such as "plugcache; fwd=uri-miss; stored".
func (s status) String() string {
	return string(s.append(make([]byte, 0, 64)))
}

func (s status) append(b []byte) []byte {
	b = append(b, cacheName...)
	if s.hit {
		b = append(b, "; hit"...)
	}
	if s.fwd != "" {
		b = append(b, "; fwd="...)
		b = append(b, s.fwd...)
	}
	if s.fwdStatus != 0 {
		b = append(b, "; fwd-status="...)
		b = strconv.AppendInt(b, int64(s.fwdStatus), 10)
	}
	if s.hasTTL {
		b = append(b, "; ttl="...)
		b = strconv.AppendInt(b, s.ttl, 10)
	}
	if s.stored {
		b = append(b, "; stored"...)
	}
	if s.collapsed {
		b = append(b, "; collapsed"...)
	}
	if s.detail != "" {
		b = append(b, "; detail="...)
		b = append(b, s.detail...) // details are tokens of ours, never request data
	}
	return b
}

// set adds the member after any Cache-Status the response already has: the
// list runs from the cache nearest the origin to the one nearest the user.
func (s status) set(h http.Header) {
	h["Cache-Status"] = append(h["Cache-Status"][:len(h["Cache-Status"]):len(h["Cache-Status"])], s.String())
}

// ttlSeconds is Cache-Status's ttl (RFC 9211 §2.5): the freshness left, in
// whole seconds, counted as the Age field counts age, so that ttl and Age add
// up to the lifetime.
func ttlSeconds(s rfc9111.Stored) int64 {
	return int64(s.Lifetime/time.Second) - int64(s.Age/time.Second)
}

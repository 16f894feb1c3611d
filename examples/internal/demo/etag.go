package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// etagOf returns a strong entity tag for a representation made of parts: the
// first 16 hex digits of their SHA-256, quoted.
func etagOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return `"` + hex.EncodeToString(h.Sum(nil))[:16] + `"`
}

// etagMatches reports whether an If-None-Match field value names etag, or is
// "*", comparing weakly as RFC 9110 §13.1.2 says If-None-Match does. A handler
// that answers such a request with 304 lets the cache revalidate a stale
// entry without the work of producing the response again.
func etagMatches(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

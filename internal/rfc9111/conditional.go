package rfc9111

import (
	"net/http"
	"strings"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// NotModified reports whether a client's conditional GET or HEAD is answered
// with 304 (Not Modified) by a stored response with these fields: etag is its
// ETag, lastModified its Last-Modified and date its Date, which stands in for
// an empty lastModified (RFC 9111 §4.3.2). Any may be empty. reqHeader may be
// nil.
//
// It follows the precedence of RFC 9110 §13.2.2 among the preconditions a
// cache evaluates (RFC 9111 §4.3.2: If-Match and If-Unmodified-Since are for
// the origin, and If-Range applies to Range requests, which the caller
// forwards):
//   - If-None-Match (RFC 9110 §13.1.2) matches when "*" is listed, or when
//     any listed entity-tag matches etag by weak comparison (§8.8.3.2);
//   - If-Modified-Since (RFC 9110 §13.1.3), only when there is no
//     If-None-Match, matches when lastModified is at or before its date. It
//     is ignored when it is not a single valid HTTP-date, and so is an
//     invalid lastModified.
func NotModified(method string, reqHeader http.Header, etag, lastModified, date string) bool {
	if method != http.MethodGet && method != http.MethodHead {
		return false
	}
	if inm := reqHeader.Values("If-None-Match"); len(inm) > 0 {
		return noneMatch(inm, etag)
	}
	ims := reqHeader.Values("If-Modified-Since")
	if len(ims) != 1 {
		// RFC 9110 §13.1.3: ignored when it has more than one member.
		return false
	}
	since, ok := ParseDate(fieldlist.TrimOWS(ims[0]))
	if !ok {
		return false
	}
	if lastModified == "" {
		lastModified = date
	}
	modified, ok := ParseDate(fieldlist.TrimOWS(lastModified))
	if !ok {
		return false
	}
	return !modified.After(since)
}

// noneMatch reports whether an If-None-Match field fails to hold, that is,
// names the stored representation, RFC 9110 §13.1.2.
func noneMatch(lines []string, etag string) bool {
	stored, _, ok := parseETag(etag)
	for _, line := range lines {
		if fieldlist.TrimOWS(line) == "*" {
			// The stored response is a current representation.
			return true
		}
		if !ok {
			// No valid stored ETag: only "*" can match.
			continue
		}
		for rest := line; ; {
			tag, next, more := nextETag(rest)
			if !more {
				break
			}
			if tag.opaque == stored.opaque {
				// Weak comparison: W/ does not matter.
				return true
			}
			rest = next
		}
	}
	return false
}

// ForwardedConditional reports a precondition that a cache leaves to the
// origin: If-Match, If-Unmodified-Since or If-Range (RFC 9111 §4.3.2 has a
// cache evaluate only If-None-Match and If-Modified-Since). EvaluatedConditional
// reports those two. Between them they cover every conditional header of
// RFC 9110 §13.1. A field counts when its first line is non-empty; reqHeader's
// names must be canonical, as net/http makes them, and it may be nil.
func ForwardedConditional(reqHeader http.Header) bool {
	return has(reqHeader, "If-Match") || has(reqHeader, "If-Unmodified-Since") || has(reqHeader, "If-Range")
}

// EvaluatedConditional reports If-None-Match or If-Modified-Since: see
// ForwardedConditional.
func EvaluatedConditional(reqHeader http.Header) bool {
	return has(reqHeader, "If-None-Match") || has(reqHeader, "If-Modified-Since")
}

// has reports whether h has a non-empty field canonicalName, as
// h.Get(canonicalName) != "" would, without canonicalising the name again:
// the hit path asks for several.
func has(h http.Header, canonicalName string) bool {
	v := h[canonicalName]
	return len(v) > 0 && v[0] != ""
}

// entityTag is a parsed entity-tag, RFC 9110 §8.8.3. opaque keeps its quotes.
type entityTag struct {
	weak   bool
	opaque string
}

// parseETag parses a field that holds exactly one entity-tag, such as ETag.
func parseETag(s string) (entityTag, string, bool) {
	tag, rest, ok := scanETag(fieldlist.TrimOWS(s))
	return tag, rest, ok && rest == ""
}

// nextETag reads the next entity-tag of a list such as If-None-Match,
// skipping whitespace and empty elements. It stops at the end of the list or
// at anything that is not an entity-tag.
func nextETag(s string) (entityTag, string, bool) {
	s = strings.TrimLeft(s, " \t,")
	if s == "" {
		return entityTag{}, "", false
	}
	tag, rest, ok := scanETag(s)
	if !ok {
		return entityTag{}, "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest != "" && rest[0] != ',' {
		return entityTag{}, "", false
	}
	return tag, rest, true
}

// scanETag reads entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE at the start of
// s, RFC 9110 §8.8.3.
func scanETag(s string) (entityTag, string, bool) {
	var tag entityTag
	if strings.HasPrefix(s, "W/") {
		tag.weak, s = true, s[2:]
	}
	if len(s) < 2 || s[0] != '"' {
		return entityTag{}, "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return entityTag{}, "", false
	}
	for i := 1; i <= end; i++ {
		if c := s[i]; c < 0x21 || c == 0x7f {
			// etagc = %x21 / %x23-7E / obs-text
			return entityTag{}, "", false
		}
	}
	tag.opaque = s[:end+2]
	return tag, s[end+2:], true
}

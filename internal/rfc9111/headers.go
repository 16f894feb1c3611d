package rfc9111

import (
	"net/http"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// hopByHop are the fields a cache does not store: the connection-specific
// fields of RFC 9110 §7.6.1 (RFC 9111 §3.1), Trailer, and the proxy
// authentication fields that RFC 9111 §3.1 forbids storing.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
	"Proxy-Authenticate", "Proxy-Authentication-Info", "Proxy-Authorization",
}

// StripForStorage returns a copy of the response header h without what a
// shared cache must not store:
//   - the hop-by-hop fields (RFC 9111 §3.1, RFC 9110 §7.6.1): Connection and
//     the fields it names, Keep-Alive, Proxy-Connection, TE, Trailer,
//     Transfer-Encoding, Upgrade, Proxy-Authenticate,
//     Proxy-Authentication-Info and Proxy-Authorization;
//   - the fields named by d's qualified no-cache and private (§5.2.2.4,
//     §5.2.2.7), d being the response's directives;
//   - Set-Cookie when p.StripSetCookie;
//   - Age: the cache computes its own (§4.2.3, §5.1).
//
// h is unchanged and may be nil; the result is never nil.
func StripForStorage(h http.Header, d Directives, p Policy) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	deleteHopByHop(out, h)
	for _, name := range d.NoCacheFields {
		out.Del(name)
	}
	for _, name := range d.PrivateFields {
		out.Del(name)
	}
	if p.StripSetCookie {
		out.Del("Set-Cookie")
	}
	out.Del("Age")
	return out
}

// Freshen returns the stored header updated with a 304 (Not Modified)
// response's header, RFC 9111 §3.2 and §4.3.4: each field of notModified
// replaces the stored field of that name, except Content-Length and the
// hop-by-hop fields (§3.2 excludes both), Age (the cache computes its own) and
// Set-Cookie. Both headers are unchanged and may be nil; the result is never
// nil. Use CanFreshen first to check that the 304 is about this response,
// and StripForStorage after, with the updated directives, since the 304 may
// bring a qualified no-cache or private. The stored response's age then
// starts again from the 304: InitialAge(notModified, requestTime,
// responseTime) with the 304's times (§4.2.3, with the Date it brought).
func Freshen(stored, notModified http.Header) http.Header {
	out := stored.Clone()
	if out == nil {
		out = http.Header{}
	}
	update := notModified.Clone()
	deleteHopByHop(update, notModified)
	update.Del("Content-Length")
	update.Del("Age")
	// Not RFC 9111: §3.2 would copy Set-Cookie into the stored response,
	// handing the cookie of the client whose request was revalidated to
	// every later client.
	update.Del("Set-Cookie")
	for name, values := range update {
		out.Del(name)
		for _, v := range values {
			out.Add(name, v)
		}
	}
	return out
}

// CanFreshen reports whether a 304 (Not Modified) response with header
// notModified may update the stored response with header stored, RFC 9111
// §4.3.4. A strong ETag in the 304 must equal the stored one. A weak ETag
// must match it by weak comparison. Without an ETag, a Last-Modified must
// equal the stored one. Without any validator, the stored response must have
// none either. Headers may be nil.
func CanFreshen(stored, notModified http.Header) bool {
	storedTag, _, storedHasTag := parseETag(stored.Get("ETag"))
	if v := notModified.Values("ETag"); len(v) > 0 {
		tag, _, ok := parseETag(v[0])
		switch {
		case !ok || !storedHasTag:
			return false
		case tag.weak:
			return tag.opaque == storedTag.opaque
		default:
			return !storedTag.weak && tag.opaque == storedTag.opaque
		}
	}
	if lm := notModified.Get("Last-Modified"); lm != "" {
		t, ok := ParseDate(lm)
		st, sok := ParseDate(stored.Get("Last-Modified"))
		return ok && sok && t.Equal(st)
	}
	return !storedHasTag && stored.Get("ETag") == "" && stored.Get("Last-Modified") == ""
}

// ConfirmsRevalidation reports whether a 304 that answers the cache's own
// conditional request for stored, made with stored's validators alone
// (§4.3.1), confirms stored: when CanFreshen says so, and also when the 304
// carries no validator at all. RFC 9110 §15.4.5 requires an origin to send
// the ETag it would have sent with a 200, but many omit it; since the request
// named this one response only, such a 304 can be about nothing else, where
// §4.3.4 would select no stored response and leave the cache with a 304 that
// the client never asked for. A 304 with some other validator confirms
// nothing: the cache must ask again without conditions.
func ConfirmsRevalidation(stored, notModified http.Header) bool {
	if CanFreshen(stored, notModified) {
		return true
	}
	return len(notModified.Values("ETag")) == 0 && notModified.Get("Last-Modified") == ""
}

// deleteHopByHop deletes from out the hop-by-hop fields of the message whose
// header is from: the fixed list and those from's Connection names.
func deleteHopByHop(out, from http.Header) {
	for name := range fieldlist.Members(from.Values("Connection")...) {
		out.Del(name)
	}
	for _, name := range hopByHop {
		out.Del(name)
	}
}

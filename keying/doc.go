// Package keying derives cache keys from HTTP requests.
//
//	k := keying.New(keying.Options{IgnoreQuery: []string{"utm_*"}})
//	primary, ok := k.Key(r)            // "GET https://example.com/docs/a?x=1&y=2"
//	names, star := keying.ParseVary(resp.Header)
//	key := k.VariantKey(primary, names, r.Header)
//
// # Primary and variant keys
//
// A request's primary key depends on its URL and method class only: method
// class, scheme, host, path and query, laid out readably as
//
//	GET https://example.com/docs/a?x=1&y=2
//
// GET and HEAD share the class GET; any other method is its own class. The
// request's headers and cookies never join the primary key, so URLKey finds it
// from a URL alone: URLKey(u) == Key(r) for every GET r of u when
// Options.Func is nil. That is what invalidation and purges need.
//
// Headers and cookies act like the fields that a response's Vary names: they
// join the variant key that VariantKey appends to the primary key. The
// Keyer's own Options.Headers and Options.Cookies join every variant key,
// whatever the response's Vary says. VariantKey returns the primary key itself
// when there is nothing to append (no Vary names, no Options.Headers, no
// Options.Cookies), so a cache can store such a response under the primary key.
//
// A cache that uses this package therefore stores a response under
// VariantKey(primary, names, r.Header), and, when that differs from primary,
// keeps the names under primary, so that a lookup reads them back to compute
// the variant key. Deleting the primary key then invalidates every variant of
// the URL at once: they can no longer be found, and they expire in the store.
//
// # Normalisation
//
// Equivalent requests meet, and requests that differ in anything that joins the
// key never do:
//   - the scheme comes from the URL when it has one (proxy requests), else from
//     whether the connection used TLS;
//   - the host is lower-cased and loses an empty port and the scheme's default
//     port (:80 for http, :443 for https);
//   - in the path, percent-encoded unreserved characters (%7E) are decoded and
//     other percent-encodings get upper-case hex, but "%2F" stays distinct from
//     "/"; dot segments are not removed, since handlers see them;
//   - the query is parsed into name and value pairs, the ignored names dropped,
//     the pairs sorted by name, those of one name kept in their order (a
//     handler reads the first), and each name and value re-encoded with
//     url.QueryEscape; "?a" differs from "?a=", while "?" and a query that
//     loses all of its pairs are the same as no query.
//
// Unless Options.Func makes them, keys are printable ASCII with no space inside
// a part: bytes that could be mistaken for a separator, control characters and
// non-ASCII bytes are percent-encoded.
//
// # Length
//
// A key longer than 250 bytes is replaced by its first 100 bytes, "#" and the
// unpadded base64url SHA-256 of the whole key: 144 bytes in all. No key is
// longer than 250 bytes, so keys fit memcached's limit with room for a store's
// prefix. Keys that this package lays out never contain "#" otherwise, so a
// shortened key never equals a readable one.
package keying

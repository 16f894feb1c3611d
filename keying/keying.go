package keying

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Options says what joins a request's key. The zero Options keys on method
// class, scheme, host, path and query.
type Options struct {
	// IgnoreQuery names query parameters left out of the key, such as
	// utm_source. Names match the decoded parameter name exactly and are
	// case-sensitive; a name ending in "*" matches by prefix ("utm_*"), and "*"
	// alone drops the whole query. Default: none. Nil means every parameter
	// joins the key.
	IgnoreQuery []string

	// Headers are request header fields whose values join every variant key
	// (see Keyer.VariantKey), as if every response named them in Vary. Names
	// are canonicalised as ParseVary canonicalises them, so "x-tenant" and
	// "X-Tenant" are the same field. Default: none. Nil means only a
	// response's Vary selects variants. An empty name is a programmer error:
	// New panics.
	Headers []string

	// Cookies are cookie names whose values join every variant key. Names are
	// case-sensitive, as cookie names are. Default: none. Nil means no cookie
	// joins the key unless a response varies on the whole Cookie header. An
	// empty name is a programmer error: New panics.
	Cookies []string

	// Func, when set, replaces the default key: it returns the key of r, or
	// ok=false to leave r uncached. Options' other fields are then ignored,
	// except that a key longer than 250 bytes is still shortened (see the
	// package doc). Func sees HEAD requests as they are: to answer them from
	// GET entries, it returns their GET key. A key that Func returns should
	// not contain a space, which separates the primary key from the variant
	// part in VariantKey, or two variants of different keys may meet.
	// Default: nil, the layout described in the package doc.
	Func func(r *http.Request) (key string, ok bool)
}

// Keyer derives keys from requests. It is safe for concurrent use and
// immutable: build it once with New and share it. The zero Keyer keys as
// New(Options{}) does.
type Keyer struct {
	fn      func(*http.Request) (string, bool)
	ignore  ignoreList
	headers []string // canonical, sorted, unique
	cookies []cookieName
}

// cookieName is a cookie that joins every variant key: its name as it appears
// in the Cookie header, and the item prefix that stands for it in a key.
type cookieName struct {
	name string
	item string // " cookie:" followed by the escaped name
}

// New returns a Keyer for o. It copies what it needs from o and never modifies
// it. New panics if an entry of o.Headers or o.Cookies is empty.
func New(o Options) *Keyer {
	if o.Func != nil {
		return &Keyer{fn: o.Func}
	}
	k := &Keyer{ignore: newIgnoreList(o.IgnoreQuery)}
	for i, h := range o.Headers {
		if h == "" {
			panic("keying: Options.Headers[" + strconv.Itoa(i) + "] is empty")
		}
		k.headers = append(k.headers, canonicalName(h))
	}
	slices.Sort(k.headers)
	k.headers = slices.Compact(k.headers)

	names := slices.Clone(o.Cookies)
	for i, c := range names {
		if c == "" {
			panic("keying: Options.Cookies[" + strconv.Itoa(i) + "] is empty")
		}
	}
	slices.Sort(names)
	for _, c := range slices.Compact(names) {
		item := string(appendToken([]byte(" cookie:"), c))
		k.cookies = append(k.cookies, cookieName{name: c, item: item})
	}
	return k
}

// Key returns the primary cache key of r. GET and HEAD share a key (HEAD is
// answered from the GET entry), and an empty method is GET, as in net/http;
// other methods, which are case-sensitive, get their own method in the key.
// The key depends on r's method class and URL only, never on its headers or
// cookies: those join the variant key (see VariantKey). ok is false only when
// Options.Func says so. Key does not modify r.
func (k *Keyer) Key(r *http.Request) (key string, ok bool) {
	if k.fn != nil {
		key, ok = k.fn(r)
		if !ok {
			return "", false
		}
		return shorten(key), true
	}
	u := r.URL
	if u == nil {
		u = &url.URL{}
	}
	scheme := u.Scheme
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	host := r.Host
	if host == "" {
		host = u.Host
	}
	var buf [256]byte
	b := k.appendPrimary(buf[:0], r.Method, scheme, host, u)
	return finish(b), true
}

// URLKey returns the primary key that a GET request for u gets: the key to
// delete when u is invalidated or purged. When Options.Func is nil,
// URLKey(u) == Key(r) for every GET or HEAD request r whose scheme, host,
// path and query are u's, whatever its headers and cookies; a u without a
// scheme is taken as http. When Func is set, URLKey asks it for the key of a
// GET request for u with no header, and returns "" if Func declines. u must
// not be nil; URLKey does not modify it.
func (k *Keyer) URLKey(u *url.URL) string {
	if k.fn != nil {
		r := &http.Request{
			Method: http.MethodGet, URL: u, Host: u.Host,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: make(http.Header), Body: http.NoBody,
		}
		key, _ := k.Key(r)
		return key
	}
	scheme := u.Scheme
	if scheme == "" {
		scheme = "http"
	}
	var buf [256]byte
	return finish(k.appendPrimary(buf[:0], http.MethodGet, scheme, u.Host, u))
}

// appendPrimary appends the readable primary key
// "METHOD scheme://host/path?query" to b. Each part is escaped so that it
// holds none of the bytes that delimit the parts after it.
func (k *Keyer) appendPrimary(b []byte, method, scheme, host string, u *url.URL) []byte {
	switch method {
	case "", http.MethodGet, http.MethodHead:
		b = append(b, http.MethodGet...)
	default:
		b = appendToken(b, method)
	}
	b = append(b, ' ')
	b, https := appendScheme(b, scheme)
	b = append(b, "://"...)
	defaultPort := ":80"
	if https {
		defaultPort = ":443"
	}
	b = appendHost(b, host, defaultPort)
	p := u.Opaque
	if p == "" {
		p = u.EscapedPath()
	}
	b = appendPath(b, p)
	return k.ignore.appendQuery(b, u.RawQuery)
}

// appendScheme appends scheme to b, lower-cased, and reports whether it is https.
func appendScheme(b []byte, scheme string) ([]byte, bool) {
	start := len(b)
	for i := 0; i < len(scheme); i++ {
		c := lower(scheme[i])
		if isAlnum(c) || c == '+' || c == '-' || c == '.' {
			b = append(b, c)
		} else {
			b = appendPercent(b, c)
		}
	}
	return b, string(b[start:]) == "https"
}

// appendHost appends host to b, lower-cased, without an empty port or the
// default port.
func appendHost(b []byte, host, defaultPort string) []byte {
	host = trimPort(host, defaultPort)
	n := hostKept.span(host)
	b = append(b, host[:n]...)
	for i := n; i < len(host); i++ {
		c := lower(host[i])
		if isHostChar(c) {
			b = append(b, c)
		} else {
			b = appendPercent(b, c)
		}
	}
	return b
}

// trimPort removes an empty port or defaultPort (":80") from the end of host.
// A bare IPv6 address ("::80"), whose last colon starts no port, is kept.
func trimPort(host, defaultPort string) string {
	i := strings.LastIndexByte(host, ':')
	if i < 0 {
		return host
	}
	name, port := host[:i], host[i:]
	if strings.IndexByte(name, ':') >= 0 && !(strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]")) {
		return host
	}
	if port == ":" || port == defaultPort {
		return name
	}
	return host
}

// appendPath appends the escaped path p to b, normalised so that equivalent
// encodings meet: percent-encoded unreserved characters are decoded, other
// percent-encodings get upper-case hex, and a byte that may not appear in a
// path is encoded. "%2F" stays distinct from "/". An empty path is "/", and a
// path that does not start with "/" (OPTIONS *, an opaque URL) is marked by
// "@", which no host holds.
func appendPath(b []byte, p string) []byte {
	if p == "" {
		return append(b, '/')
	}
	if p[0] != '/' {
		b = append(b, '@')
	}
	n := pathKept.span(p)
	b = append(b, p[:n]...)
	for i := n; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
			d := unhex(p[i+1])<<4 | unhex(p[i+2])
			if isUnreserved(d) {
				b = append(b, d)
			} else {
				b = appendPercent(b, d)
			}
			i += 2
		case isPathChar(c):
			b = append(b, c)
		default:
			b = appendPercent(b, c)
		}
	}
	return b
}

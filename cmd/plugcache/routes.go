package main

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// route is one path prefix and the handler that serves it.
type route struct {
	prefix  string
	plugin  string
	handler http.Handler
}

// router sends each request to the route with the longest prefix that covers
// its path, and a request no route covers to fallback. It is safe for
// concurrent use.
type router struct {
	routes   []route // longest prefix first
	fallback http.Handler
}

// newRouter builds the router of routes, asking handlerFor for each route's
// handler. With no routes, every path goes to plugin default.
func newRouter(routes []routeConfig, handlerFor func(plugin string) http.Handler, fallback http.Handler) *router {
	if len(routes) == 0 {
		routes = []routeConfig{{Path: "/", Plugin: "default"}}
	}
	rt := &router{fallback: fallback}
	for _, r := range routes {
		rt.routes = append(rt.routes, route{prefix: r.Path, plugin: r.Plugin, handler: handlerFor(r.Plugin)})
	}
	slices.SortStableFunc(rt.routes, func(a, b route) int { return cmp.Compare(len(b.prefix), len(a.prefix)) })
	return rt
}

// match returns the route covering p, an escaped path as URL.EscapedPath
// gives it, or false when none does. The path is matched unescaped but for
// escaped slashes, and cleaned, so that /docs/../api/x takes /api's route
// and /docs%2F..%2Fapi/x does not: the route chosen is the one the upstream,
// which gets the escaped path, will most likely read it as.
func (rt *router) match(p string) (route, bool) {
	p = cleanPath(unescapeRouting(p))
	for _, r := range rt.routes {
		if covers(r.prefix, p) {
			return r, true
		}
	}
	return route{}, false
}

// unescapeRouting unescapes an escaped path for the router, but for "%2F",
// which stays escaped, and "%25", which does too so that "%252F" does not
// become "%2F". The upstream gets the escaped path, where an escaped slash
// does not separate segments; decoding it would let "/api%2Fcatalog" take
// the route of /api/catalog. Other escapes are decoded, as RFC 3986
// §6.2.2.2 has for unreserved characters, so that route paths, written
// unescaped, compare with the result as they are. It returns a path without
// '%' as it is, without allocating.
func unescapeRouting(p string) string {
	i := strings.IndexByte(p, '%')
	if i < 0 {
		return p
	}
	var b strings.Builder
	b.Grow(len(p))
	b.WriteString(p[:i])
	for ; i < len(p); i++ {
		if p[i] != '%' || i+2 >= len(p) {
			b.WriteByte(p[i])
			continue
		}
		v, err := strconv.ParseUint(p[i+1:i+3], 16, 8)
		switch {
		case err != nil: // not an escape, which EscapedPath never gives
			b.WriteByte('%')
			continue
		case v == '/':
			b.WriteString("%2F")
		case v == '%':
			b.WriteString("%25")
		default:
			b.WriteByte(byte(v))
		}
		i += 2
	}
	return b.String()
}

// covers reports whether prefix covers path p: a prefix ending in "/" covers
// what lies under it; any other covers itself and what lies under it.
func covers(prefix, p string) bool {
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	return len(p) == len(prefix) || strings.HasSuffix(prefix, "/") || p[len(prefix)] == '/'
}

// ServeHTTP serves r through its route, or fallback.
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if route, ok := rt.match(r.URL.EscapedPath()); ok {
		route.handler.ServeHTTP(w, r)
		return
	}
	rt.fallback.ServeHTTP(w, r)
}

// plugins returns the plugins the routes use, sorted, each once.
func (rt *router) plugins() []string {
	var ids []string
	for _, r := range rt.routes {
		ids = append(ids, r.plugin)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

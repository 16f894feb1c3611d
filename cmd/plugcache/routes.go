package main

import (
	"cmp"
	"net/http"
	"slices"
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

// match returns the route covering p, or false when none does. The path is
// matched as cleaned, so that /docs/../api/x takes /api's route: the route
// chosen is the one the upstream will most likely read the path as.
func (rt *router) match(p string) (route, bool) {
	p = cleanPath(p)
	for _, r := range rt.routes {
		if covers(r.prefix, p) {
			return r, true
		}
	}
	return route{}, false
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
	if route, ok := rt.match(r.URL.Path); ok {
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

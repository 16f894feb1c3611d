package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRouterMatch(t *testing.T) {
	routes := []routeConfig{
		{Path: "/", Plugin: "default"},
		{Path: "/api/catalog/", Plugin: "catalog"},
		{Path: "/api/techdocs/static/", Plugin: "techdocs"},
		{Path: "/api/search", Plugin: "search"},
		{Path: "/api/my docs/", Plugin: "mydocs"},
	}
	var got string
	rt := newRouter(routes, func(plugin string) http.Handler {
		return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got = plugin })
	}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got = "" }))
	tests := []struct {
		name   string
		target string // the request target, as the client sends it
		want   string // plugin; "" for no route
	}{
		{"the longest prefix wins", "/api/techdocs/static/a/b.html", "techdocs"},
		{"a shorter prefix takes what the longer does not cover", "/api/techdocs/other", "default"},
		{"a prefix ending in / covers what is under it", "/api/catalog/entities", "catalog"},
		{"a prefix ending in / covers itself", "/api/catalog/", "catalog"},
		{"a prefix ending in / does not cover the path without the slash", "/api/catalog", "default"},
		{"a prefix without / covers itself", "/api/search", "search"},
		{"a prefix without / covers what is under it", "/api/search/q", "search"},
		{"a prefix without / does not cover a longer name", "/api/searches", "default"},
		{"/ covers everything else", "/", "default"},
		{"the path is matched as cleaned", "/api/techdocs/static/../../catalog/x", "catalog"},
		{"dot segments cannot escape a route", "/api/catalog/./x", "catalog"},
		{"double slashes are matched as one", "/api//catalog/x", "catalog"},
		{"RFC 3986 §5.2.4: a final .. leaves the trailing slash", "/api/catalog/x/..", "catalog"},
		{"RFC 3986 §5.2.4: a final . leaves the trailing slash", "/api/catalog/.", "catalog"},
		{"an escaped slash is not a separator: the upstream gets it escaped", "/api%2Fcatalog%2Fx", "default"},
		{"an escaped slash in lower case is not a separator either", "/api%2fcatalog%2fx", "default"},
		{"an escaped slash is no separator for dot segments", "/api/catalog/x%2F..%2F..%2Fsearch", "catalog"},
		{"RFC 3986 §6.2.2.2: an escaped unreserved character is the character", "/api/%63atalog/x", "catalog"},
		{"RFC 3986 §6.2.2.2: escaped dots are dot segments", "/api/search/%2E%2E/catalog/x", "catalog"},
		{"a route path is written unescaped", "/api/my%20docs/x", "mydocs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = "(not served)"
			rt.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tt.target, nil))
			if got != tt.want {
				t.Errorf("GET %s: routed to %q, want %q", tt.target, got, tt.want)
			}
		})
	}
}

func TestRouterWithoutCatchAll(t *testing.T) {
	rt := newRouter([]routeConfig{{Path: "/docs/", Plugin: "techdocs"}}, func(string) http.Handler { return nil }, nil)
	if r, ok := rt.match("/api/x"); ok {
		t.Errorf("match(/api/x): got %q, want no route: it goes to the upstream uncached", r.plugin)
	}
}

func TestRouterWithoutRoutesUsesDefault(t *testing.T) {
	rt := newRouter(nil, func(string) http.Handler { return nil }, nil)
	for _, p := range []string{"/", "/anything/at/all"} {
		if r, ok := rt.match(p); !ok || r.plugin != "default" {
			t.Errorf("match(%q): got %q, %v, want default", p, r.plugin, ok)
		}
	}
	if got := rt.plugins(); len(got) != 1 || got[0] != "default" {
		t.Errorf("plugins: got %v, want [default]", got)
	}
}

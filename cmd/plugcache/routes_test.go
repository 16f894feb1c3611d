package main

import (
	"net/http"
	"testing"
)

func TestRouterMatch(t *testing.T) {
	routes := []routeConfig{
		{Path: "/", Plugin: "default"},
		{Path: "/api/catalog/", Plugin: "catalog"},
		{Path: "/api/techdocs/static/", Plugin: "techdocs"},
		{Path: "/api/search", Plugin: "search"},
	}
	rt := newRouter(routes, func(string) http.Handler { return http.NotFoundHandler() }, nil)
	tests := []struct {
		name string
		path string
		want string // plugin; "" for no route
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := rt.match(tt.path)
			if got := r.plugin; got != tt.want || ok != (tt.want != "") {
				t.Errorf("match(%q): got %q, %v, want %q", tt.path, got, ok, tt.want)
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

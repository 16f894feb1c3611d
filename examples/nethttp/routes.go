package main

import (
	"net/http"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/examples/internal/demo"
)

// routes mounts each plugin's handlers behind the HTTP cache of that plugin,
// with the ServeMux patterns of Go 1.22: techdocs at /docs/ and catalog at
// /api/catalog/. The catalog's own ServeMux, inside its cache, sets the path
// value "name" that Catalog.Get and Catalog.Put read.
func routes(mgr *plugcache.Manager, site *demo.Site, cat *demo.Catalog) http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /api/catalog/entities", cat.List)
	api.HandleFunc("GET /api/catalog/entities/{name}", cat.Get)
	api.HandleFunc("PUT /api/catalog/entities/{name}", cat.Put)

	mux := http.NewServeMux()
	mux.Handle("GET /docs/", mgr.Middleware("techdocs")(site))
	mux.Handle("/api/catalog/", mgr.Middleware("catalog")(api))
	mux.Handle("GET /{$}", http.RedirectHandler("/docs/", http.StatusFound))
	return mux
}

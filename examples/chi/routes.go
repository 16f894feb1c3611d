package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/examples/internal/demo"
)

// routes mounts a chi subrouter per plugin, whose r.Use puts the plugin's
// HTTP cache in front of every request that reaches it: techdocs under /docs
// and catalog under /api/catalog. chi's own 404 and 405 answers in a
// subrouter go through that cache too, which treats them as it treats any
// answer: a GET's 404 is stored, a DELETE's 405 passes. chi sets the path
// value "name" that Catalog.Get and Catalog.Put read.
func routes(mgr *plugcache.Manager, site *demo.Site, cat *demo.Catalog) http.Handler {
	r := chi.NewRouter()
	r.Route("/docs", func(r chi.Router) {
		r.Use(mgr.Middleware("techdocs"))
		r.Get("/", site.ServeHTTP)
		r.Get("/{name}", site.ServeHTTP)
	})
	r.Route("/api/catalog", func(r chi.Router) {
		r.Use(mgr.Middleware("catalog"))
		r.Get("/entities", cat.List)
		r.Get("/entities/{name}", cat.Get)
		r.Put("/entities/{name}", cat.Put)
	})
	r.Handle("/", http.RedirectHandler("/docs/", http.StatusFound))
	return r
}

package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/examples/internal/demo"
)

// routes builds the echo service: techdocs at /docs/ and catalog at
// /api/catalog/, each a route group behind the HTTP cache of its plugin.
// Each group's middleware is, outermost first:
//
//   - echo.WrapMiddleware(mgr.Middleware(plugin)): the cache, which answers
//     hits itself and otherwise calls the rest of the chain once;
//   - renderErrors, which renders the errors of the routes behind it while
//     the cache is still there to see them.
func routes(mgr *plugcache.Manager, site *demo.Site, cat *demo.Catalog) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true

	docs := e.Group("/docs", echo.WrapMiddleware(mgr.Middleware("techdocs")), renderErrors)
	docs.GET("/", withPathValues(site.ServeHTTP))
	docs.GET("/:name", withPathValues(site.ServeHTTP))

	api := e.Group("/api/catalog", echo.WrapMiddleware(mgr.Middleware("catalog")), renderErrors)
	api.GET("/entities", withPathValues(cat.List))
	api.GET("/entities/:name", withPathValues(cat.Get))
	api.PUT("/entities/:name", withPathValues(cat.Put))

	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/docs/") })
	return e
}

// renderErrors renders the error the rest of the chain returns at once,
// through echo's HTTPErrorHandler, and returns nil.
//
// Without it, an error would reach the client too late for the cache. echo
// renders the error a handler returns only when the whole chain, the
// outermost middleware included, has returned it to Echo.ServeHTTP, and
// echo.WrapMiddleware returns the error of the handlers inside it only after
// the cache's ServeHTTP has returned. The cache would by then have finished
// a response to which nothing was written, an empty 200, and stored it; and
// a refused PUT would have looked like a success, and made the cache drop
// what it holds for the PUT's URL.
// The demo's handlers write their own errors; the errors that come here are
// echo's own, such as the 404 of the catch-all route that echo adds to a
// group with middleware, for a path that no route matches (/docs without its
// slash, /api/catalog/nope).
func renderErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			c.Error(err)
		}
		return nil
	}
}

// withPathValues adapts h, a net/http handler that reads its route's
// parameters with r.PathValue as net/http's ServeMux and chi set them, to an
// echo route: it first copies the route's echo parameters, such as :name,
// into the request's path values.
func withPathValues(h http.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		for _, name := range c.ParamNames() {
			r.SetPathValue(name, c.Param(name))
		}
		h(c.Response(), r)
		return nil
	}
}

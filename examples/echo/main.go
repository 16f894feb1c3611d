// Command echo is the plugcache quick start on the echo web framework: the
// service of examples/nethttp, whose two plugins, techdocs and catalog, cache
// their responses through plugcache's HTTP middleware, configured from a
// Backstage-style app-config.yaml.
//
//	go run .                          # from examples/echo
//	go run . -addr 127.0.0.1:0        # any free port
//	go run . -config ../nethttp/app-config.production.yaml
//
// It shows how plugcache's func(http.Handler) http.Handler middleware goes
// into echo: echo.WrapMiddleware(mgr.Middleware("techdocs")) on the /docs
// route group, and the same for catalog on /api/catalog. Two things need care
// there:
//   - echo renders the error a handler returns only after the outermost
//     middleware has returned, so each group renders errors inside the cache
//     (renderErrors, in routes.go);
//   - the handler that echo.WrapMiddleware gives the cache is bound to one
//     request's echo.Context, so the cache must not call it in the background:
//     this example's app-config.yaml sets refresh: inline beside the
//     techdocs plugin's staleWhileRevalidate.
//
// The service itself, the same in the net/http and chi examples, is in
// examples/internal/demo; this command holds its echo routes. It is a module
// of its own, so that echo never enters the go.mod of the library. Once
// listening, it prints curl commands that show a miss, a hit, a 304 and an
// invalidation. SIGINT or SIGTERM shuts it down, letting requests in flight
// finish.
package main

import (
	_ "embed"

	"github.com/plugcache/plugcache/examples/internal/demo"
)

// appConfig is the example's own app-config.yaml, compiled into the program
// so that it runs the same whatever directory it is run from.
//
//go:embed app-config.yaml
var appConfig []byte

// program is this example: the demo service on echo. An *echo.Echo is an
// http.Handler, so demo serves it from an http.Server of its own, starting
// and stopping it as in the other examples.
var program = demo.Program{Name: "echo", Config: appConfig, Routes: routes}

// main runs the service until SIGINT or SIGTERM and exits non-zero if it
// could not start or stop cleanly.
func main() { program.Main() }

// Command chi is the plugcache quick start on the chi router: the service of
// examples/nethttp, whose two plugins, techdocs and catalog, cache their
// responses through plugcache's HTTP middleware, configured from a
// Backstage-style app-config.yaml.
//
//	go run .                          # from examples/chi
//	go run . -addr 127.0.0.1:0        # any free port
//	go run . -config ../nethttp/app-config.production.yaml
//
// It shows that plugcache's middleware is chi middleware as it is: both are
// func(http.Handler) http.Handler, so each plugin's route group takes
// r.Use(mgr.Middleware(plugin)), with nothing to adapt, and the techdocs
// cache may refresh stale pages in the background (staleWhileRevalidate).
//
// The service itself, the same in the net/http and echo examples, is in
// examples/internal/demo; this command holds its chi routes. It is a module
// of its own, so that chi never enters the go.mod of the library. Once
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

// program is this example: the demo service on chi.
var program = demo.Program{Name: "chi", Config: appConfig, Routes: routes}

// main runs the service until SIGINT or SIGTERM and exits non-zero if it
// could not start or stop cleanly.
func main() { program.Main() }

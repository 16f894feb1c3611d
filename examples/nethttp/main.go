// Command nethttp is the plugcache quick start: a small net/http service whose
// two plugins, techdocs and catalog, cache their responses through plugcache's
// HTTP middleware, configured from a Backstage-style app-config.yaml.
//
//	go run ./examples/nethttp                      # from the repository root
//	go run ./examples/nethttp -addr 127.0.0.1:0    # any free port
//	go run ./examples/nethttp -config examples/nethttp/app-config.production.yaml
//
// It shows:
//   - mgr.Middleware("techdocs") in front of a deliberately slow page renderer:
//     the first request for a page is a miss that waits for the render and is
//     stored, the next is a hit answered at once with its Age, and a client
//     that already holds the page's ETag gets 304 Not Modified;
//   - mgr.Middleware("catalog") in front of a JSON API: a PUT on an entity
//     makes the cache drop the entity's stored response (RFC 9111 §4.4), and
//     the service purges the entity list itself with Cache.Purge;
//   - Backstage's config layering: the embedded app-config.yaml, then each
//     -config file, merged key by key.
//
// The service itself, the same in the echo and chi examples, is in
// examples/internal/demo; this command holds its net/http routes (routes.go).
// Once listening, it prints curl commands that show each of these. SIGINT or
// SIGTERM shuts it down, letting requests in flight finish.
package main

import (
	_ "embed"

	"github.com/plugcache/plugcache/examples/internal/demo"
)

// appConfig is the example's own app-config.yaml, compiled into the program
// so that `go run ./examples/nethttp` finds it whether it is run from the
// repository root or from examples/nethttp.
//
//go:embed app-config.yaml
var appConfig []byte

// program is this example: the demo service on net/http's ServeMux.
var program = demo.Program{Name: "nethttp", Config: appConfig, Routes: routes}

// main runs the service until SIGINT or SIGTERM and exits non-zero if it
// could not start or stop cleanly.
func main() { program.Main() }

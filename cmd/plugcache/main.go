// Command plugcache checks plugcache configurations against their stores and
// runs the caching reverse proxy.
//
//	plugcache check --config app-config.yaml [--config app-config.production.yaml]
//	plugcache proxy --config app-config.yaml --upstream http://127.0.0.1:7007 --listen 127.0.0.1:8090
//
// check reads the config files as proxy does, proxy block included (but for
// the upstream, which --upstream may give), then makes a set, get and delete
// round trip through every plugin's store, and exits non-zero, with the
// reason, when any of it fails.
//
// proxy puts the cache in front of any HTTP service: each route of the
// config's top-level proxy block (the longest path prefix wins) passes its
// requests through one plugin's RFC 9111 cache, with that plugin's store and
// http options from backend.cache, to the upstream; paths no route covers go
// to the upstream uncached, and with no routes every path uses plugin
// default. Flags override the block's keys; run "plugcache proxy -h".
//
//	proxy:
//	  listen: 127.0.0.1:8090
//	  upstream: http://127.0.0.1:7007
//	  upstreamTimeout: 30s # for the response header; 0 means no limit
//	  routes:
//	    - { path: /api/techdocs/static/, plugin: techdocs }
//	    - { path: /api/catalog/,         plugin: catalog }
//	    - { path: /,                     plugin: default }
//	  admin: { listen: 127.0.0.1:8091, token: ${PLUGCACHE_ADMIN_TOKEN} }
//
// The admin listener, when configured, serves Prometheus metrics at /metrics,
// /healthz, /readyz (503 naming the plugins whose store fails a round trip),
// a status page at / and, with a token, POST /purge:
//
//	curl -H "Authorization: Bearer $PLUGCACHE_ADMIN_TOKEN" \
//	  -d '{"plugin": "techdocs", "url": "http://127.0.0.1:8090/api/techdocs/static/index.html"}' \
//	  http://127.0.0.1:8091/purge
//	curl -H "Authorization: Bearer $PLUGCACHE_ADMIN_TOKEN" -d '{"plugin": "techdocs", "all": true}' \
//	  http://127.0.0.1:8091/purge
//
// A store that does not answer at start is logged and served uncached until
// it does, or, with --require-store, refused. SIGINT or SIGTERM stops the
// proxy after the requests in flight finish, within --grace, and closes the
// stores.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errReported) {
			for line := range strings.Lines(err.Error()) { // one per joined error
				if !strings.HasPrefix(line, "plugcache: ") { // the library's errors say it already
					line = "plugcache: " + line
				}
				fmt.Fprintln(os.Stderr, strings.TrimSuffix(line, "\n"))
			}
		}
		os.Exit(1)
	}
}

// errReported is returned by a command that has already told the user why it
// failed.
var errReported = errors.New("failure reported")

const usage = `usage: plugcache <command> [flags]

commands:
  check   verify a configuration against its stores (set/get/delete per plugin)
  proxy   run the caching reverse proxy in front of a service
`

// run is the whole program, apart from the process's exit, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "check":
		return check(ctx, args[1:], stdout, stderr)
	case "proxy":
		return proxy(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// files is a flag that may be given more than once.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

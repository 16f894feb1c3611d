// Command benchmarks compares plugcache with what it is built on: each
// store's plugin client against gocache's bare store on the same server, the
// HTTP cache's hits against a handler writing the same bytes from memory and
// against one doing a single GET with the store's own client, a stampede on
// one cold key, the memory store's bound and throughput as concurrency and
// value size grow. It starts its own redis, redis cluster and memcached on
// loopback ports unless given servers, and writes a Markdown report with SVG
// charts and a CPU profile summary; a run without -quick also publishes it as
// latest.md. It exits 1 only when a step failed to run: a missed target is
// reported, not an error. See README.md.
//
//	go run ./benchmarks                 # everything, some minutes
//	go run ./benchmarks -quick          # CI: well under a minute, report in a temp dir
//	go test -bench . ./benchmarks/...   # the same operations as Go benchmarks
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		stop()
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	path, _, err := run(ctx, cfg, newProgress(os.Stderr, isTerminal(os.Stderr)))
	stop()
	if path != "" {
		fmt.Println(path)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks:", err)
		os.Exit(1)
	}
}

package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/plugcache/plugcache"
)

// admin serves the admin listener: GET /metrics, /healthz, /readyz and the
// status page at /, and POST /purge when a token is configured. It is safe
// for concurrent use.
type admin struct {
	mgr       *plugcache.Manager
	health    *health
	metrics   http.Handler
	token     string   // "" means no /purge
	plugins   []string // every plugin the config or the routes name, sorted
	routes    []routeConfig
	upstream  string // redacted
	proxyHost string // the proxy's address, for the page's example URL
	started   time.Time
	logger    *slog.Logger
}

// handler routes the admin listener's requests. No response of it may be
// stored by a cache between it and its reader.
func (a *admin) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics)
	mux.HandleFunc("GET /healthz", a.serveHealthz)
	mux.HandleFunc("GET /readyz", a.serveReadyz)
	mux.HandleFunc("GET /{$}", a.serveStatus)
	if a.token != "" {
		mux.HandleFunc("POST /purge", a.servePurge)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}

// serveHealthz answers 200 while the process serves at all.
func (a *admin) serveHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// serveReadyz answers 200 when every configured store made its set, get and
// delete round trip within its timeout at the latest check, and 503 naming
// the plugins whose store did not.
func (a *admin) serveReadyz(w http.ResponseWriter, r *http.Request) {
	results, _ := a.health.results(r.Context())
	var failed []plugcache.CheckResult
	for _, c := range results {
		if c.Err != nil {
			failed = append(failed, c)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(failed) == 0 {
		fmt.Fprintf(w, "ready: %d of %d plugins reach their store\n", len(results), len(results))
		return
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	names := make([]string, len(failed))
	for i, c := range failed {
		names[i] = c.Plugin
	}
	fmt.Fprintf(w, "not ready: %d of %d plugins cannot reach their store: %s\n", len(failed), len(results), strings.Join(names, ", "))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range failed {
		fmt.Fprintf(tw, "%s\t%s\t%v\n", c.Plugin, c.Connection, c.Err)
	}
	tw.Flush()
}

package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/plugcache/plugcache"
)

// BenchmarkProxyHit serves a 1 KiB hit through the proxy's handler (routing
// in front of the plugin's cache), in process. Compare it with
// BenchmarkMiddlewareHit, the same plugin's cache wrapping the same page as
// library middleware: a hit through the proxy must cost no more.
func BenchmarkProxyHit(b *testing.B) {
	upstream := httptest.NewServer(http.HandlerFunc(writeBenchPage))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	mgr := benchManager(b)
	h, _ := newProxyHandler(mgr, settings{upstream: u, routes: []routeConfig{{Path: "/docs/", Plugin: "docs"}}}, slog.New(slog.DiscardHandler))
	benchHits(b, h)
}

// BenchmarkMiddlewareHit is BenchmarkProxyHit's baseline.
func BenchmarkMiddlewareHit(b *testing.B) {
	benchHits(b, benchManager(b).Middleware("docs")(http.HandlerFunc(writeBenchPage)))
}

func benchManager(b *testing.B) *plugcache.Manager {
	mgr, err := plugcache.NewManager(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { mgr.Close() })
	return mgr
}

func writeBenchPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(bytes.Repeat([]byte("x"), 1024))
}

func benchHits(b *testing.B, h http.Handler) {
	warm := httptest.NewRecorder()
	h.ServeHTTP(warm, httptest.NewRequest("GET", "/docs/page", nil))
	if !strings.Contains(warm.Header().Get("Cache-Status"), "stored") {
		b.Fatalf("warm-up not stored: %q", warm.Header().Get("Cache-Status"))
	}
	r := httptest.NewRequest("GET", "/docs/page", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

package plugcache_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/backends/ristretto"
)

func ExampleNewManager() {
	mgr, err := plugcache.NewManager(&plugcache.Config{}) // the zero Config caches in memory
	if err != nil {
		panic(err)
	}
	defer mgr.Close()

	ctx := context.Background()
	docs := mgr.ForPlugin("techdocs")
	_ = docs.Set(ctx, "page:/index.html", []byte("<h1>Docs</h1>"), plugcache.WithTTL(time.Hour))
	v, ok, err := docs.Get(ctx, "page:/index.html")
	fmt.Printf("%s %v %v\n", v, ok, err)

	// Another plugin's namespace does not see techdocs' keys.
	_, ok, _ = mgr.ForPlugin("catalog").Get(ctx, "page:/index.html")
	fmt.Println(ok)
	// Output:
	// <h1>Docs</h1> true <nil>
	// false
}

func ExampleLoadConfig() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	base := filepath.Join(dir, "app-config.yaml")
	prod := filepath.Join(dir, "app-config.production.yaml")
	os.WriteFile(base, []byte("backend:\n  cache:\n    store: memory\n    defaultTtl: { minutes: 5 }\n"), 0o600)
	os.WriteFile(prod, []byte("backend:\n  cache:\n    plugin:\n      techdocs: { defaultTtl: 1h }\n"), 0o600)

	cfg, err := plugcache.LoadConfig(base, prod)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Store, cfg.DefaultTTL, cfg.Plugin["techdocs"].DefaultTTL)
	// Output: memory 5m0s 1h0m0s
}

func ExampleClient_WithDefaultTTL() {
	mgr, _ := plugcache.NewManager(nil)
	defer mgr.Close()
	short := mgr.ForPlugin("search").WithDefaultTTL(5 * time.Second)
	fmt.Println(short.Plugin(), short.DefaultTTL())
	// Output: search 5s
}

func ExampleClient_Clear() {
	mgr, _ := plugcache.NewManager(nil)
	defer mgr.Close()
	ctx := context.Background()
	docs, catalog := mgr.ForPlugin("techdocs"), mgr.ForPlugin("catalog")
	_ = docs.Set(ctx, "k", []byte("docs"))
	_ = catalog.Set(ctx, "k", []byte("catalog"))

	_ = docs.Clear(ctx) // empties techdocs only
	_, inDocs, _ := docs.Get(ctx, "k")
	_, inCatalog, _ := catalog.Get(ctx, "k")
	fmt.Println(inDocs, inCatalog)
	// Output: false true
}

func ExampleNewMetrics() {
	metrics := plugcache.NewMetrics()
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics)
	cfg := &plugcache.Config{Plugin: map[string]plugcache.PluginConfig{"techdocs": {}}}
	mgr, err := plugcache.Open(cfg, plugcache.Options{Metrics: metrics})
	if err != nil {
		panic(err)
	}
	defer mgr.Close()

	h := mgr.Middleware("techdocs")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "<h1>Docs</h1>")
	}))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "http://example.com/docs", nil))
	}

	families, _ := reg.Gather() // what a scrape of reg would see, sorted by name
	for _, f := range families {
		fmt.Println(f.GetName())
	}
	for _, st := range mgr.Status() {
		fmt.Printf("%s: %d hits, %d misses, hit ratio %.2f\n", st.Plugin, st.Requests["hit"], st.Requests["miss"], st.HitRatio)
	}
	// Output:
	// plugcache_http_coalesced_total
	// plugcache_http_requests_total
	// plugcache_memory_cost_bytes
	// plugcache_memory_entries
	// plugcache_memory_evictions_total
	// plugcache_memory_rejections_total
	// plugcache_store_operation_duration_seconds
	// plugcache_stored_bytes_total
	// plugcache_stored_entries_total
	// default: 0 hits, 0 misses, hit ratio 0.00
	// techdocs: 2 hits, 1 misses, hit ratio 0.67
}

func ExampleManager_Purge() {
	mgr, _ := plugcache.NewManager(nil)
	defer mgr.Close()
	h := mgr.Middleware("techdocs")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "<h1>Docs</h1>")
	}))
	get := func() string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/docs", nil))
		return w.Header().Get("Cache-Status")
	}
	get()
	fmt.Println(get())
	u, _ := url.Parse("http://example.com/docs")
	_ = mgr.Purge(context.Background(), "techdocs", u)
	fmt.Println(get())
	// Output:
	// plugcache; hit; ttl=60
	// plugcache; fwd=uri-miss; stored
}

func ExampleParseConfig() {
	// An app-config.yaml compiled into the program (go:embed), then a
	// production file read from disk, merged key by key.
	base := plugcache.ConfigFile{Name: "app-config.yaml", Data: []byte("backend:\n  cache:\n    defaultTtl: 5m\n")}
	prod := plugcache.ConfigFile{Name: "app-config.production.yaml", Data: []byte("backend:\n  cache:\n    plugin:\n      techdocs: { defaultTtl: 1h }\n")}
	cfg, err := plugcache.ParseConfig(base, prod)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.DefaultTTL, cfg.Plugin["techdocs"].DefaultTTL)

	_, err = plugcache.ParseConfig(plugcache.ConfigFile{Name: "bad.yaml", Data: []byte("backend:\n  cache:\n    stroe: redis\n")})
	fmt.Println(err)
	// Output:
	// 5m0s 1h0m0s
	// plugcache: backend.cache.stroe: unknown key; did you mean "store"? (bad.yaml:3)
}

func ExampleOpen() {
	// Any backends.Store can stand in for the store the config names; here
	// a memory store built by hand, shared by every plugin in its own
	// namespace.
	store, _ := ristretto.New(ristretto.Options{MaxCost: 1 << 20})
	defer store.Close()
	mgr, err := plugcache.Open(&plugcache.Config{}, plugcache.Options{Store: store})
	if err != nil {
		panic(err)
	}
	defer mgr.Close()
	ctx := context.Background()
	_ = mgr.ForPlugin("catalog").Set(ctx, "entity:a", []byte("A"))
	v, ok, _ := mgr.ForPlugin("catalog").Get(ctx, "entity:a")
	fmt.Println(string(v), ok)
	// Output: A true
}

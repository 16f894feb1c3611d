package plugcache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
	"github.com/plugcache/plugcache/middleware"
)

// openWithMetrics opens cfg with a fresh Metrics registered on a pedantic
// registry, which checks every metric against its description.
func openWithMetrics(t *testing.T, cfg *Config, opts Options) (*Manager, *prometheus.Registry) {
	t.Helper()
	opts.Metrics = NewMetrics()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(opts.Metrics)
	mgr, err := Open(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mgr.Close() })
	return mgr, reg
}

// metricValue gathers reg and sums the samples of name whose labels include
// labels (name, value pairs): a counter's or a gauge's value, a histogram's
// count. Given every label of name, it is the one sample's value. It is 0 when
// there is no such sample.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !hasLabels(m, labels) {
				continue
			}
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

// hasLabels reports whether m has every label of pairs (name, value pairs).
func hasLabels(m *dto.Metric, pairs []string) bool {
	for i := 0; i < len(pairs); i += 2 {
		if !slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool {
			return l.GetName() == pairs[i] && l.GetValue() == pairs[i+1]
		}) {
			return false
		}
	}
	return true
}

// testOrigin is the handler behind the HTTP cache in these tests.
func testOrigin() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/fresh", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "fresh page")
	})
	mux.HandleFunc("/no-store", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, "secret page")
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=0")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "page with a validator")
	})
	mux.HandleFunc("/vary", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("Vary", "Accept-Language")
		io.WriteString(w, "page in "+r.Header.Get("Accept-Language"))
	})
	return mux
}

// request is one request a test sends through the HTTP cache.
type request struct {
	method, path string
	header       []string // name, value pairs
}

// serve sends req through h, bounded so that a hang fails the test, and
// returns the response's Cache-Status.
func serve(t *testing.T, h http.Handler, req request) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := httptest.NewRequestWithContext(ctx, req.method, "http://example.com"+req.path, nil)
	for i := 0; i < len(req.header); i += 2 {
		r.Header.Set(req.header[i], req.header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Header().Get("Cache-Status")
}

func get(path string, header ...string) request { return request{"GET", path, header} }

// TestRequestsCountByResult sends requests through Manager.Middleware on
// every store and counts them by result and detail.
func TestRequestsCountByResult(t *testing.T) {
	type count struct {
		result middleware.Result
		detail string
		n      float64
	}
	tests := []struct {
		name string
		reqs []request
		want []count
	}{
		{"a first GET is a miss and the next a hit",
			[]request{get("/fresh"), get("/fresh")},
			[]count{{middleware.Miss, "", 1}, {middleware.Hit, "", 1}}},
		{"§3 a no-store response is a miss every time",
			[]request{get("/no-store"), get("/no-store")},
			[]count{{middleware.Miss, "no-store", 2}}},
		{"§4.3.4 a stale entry the origin confirms with 304 is revalidated",
			[]request{get("/etag"), get("/etag")},
			[]count{{middleware.Miss, "", 1}, {middleware.Revalidated, "stale", 1}}},
		{"§4.4 a successful POST bypasses the cache and invalidates",
			[]request{{method: "POST", path: "/fresh"}},
			[]count{{middleware.Bypass, "invalidated", 1}}},
		{"a Range request with nothing stored goes to the origin",
			[]request{get("/fresh", "Range", "bytes=0-1")},
			[]count{{middleware.Miss, "range", 1}}},
		{"§4.2.4 a stale entry a client accepts with max-stale is served stale",
			[]request{get("/etag"), get("/etag", "Cache-Control", "max-stale=60")},
			[]count{{middleware.Miss, "", 1}, {middleware.Stale, "", 1}}},
		{"each Vary variant is a miss once, then a hit",
			[]request{get("/vary", "Accept-Language", "en"), get("/vary", "Accept-Language", "de"), get("/vary", "Accept-Language", "en")},
			[]count{{middleware.Miss, "", 2}, {middleware.Hit, "", 1}}},
	}
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			mgr, reg := openWithMetrics(t, sc.cfg, Options{})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					plugin := uniquePlugin(t, "http")
					h := mgr.Middleware(plugin)(testOrigin())
					for _, req := range tt.reqs {
						serve(t, h, req)
					}
					var total float64
					for _, w := range tt.want {
						got := metricValue(t, reg, "plugcache_http_requests_total", "plugin", plugin, "result", string(w.result), "detail", w.detail)
						if got != w.n {
							t.Errorf("requests{result=%q,detail=%q}: got %v, want %v", w.result, w.detail, got, w.n)
						}
						total += w.n
					}
					if all := metricValue(t, reg, "plugcache_http_requests_total", "plugin", plugin); all != total {
						t.Errorf("requests of every result: got %v, want %v", all, total)
					}
				})
			}
		})
	}
}

// TestCoalescedCount holds the origin while concurrent misses for one page
// arrive: every request served from another's response is counted once, as
// its Cache-Status says. In a synctest bubble, synctest.Wait returns once
// every request is blocked: the leader in the origin, the others queued
// behind it.
func TestCoalescedCount(t *testing.T) { synctest.Test(t, testCoalescedCount) }

func testCoalescedCount(t *testing.T) {
	mgr, reg := openWithMetrics(t, nil, Options{})
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	h := mgr.Middleware("search")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "results")
	}))
	statuses := make([]string, 8)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() { statuses[i] = serve(t, h, get("/search?q=go")) })
		if i == 0 {
			<-started // the leader is in the handler
		}
	}
	synctest.Wait() // the others queue behind it
	close(release)
	wg.Wait()
	var collapsed float64
	for _, cs := range statuses {
		if strings.Contains(cs, "collapsed") {
			collapsed++
		}
	}
	if collapsed != float64(len(statuses)-1) {
		t.Fatalf("collapsed: got %v of %q, want all but the leader", collapsed, statuses)
	}
	if got := metricValue(t, reg, "plugcache_http_coalesced_total", "plugin", "search"); got != collapsed {
		t.Errorf("coalesced: got %v, want %v (the responses that say collapsed)", got, collapsed)
	}
	if got := metricValue(t, reg, "plugcache_http_requests_total", "plugin", "search", "result", "miss", "detail", "collapsed"); got != collapsed {
		t.Errorf("requests{result=miss,detail=collapsed}: got %v, want %v", got, collapsed)
	}
}

// TestStoreErrorsByKind makes store calls fail in each way the kind label
// tells apart, on real servers, and counts them.
func TestStoreErrorsByKind(t *testing.T) {
	const timeout = 300 * time.Millisecond
	ctx := context.Background()
	tests := []struct {
		name       string
		config     func(t *testing.T) (StoreConfig, func()) // the store, and what makes it fail
		call       func(c *Client) error
		store, op  string
		kind       string
		httpResult middleware.Result // a request's result while the store fails; "" to skip
	}{
		{name: "a killed memcached is unavailable",
			config: func(t *testing.T) (StoreConfig, func()) {
				mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
				return StoreConfig{Store: StoreMemcache, Connection: mc.Addr, Timeout: timeout}, func() { kill(t, mc) }
			},
			call: getErr, store: "memcache", op: "get", kind: "unavailable", httpResult: middleware.Error},
		{name: "a stalled memcached times out",
			config: func(t *testing.T) (StoreConfig, func()) {
				mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
				p := testserver.NewStallProxy(t, mc.Addr)
				return StoreConfig{Store: StoreMemcache, Connection: p.Addr, Timeout: timeout}, p.Stall
			},
			call: getErr, store: "memcache", op: "get", kind: "timeout"},
		{name: "a killed redis is unavailable",
			config: func(t *testing.T) (StoreConfig, func()) {
				r := testserver.NewRedis(t, testserver.RedisOptions{})
				return StoreConfig{Store: StoreRedis, Connection: r.URL, Timeout: timeout}, func() { kill(t, r) }
			},
			call: func(c *Client) error { return c.Delete(ctx, "k") }, store: "redis", op: "delete", kind: "unavailable", httpResult: middleware.Error},
		{name: "a stalled redis times out",
			config: func(t *testing.T) (StoreConfig, func()) {
				r := testserver.NewRedis(t, testserver.RedisOptions{})
				p := testserver.NewStallProxy(t, r.Addr)
				return StoreConfig{Store: StoreRedis, Connection: "redis://" + p.Addr, Timeout: timeout}, p.Stall
			},
			call: getErr, store: "redis", op: "get", kind: "timeout"},
		{name: "a value over memcached's item size is too large",
			config: func(t *testing.T) (StoreConfig, func()) {
				startServers(t)
				return StoreConfig{Store: StoreMemcache, Connection: servers.memcached[0].Addr, Timeout: 2 * time.Second}, func() {}
			},
			call:  func(c *Client) error { return c.Set(ctx, "big", make([]byte, 2<<20)) },
			store: "memcache", op: "set", kind: "too_large"},
		{name: "a value over the memory store's maxCost is too large",
			config: func(t *testing.T) (StoreConfig, func()) {
				return StoreConfig{Memory: MemoryConfig{MaxCost: 64 << 10}}, func() {}
			},
			call:  func(c *Client) error { return c.Set(ctx, "big", make([]byte, 128<<10)) },
			store: "memory", op: "set", kind: "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc, fail := tt.config(t)
			mgr, reg := openWithMetrics(t, &Config{StoreConfig: sc}, Options{})
			plugin := uniquePlugin(t, "errors")
			c := mgr.ForPlugin(plugin)
			mustSet(t, c, "k", []byte("v")) // reads the generation while the store works
			durations := func() float64 {
				return metricValue(t, reg, "plugcache_store_operation_duration_seconds", "store", tt.store, "op", tt.op)
			}
			before := durations()
			fail()
			if err := tt.call(c); err == nil {
				t.Fatal("the call succeeded; want it to fail")
			}
			labels := []string{"store", tt.store, "op", tt.op, "kind", tt.kind}
			if got := metricValue(t, reg, "plugcache_store_errors_total", labels...); got != 1 {
				t.Errorf("store errors %v: got %v, want 1", labels, got)
			}
			if got := durations() - before; got != 1 {
				t.Errorf("%s durations observed by the failed call: got %v, want 1", tt.op, got)
			}
			if got := metricValue(t, reg, "plugcache_stored_entries_total", "plugin", plugin); got != 1 {
				t.Errorf("stored entries: got %v, want 1 (the set before the failure)", got)
			}
			if tt.httpResult == "" {
				return
			}
			serve(t, mgr.Middleware(plugin)(testOrigin()), get("/fresh"))
			if got := metricValue(t, reg, "plugcache_http_requests_total", "plugin", plugin, "result", string(tt.httpResult), "detail", "store-error"); got != 1 {
				t.Errorf("requests{result=%s,detail=store-error}: got %v, want 1", tt.httpResult, got)
			}
		})
	}
}

func getErr(c *Client) error {
	_, _, err := c.Get(context.Background(), "k")
	return err
}

func kill(t *testing.T, s interface{ Kill() error }) {
	t.Helper()
	if err := s.Kill(); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptValuesCount stores bytes that plugcache did not write under a
// client's key: its Get is a miss counted as corrupt.
func TestCorruptValuesCount(t *testing.T) {
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			mgr, reg := openWithMetrics(t, sc.cfg, Options{})
			c := mgr.ForPlugin(uniquePlugin(t, "corrupt"))
			ctx := context.Background()
			plant(t, c, "k", []byte("not plugcache's"))
			if _, ok, err := c.Get(ctx, "k"); ok || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get: got ok=%v err=%v, want a miss with ErrCorrupt", ok, err)
			}
			store := sc.cfg.Store
			if got := metricValue(t, reg, "plugcache_store_errors_total", "store", store, "op", "get", "kind", "corrupt"); got != 1 {
				t.Errorf("corrupt gets on %s: got %v, want 1", store, got)
			}
		})
	}
}

// TestStoredBytesAndEntries counts what clients and the HTTP cache store, on
// every store.
func TestStoredBytesAndEntries(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		do        func(t *testing.T, mgr *Manager, plugin string)
		entries   float64
		bytes     float64 // -1: some
		durations map[string]float64
	}{
		{"each Set counts its value's bytes, before the envelope", func(t *testing.T, mgr *Manager, plugin string) {
			c := mgr.ForPlugin(plugin)
			mustSet(t, c, "a", []byte("abc"))
			mustSet(t, c, "b", []byte("hello"))
		}, 2, 8, map[string]float64{"set": 2}},
		{"an empty value is an entry of no bytes", func(t *testing.T, mgr *Manager, plugin string) {
			mustSet(t, mgr.ForPlugin(plugin), "a", nil)
		}, 1, 0, map[string]float64{"set": 1}},
		{"gets, deletes and clears store nothing", func(t *testing.T, mgr *Manager, plugin string) {
			c := mgr.ForPlugin(plugin)
			mustMiss(t, c, "a")
			if err := c.Delete(ctx, "a"); err != nil {
				t.Fatal(err)
			}
			if err := c.Clear(ctx); err != nil {
				t.Fatal(err)
			}
		}, 0, 0, map[string]float64{"get": 1, "delete": 1, "clear": 1}},
		{"a client WithDefaultTTL counts in its plugin", func(t *testing.T, mgr *Manager, plugin string) {
			mustSet(t, mgr.ForPlugin(plugin).WithDefaultTTL(time.Minute), "a", []byte("abcd"))
		}, 1, 4, map[string]float64{"set": 1}},
		{"a response the HTTP cache stores is an entry", func(t *testing.T, mgr *Manager, plugin string) {
			serve(t, mgr.Middleware(plugin)(testOrigin()), get("/fresh"))
		}, 1, -1, map[string]float64{"get": 1, "set": 1}},
	}
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					// A Manager each: the durations are by store, not plugin.
					mgr, reg := openWithMetrics(t, sc.cfg, Options{})
					plugin := uniquePlugin(t, "stored")
					tt.do(t, mgr, plugin)
					if got := metricValue(t, reg, "plugcache_stored_entries_total", "plugin", plugin); got != tt.entries {
						t.Errorf("stored entries: got %v, want %v", got, tt.entries)
					}
					got := metricValue(t, reg, "plugcache_stored_bytes_total", "plugin", plugin)
					if tt.bytes >= 0 && got != tt.bytes || tt.bytes < 0 && got <= 0 {
						t.Errorf("stored bytes: got %v, want %v", got, tt.bytes)
					}
					for _, op := range opNames {
						got := metricValue(t, reg, "plugcache_store_operation_duration_seconds", "store", sc.cfg.Store, "op", op)
						if got != tt.durations[op] {
							t.Errorf("%s durations observed: got %v, want %v", op, got, tt.durations[op])
						}
					}
				})
			}
		})
	}
}

// TestMemoryStoreMetrics overflows tiny memory stores and reads their
// ristretto statistics at scrape time.
func TestMemoryStoreMetrics(t *testing.T) {
	const maxCost = 16 << 10
	tests := []struct {
		name   string
		cfg    *Config
		plugin string
		store  string // the store label
	}{
		{"backend.cache's memory store is memory",
			&Config{StoreConfig: StoreConfig{Memory: MemoryConfig{MaxCost: maxCost}}},
			"catalog", "memory"},
		{"a plugin's own memory store is named after it",
			&Config{StoreConfig: StoreConfig{Store: StoreRedis, Connection: "redis://127.0.0.1:1"},
				Plugin: map[string]PluginConfig{"search": {StoreConfig: StoreConfig{Store: StoreMemory, Memory: MemoryConfig{MaxCost: maxCost}}}}},
			"search", "memory:search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mgr, reg := openWithMetrics(t, tt.cfg, Options{})
			c := mgr.ForPlugin(tt.plugin)
			const n, size = 400, 200
			for i := range n {
				if err := c.Set(context.Background(), fmt.Sprint("key-", i), make([]byte, size)); err != nil {
					t.Fatal(err)
				}
			}
			value := func(name string) float64 { return metricValue(t, reg, name, "store", tt.store) }
			if got := value("plugcache_memory_evictions_total"); got == 0 {
				t.Errorf("evictions after %d sets of %d bytes into %d: got 0, want some", n, size, maxCost)
			}
			if got := value("plugcache_memory_cost_bytes"); got <= 0 || got > maxCost {
				t.Errorf("cost: got %v, want in (0, %d]", got, maxCost)
			}
			if got := value("plugcache_memory_entries"); got <= 0 || got >= n {
				t.Errorf("entries: got %v, want in (0, %d)", got, n)
			}
			if got := value("plugcache_memory_evictions_total") + value("plugcache_memory_rejections_total") + value("plugcache_memory_entries"); got != n {
				t.Errorf("evictions+rejections+entries: got %v, want the %d entries set", got, n)
			}
		})
	}
}

// TestMetricsServeOneManager: a Metrics is refused by a second open Manager,
// and taken by the next once the first is closed.
func TestMetricsServeOneManager(t *testing.T) {
	mt := NewMetrics()
	first, err := Open(nil, Options{Metrics: mt})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := Open(nil, Options{Metrics: mt}); err == nil || !strings.Contains(err.Error(), "Options.Metrics") {
		m.Close()
		t.Fatalf("second Open with the same Metrics: got %v, want an error naming Options.Metrics", err)
	}
	first.Close()
	second, err := Open(nil, Options{Metrics: mt})
	if err != nil {
		t.Fatalf("Open after the first Manager closed: %v", err)
	}
	second.Close()
}

// TestNoMetricsRecordsNothing: without Options.Metrics the namespace has no
// recorder, and the HTTP cache no OnEvent.
func TestNoMetricsRecordsNothing(t *testing.T) {
	mgr, err := NewManager(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	if c := mgr.ForPlugin("catalog"); c.ns.metrics != nil {
		t.Errorf("namespace metrics: got %v, want nil", c.ns.metrics)
	}
	serve(t, mgr.Middleware(DefaultPlugin)(testOrigin()), get("/fresh"))
	for _, st := range mgr.Status() {
		for r, n := range st.Requests {
			if n != 0 {
				t.Errorf("%s requests %s: got %d, want 0 without Metrics", st.Plugin, r, n)
			}
		}
	}
}

// BenchmarkClientGetHit measures a memory-store hit through a plugin client,
// without and with Metrics.
func BenchmarkClientGetHit(b *testing.B) {
	for _, bm := range []struct {
		name    string
		metrics *Metrics
	}{
		{"without Metrics", nil},
		{"with Metrics", NewMetrics()},
	} {
		mgr, err := Open(nil, Options{Metrics: bm.metrics})
		if err != nil {
			b.Fatal(err)
		}
		c := mgr.ForPlugin("catalog")
		ctx := context.Background()
		if err := c.Set(ctx, "k", make([]byte, 1024)); err != nil {
			b.Fatal(err)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
		b.Run(bm.name+" parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
						b.Fatal(ok, err)
					}
				}
			})
		})
		mgr.Close()
	}
}

// TestStatus reports each plugin's store, its connection with the password
// masked, and its HTTP cache's hit ratio.
func TestStatus(t *testing.T) {
	given := failedStore{errors.New("never called")}
	cfg := &Config{Plugin: map[string]PluginConfig{
		"catalog": {StoreConfig: StoreConfig{Store: StoreRedis, Connection: "redis://:s3cret@127.0.0.1:1/0"}},
		"docs":    {StoreConfig: StoreConfig{Store: StoreMemcache, Connection: "127.0.0.1:1,127.0.0.2:1"}},
		"search":  {},
	}}
	mgr, _ := openWithMetrics(t, cfg, Options{PluginStores: map[string]backends.Store{"search": given}})
	h := mgr.Middleware(DefaultPlugin)(testOrigin())
	for _, req := range []request{get("/fresh"), get("/fresh"), get("/fresh"), get("/no-store")} {
		serve(t, h, req)
	}
	tests := []struct {
		plugin, store, connection string
		requests                  map[string]uint64
		hitRatio                  float64
	}{
		{DefaultPlugin, "memory", "memory (maxCost 67108864 bytes)", map[string]uint64{"hit": 2, "miss": 2}, 0.5},
		{"catalog", "redis", "redis redis://:xxxxx@127.0.0.1:1/0", nil, 0},
		{"docs", "memcache", "memcache 127.0.0.1:1,127.0.0.2:1", nil, 0},
		{"search", "custom", "given in Options", nil, 0},
	}
	got := mgr.Status()
	if len(got) != len(tests) {
		t.Fatalf("Status: got %d plugins, want %d: %+v", len(got), len(tests), got)
	}
	for i, tt := range tests {
		st := got[i]
		if st.Plugin != tt.plugin || st.Store != tt.store || st.Connection != tt.connection || st.HitRatio != tt.hitRatio {
			t.Errorf("Status()[%d]: got %s %s %q ratio %v, want %s %s %q ratio %v", i, st.Plugin, st.Store, st.Connection, st.HitRatio, tt.plugin, tt.store, tt.connection, tt.hitRatio)
		}
		if strings.Contains(st.Connection, "s3cret") {
			t.Errorf("%s: connection %q shows the password", st.Plugin, st.Connection)
		}
		for _, r := range []middleware.Result{middleware.Hit, middleware.Stale, middleware.Revalidated, middleware.Miss, middleware.Bypass, middleware.Error} {
			n, ok := st.Requests[string(r)]
			if !ok || n != tt.requests[string(r)] {
				t.Errorf("%s requests %s: got %d (present %v), want %d", st.Plugin, r, n, ok, tt.requests[string(r)])
			}
		}
	}
}

// BenchmarkMiddlewareHit measures a fresh hit through Manager.Middleware on
// the memory store, without and with Metrics: the store calls' timing and
// the request's count.
func BenchmarkMiddlewareHit(b *testing.B) {
	for _, bm := range []struct {
		name    string
		metrics *Metrics
	}{
		{"without Metrics", nil},
		{"with Metrics", NewMetrics()},
	} {
		mgr, err := Open(nil, Options{Metrics: bm.metrics})
		if err != nil {
			b.Fatal(err)
		}
		h := mgr.Middleware("techdocs")(testOrigin())
		r := httptest.NewRequest("GET", "http://example.com/fresh", nil)
		h.ServeHTTP(httptest.NewRecorder(), r)
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
		mgr.Close()
	}
}

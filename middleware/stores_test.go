package middleware_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache"
	pcredis "github.com/plugcache/plugcache/backends/redis"
	"github.com/plugcache/plugcache/internal/testserver"
	"github.com/plugcache/plugcache/middleware"
)

// testClient bounds every request, so a hang fails the test that caused it.
var testClient = &http.Client{Timeout: 20 * time.Second}

// realStores starts one of each real store and returns configs for them.
func realStores(t *testing.T) []struct {
	name string
	cfg  plugcache.StoreConfig
} {
	r := testserver.NewRedis(t, testserver.RedisOptions{})
	cl := testserver.NewRedisCluster(t, testserver.RedisClusterOptions{})
	mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	var nodes []plugcache.RedisNode
	for _, u := range cl.URLs {
		nodes = append(nodes, plugcache.RedisNode{URL: u})
	}
	return []struct {
		name string
		cfg  plugcache.StoreConfig
	}{
		{"memory", plugcache.StoreConfig{Store: plugcache.StoreMemory}},
		{"memcache", plugcache.StoreConfig{Store: plugcache.StoreMemcache, Connection: mc.Addr, Timeout: 2 * time.Second}},
		{"redis", plugcache.StoreConfig{Store: plugcache.StoreRedis, Connection: r.URL, Timeout: 2 * time.Second}},
		{"redis cluster", plugcache.StoreConfig{Store: plugcache.StoreRedis, Timeout: 2 * time.Second, Redis: plugcache.RedisConfig{Cluster: &plugcache.RedisClusterConfig{RootNodes: nodes}}}},
	}
}

// newManager opens a Manager on sc, closed when the test ends.
func newManager(t *testing.T, sc plugcache.StoreConfig) *plugcache.Manager {
	t.Helper()
	mgr, err := plugcache.NewManager(&plugcache.Config{StoreConfig: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mgr.Close() })
	return mgr
}

// TestMiddlewareOnEveryStore runs the middleware over each real store:
// miss, hit, variants, revalidation and invalidation.
func TestMiddlewareOnEveryStore(t *testing.T) {
	for _, st := range realStores(t) {
		t.Run(st.name, func(t *testing.T) {
			mgr := newManager(t, st.cfg)
			var calls atomic.Int32
			srv := httptest.NewServer(mgr.Middleware("techdocs")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				if r.Method == http.MethodPut {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				w.Header().Set("Cache-Control", "max-age=60")
				w.Header().Set("ETag", `"e"`)
				w.Header().Set("Vary", "Accept-Language")
				fmt.Fprintf(w, "%s %d", r.Header.Get("Accept-Language"), n)
			})))
			defer srv.Close()

			steps := []struct {
				method, lang string
				wantBody     string
				wantCS       string
			}{
				{"GET", "en", "en 1", "fwd=uri-miss; stored"},
				{"GET", "en", "en 1", "hit"},
				{"GET", "de", "de 2", "fwd=vary-miss; stored"},
				{"GET", "de", "de 2", "hit"},
				{"PUT", "", "", "fwd=method"},
				{"GET", "en", "en 4", "fwd=uri-miss; stored"},
			}
			for i, s := range steps {
				req, _ := http.NewRequest(s.method, srv.URL+"/docs/a", nil)
				if s.lang != "" {
					req.Header.Set("Accept-Language", s.lang)
				}
				resp, err := testClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(body) != s.wantBody || !strings.Contains(resp.Header.Get("Cache-Status"), s.wantCS) {
					t.Errorf("step %d: got %q, %q; want %q, %q", i, body, resp.Header.Get("Cache-Status"), s.wantBody, s.wantCS)
				}
			}
		})
	}
}

// TestStoreFaultsUnderLoad kills or stalls the store while clients hammer the
// cache: every response is the handler's, right and never a 5xx.
func TestStoreFaultsUnderLoad(t *testing.T) {
	type fault struct {
		name   string
		config func(t *testing.T) (plugcache.StoreConfig, func(), func())
	}
	faults := []fault{
		{"redis killed and restarted", func(t *testing.T) (plugcache.StoreConfig, func(), func()) {
			r := testserver.NewRedis(t, testserver.RedisOptions{})
			return plugcache.StoreConfig{Store: plugcache.StoreRedis, Connection: r.URL, Timeout: 200 * time.Millisecond},
				func() { r.Kill() }, func() { r.Restart() }
		}},
		{"memcached stalled and resumed", func(t *testing.T) (plugcache.StoreConfig, func(), func()) {
			mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
			p := testserver.NewStallProxy(t, mc.Addr)
			return plugcache.StoreConfig{Store: plugcache.StoreMemcache, Connection: p.Addr, Timeout: 200 * time.Millisecond},
				p.Stall, p.Resume
		}},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			sc, breakIt, mendIt := f.config(t)
			var errs atomic.Int32
			mgr := newManager(t, sc)
			c, err := middleware.New(mgr.ForPlugin("docs").Store(), middleware.Options{
				ErrorHandler: func(*http.Request, error) { errs.Add(1) },
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=1")
				io.WriteString(w, "page "+r.URL.Path)
			})))
			defer srv.Close()

			var bad atomic.Int32
			load := func(d time.Duration) {
				var wg sync.WaitGroup
				end := time.Now().Add(d)
				for g := range 8 {
					wg.Go(func() {
						for i := 0; time.Now().Before(end); i++ {
							path := fmt.Sprintf("/p%d", (g+i)%5)
							resp, err := testClient.Get(srv.URL + path)
							if err != nil {
								bad.Add(1)
								continue
							}
							body, _ := io.ReadAll(resp.Body)
							resp.Body.Close()
							if resp.StatusCode != 200 || string(body) != "page "+path {
								bad.Add(1)
								t.Errorf("got %d %q for %s (Cache-Status %q)", resp.StatusCode, body, path, resp.Header.Get("Cache-Status"))
							}
						}
					})
				}
				wg.Wait()
			}
			load(300 * time.Millisecond)
			breakIt()
			load(time.Second)
			mendIt()
			load(300 * time.Millisecond)
			if bad.Load() > 0 {
				t.Errorf("%d responses were wrong or failed", bad.Load())
			}
			if errs.Load() == 0 {
				t.Error("the ErrorHandler heard of no store error while the store was broken")
			}
			// The breaker leaves the store alone, then a probe finds it back.
			deadline := time.Now().Add(10 * time.Second)
			for {
				resp, err := testClient.Get(srv.URL + "/after")
				if err == nil {
					resp.Body.Close()
				}
				last := fmt.Sprint(err)
				if err == nil {
					last = resp.Header.Get("Cache-Status")
				}
				if strings.Contains(last, "fwd=uri-miss; stored") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the cache did not store again after the store came back: last Cache-Status or error %q", last)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}

// TestStampedeOnAStoreInTrouble sends concurrent requests for one cold key
// while the store fails: neither lookups that fail nor a breaker that holds
// the store down may send each request to the origin, claim a store that did
// not happen, or give a request another variant's response.
func TestStampedeOnAStoreInTrouble(t *testing.T) {
	faults := []struct {
		name string
		// config returns the store, and whether the breaker is to be
		// tripped before the stampede.
		config func(t *testing.T) (plugcache.StoreConfig, bool)
		// results are those a stampede request may have: a stalled store
		// may trip the breaker before the last lookups start.
		results []middleware.Result
	}{
		{"memcached killed, breaker tripped: the store is left alone", func(t *testing.T) (plugcache.StoreConfig, bool) {
			mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
			if err := mc.Kill(); err != nil {
				t.Fatal(err)
			}
			return plugcache.StoreConfig{Store: plugcache.StoreMemcache, Connection: mc.Addr, Timeout: 200 * time.Millisecond}, true
		}, []middleware.Result{middleware.Bypass}},
		{"redis stalled: every lookup times out", func(t *testing.T) (plugcache.StoreConfig, bool) {
			r := testserver.NewRedis(t, testserver.RedisOptions{})
			p := testserver.NewStallProxy(t, r.Addr)
			p.Stall()
			return plugcache.StoreConfig{Store: plugcache.StoreRedis, Connection: "redis://" + p.Addr, Timeout: 200 * time.Millisecond}, false
		}, []middleware.Result{middleware.Error, middleware.Bypass}},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			const n = 20 // stampede requests
			sc, trip := f.config(t)
			mgr := newManager(t, sc)
			var mu sync.Mutex
			var events []middleware.Event
			var storeErrors atomic.Int32 // during the stampede
			c, err := middleware.New(mgr.ForPlugin("docs").Store(), middleware.Options{
				ErrorHandler: func(r *http.Request, _ error) {
					if strings.HasPrefix(r.URL.Path, "/cold") {
						storeErrors.Add(1)
					}
				},
				OnEvent: func(ev middleware.Event) {
					if strings.HasPrefix(ev.Request.URL.Path, "/cold") {
						mu.Lock()
						events = append(events, ev)
						mu.Unlock()
					}
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			var calls sync.Map // path and language -> *atomic.Int32
			// The origin holds /cold until every stampede request has reached
			// the cache and had time for its lookup (up to two store calls),
			// so that each finds a fetch under way, however slow the machine.
			var arrived atomic.Int32
			allArrived := make(chan struct{})
			cached := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n, _ := calls.LoadOrStore(r.URL.Path+" "+r.Header.Get("Accept-Language"), new(atomic.Int32))
				n.(*atomic.Int32).Add(1)
				if strings.HasPrefix(r.URL.Path, "/cold") {
					select {
					case <-allArrived:
					case <-time.After(10 * time.Second):
					}
					time.Sleep(2*sc.Timeout + 100*time.Millisecond)
				}
				w.Header().Set("Cache-Control", "max-age=60")
				w.Header().Set("Vary", "Accept-Language")
				io.WriteString(w, "page in "+r.Header.Get("Accept-Language"))
			}))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/cold") && arrived.Add(1) == n {
					close(allArrived)
				}
				cached.ServeHTTP(w, r)
			}))
			defer srv.Close()
			get := func(path, lang string) (*http.Response, string) {
				req, _ := http.NewRequest("GET", srv.URL+path, nil)
				req.Header.Set("Accept-Language", lang)
				resp, err := testClient.Do(req)
				if err != nil {
					t.Error(err)
					return nil, ""
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp, string(body)
			}
			if trip {
				for i := range 5 { // the breaker's failures in a row
					get(fmt.Sprintf("/trip%d", i), "en")
				}
			}

			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				lang := []string{"en", "fr"}[i%2]
				wg.Go(func() {
					<-start
					resp, body := get("/cold", lang)
					if resp == nil {
						return
					}
					cs := resp.Header.Get("Cache-Status")
					if resp.StatusCode != 200 || body != "page in "+lang {
						t.Errorf("%s: got %d %q (Cache-Status %q), want 200 %q", lang, resp.StatusCode, body, cs, "page in "+lang)
					}
					if strings.Contains(cs, "stored") || !strings.Contains(cs, "detail=store-") {
						t.Errorf("%s: Cache-Status %q, want the store's trouble and no stored", lang, cs)
					}
				})
			}
			close(start)
			wg.Wait()
			// The leader's variant is shared with its waiters; the other
			// variant's requests go to the handler, as on any miss.
			count := func(lang string) int32 {
				v, _ := calls.Load("/cold " + lang)
				if v == nil {
					return 0
				}
				return v.(*atomic.Int32).Load()
			}
			if en, fr := count("en"), count("fr"); min(en, fr) != 1 || max(en, fr) > n/2 {
				t.Errorf("origin calls: %d for en, %d for fr; want 1 for the leader's language, at most %d for the other", en, fr, n/2)
			}
			mu.Lock()
			defer mu.Unlock()
			collapsed, failed := 0, 0
			for _, ev := range events {
				if !slices.Contains(f.results, ev.Result) || ev.Stored {
					t.Errorf("event %s %q stored=%v, want one of %v, not stored", ev.Result, ev.Detail, ev.Stored, f.results)
				}
				if ev.Collapsed {
					collapsed++
				}
				if ev.Result == middleware.Error {
					failed++
				}
			}
			// Each failed lookup is reported once; the store is asked
			// nothing more, and nothing at all while the breaker holds it.
			if got := int(storeErrors.Load()); got != failed {
				t.Errorf("store errors reported: %d, want %d, one per failed lookup", got, failed)
			}
			if len(events) != n || collapsed != n/2-1 {
				t.Errorf("events: %d, %d collapsed; want %d, %d collapsed", len(events), collapsed, n, n/2-1)
			}
		})
	}
}

// TestStoreTroubleByRequestKind sends requests of each kind to a cache whose
// store cannot be reached: each gets what it would get from a cache without
// a store.
func TestStoreTroubleByRequestKind(t *testing.T) {
	mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	if err := mc.Kill(); err != nil {
		t.Fatal(err)
	}
	mgr := newManager(t, plugcache.StoreConfig{Store: plugcache.StoreMemcache, Connection: mc.Addr, Timeout: 200 * time.Millisecond})
	var reported atomic.Int32
	var events []middleware.Event
	var mu sync.Mutex
	c, err := middleware.New(mgr.ForPlugin("docs").Store(), middleware.Options{
		ErrorHandler: func(*http.Request, error) { reported.Add(1) },
		OnEvent: func(ev middleware.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "the page")
	}))
	tests := []struct {
		name      string
		method    string
		header    []string
		wantCode  int
		wantCalls int32
		wantCS    string // what Cache-Status's detail starts with
	}{
		{"only-if-cached gets 504: there is no stored response", "GET", []string{"Cache-Control", "only-if-cached"}, http.StatusGatewayTimeout, 0, "detail=only-if-cached"},
		{"HEAD passes through", "HEAD", nil, http.StatusOK, 1, "detail=store-"},
		{"Range passes through", "GET", []string{"Range", "bytes=0-3"}, http.StatusOK, 1, "detail=store-"},
		{"a plain GET goes to the handler", "GET", nil, http.StatusOK, 1, "detail=store-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Store(0)
			mu.Lock()
			events = nil
			mu.Unlock()
			r := httptest.NewRequest(tt.method, "http://example.com/page", nil)
			for i := 0; i < len(tt.header); i += 2 {
				r.Header.Set(tt.header[i], tt.header[i+1])
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantCode || calls.Load() != tt.wantCalls {
				t.Errorf("got %d after %d handler calls, want %d after %d (Cache-Status %q)", w.Code, calls.Load(), tt.wantCode, tt.wantCalls, w.Header().Get("Cache-Status"))
			}
			// The store's trouble shows: in Cache-Status but for the 504,
			// which says why it is one, and in the event's result.
			if cs := w.Header().Get("Cache-Status"); !strings.Contains(cs, tt.wantCS) {
				t.Errorf("Cache-Status %q, want %q in it", cs, tt.wantCS)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(events) != 1 || (events[0].Result != middleware.Error && events[0].Result != middleware.Bypass) {
				t.Errorf("events %+v, want one, an Error or a Bypass for the store", events)
			}
		})
	}
	if reported.Load() == 0 {
		t.Error("no store failure reached the ErrorHandler")
	}
}

// TestCorruptEntryIsAMiss plants bytes the cache did not write under a key:
// the request goes to the handler, Cache-Status says why, and the handler's
// response takes the bad bytes' place.
func TestCorruptEntryIsAMiss(t *testing.T) {
	mgr := newManager(t, plugcache.StoreConfig{})
	store := mgr.ForPlugin("docs").Store()
	c, err := middleware.New(store, middleware.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "fresh from the handler")
	}))
	req := httptest.NewRequest("GET", "http://example.com/page", nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if err := store.Set(context.Background(), "GET http://example.com/page", []byte("not an entry"), time.Minute); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/page", nil))
	if w.Code != 200 || w.Body.String() != "fresh from the handler" || w.Header().Get("Cache-Status") != "plugcache; fwd=miss; stored; detail=corrupt" {
		t.Errorf("got %d %q %q; want the handler's response, stored, with detail=corrupt", w.Code, w.Body.String(), w.Header().Get("Cache-Status"))
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/page", nil))
	if w.Code != 200 || w.Body.String() != "fresh from the handler" || !strings.Contains(w.Header().Get("Cache-Status"), "; hit") {
		t.Errorf("after: got %d %q %q; want a hit on the handler's response", w.Code, w.Body.String(), w.Header().Get("Cache-Status"))
	}
}

// TestDamagedValueOnANetworkStoreIsAMiss flips a byte of a stored response in
// a real redis: the plugin client's checksum catches it, the request goes to
// the handler with detail=corrupt, its response replaces the damaged one, and
// however often it happens the store is not taken for down.
func TestDamagedValueOnANetworkStoreIsAMiss(t *testing.T) {
	srv := testserver.NewRedis(t, testserver.RedisOptions{})
	mgr := newManager(t, plugcache.StoreConfig{Store: plugcache.StoreRedis, Connection: srv.URL, Timeout: 2 * time.Second})
	c, err := middleware.New(mgr.ForPlugin("docs").Store(), middleware.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, strings.Repeat("page ", 100))
	}))
	raw := goredis.NewClient(&goredis.Options{Addr: srv.Addr})
	defer raw.Close()
	ctx := context.Background()
	for round := range 8 { // more than the breaker's failures in a row
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/page", nil))
		want := "plugcache; fwd=miss; stored; detail=corrupt"
		if round == 0 {
			want = "plugcache; fwd=uri-miss; stored"
		}
		if cs := w.Header().Get("Cache-Status"); w.Code != 200 || cs != want {
			t.Fatalf("round %d: got %d %q, want 200 %q", round, w.Code, cs, want)
		}
		keys, err := raw.Keys(ctx, "*docs@*").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if n, _ := raw.StrLen(ctx, k).Result(); n > 400 {
				if err := raw.SetRange(ctx, k, n-10, "#").Err(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// storedPage is c in front of a handler that renders "page", cacheable for
// a minute, with /page stored.
func storedPage(c *middleware.Cache) http.Handler {
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "page")
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/page", nil))
	return h
}

// TestClientGoneBeforeTheLookup serves a request whose client has left
// already, before the store was asked, as a server does with a request still
// queued when its client gives up. That is no store failure: the lookup
// finds the stored response, bounded by the store's timeout, not the
// client's patience. Reporting the client's cancellation as the store's
// trouble would feed the breaker, and a burst of clients leaving would trip
// it.
func TestClientGoneBeforeTheLookup(t *testing.T) {
	for _, s := range realStores(t) {
		t.Run(s.name, func(t *testing.T) {
			mgr := newManager(t, s.cfg)
			var storeErrs []error
			var results []middleware.Result
			var mu sync.Mutex
			c, err := middleware.New(mgr.ForPlugin("docs").Store(), middleware.Options{
				ErrorHandler: func(_ *http.Request, err error) { mu.Lock(); storeErrs = append(storeErrs, err); mu.Unlock() },
				OnEvent:      func(ev middleware.Event) { mu.Lock(); results = append(results, ev.Result); mu.Unlock() },
			})
			if err != nil {
				t.Fatal(err)
			}
			h := storedPage(c)
			ctx, leave := context.WithCancel(context.Background())
			leave()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/page", nil).WithContext(ctx))
			mu.Lock()
			defer mu.Unlock()
			if len(storeErrs) > 0 {
				t.Errorf("store errors reported: %v, want none: the client left, the store did not fail", storeErrs)
			}
			if want := []middleware.Result{middleware.Miss, middleware.Hit}; !slices.Equal(results, want) {
				t.Errorf("results: got %v, want %v", results, want)
			}
			if got := w.Header().Get("Cache-Status"); !strings.Contains(got, "hit") {
				t.Errorf("Cache-Status: got %q, want a hit", got)
			}
		})
	}
}

// TestLookupKeepsTheRequestsDeadline stalls a store whose own timeout is a
// minute, given straight to the cache: a request with a deadline of its own
// gives up its lookup at that deadline and is served by the handler, though
// the lookup no longer ends when the client leaves.
func TestLookupKeepsTheRequestsDeadline(t *testing.T) {
	p := testserver.NewStallProxy(t, testserver.NewRedis(t, testserver.RedisOptions{}).Addr)
	client, err := pcredis.NewClient(pcredis.ClientOptions{URL: "redis://" + p.Addr, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	store := pcredis.New(client, pcredis.Options{Timeout: time.Minute})
	defer store.Close()
	c, err := middleware.New(store, middleware.Options{ErrorHandler: func(*http.Request, error) {}})
	if err != nil {
		t.Fatal(err)
	}
	h := storedPage(c)
	p.Stall()
	defer p.Resume()

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	w := httptest.NewRecorder()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		h.ServeHTTP(w, httptest.NewRequest("GET", "/page", nil).WithContext(ctx))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the lookup outlived the request's deadline by 10s")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("request took %v, want about its 300ms deadline", took)
	}
	if w.Body.String() != "page" || !strings.Contains(w.Header().Get("Cache-Status"), "store-error") {
		t.Errorf("got %q with Cache-Status %q, want the handler's page and a store error", w.Body.String(), w.Header().Get("Cache-Status"))
	}
}

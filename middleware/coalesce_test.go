package middleware

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// TestCoalescing sends concurrent misses for one key while the origin is
// held, then releases it.
func TestCoalescing(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		header    []string // response header pairs
		wantCalls int
		wantCS    string // Cache-Status of the waiting requests
	}{
		{name: "concurrent misses call the handler once", header: []string{"Cache-Control", "max-age=60"}, wantCalls: 1, wantCS: "plugcache; fwd=uri-miss; collapsed"},
		{name: "a private response is not shared: each waiter goes to the handler", header: []string{"Cache-Control", "private, max-age=60"}, wantCalls: 10},
		{name: "a Set-Cookie response is not shared", header: []string{"Cache-Control", "max-age=60", "Set-Cookie", "s=1"}, wantCalls: 10},
		{name: "a response that is not storable is not shared", header: []string{"Cache-Control", "no-store"}, wantCalls: 10},
		{name: "a response stale at once is not shared: each waiter asks the origin", header: []string{"Cache-Control", "max-age=0", "Etag", `"v1"`}, wantCalls: 10},
		{name: "a response already stale by its Age is not shared", header: []string{"Cache-Control", "max-age=60", "Age", "120"}, wantCalls: 10},
		{name: "a no-cache response is not shared", header: []string{"Cache-Control", "no-cache, max-age=60"}, wantCalls: 10},
		{name: "a response too large to store is not shared", opts: Options{MaxBodySize: 2}, header: []string{"Cache-Control", "max-age=60"}, wantCalls: 10},
		{name: "DisableCoalescing calls the handler for each", opts: Options{DisableCoalescing: true}, header: []string{"Cache-Control", "max-age=60"}, wantCalls: 10},
	}
	for _, tt := range tests {
		// In a synctest bubble, synctest.Wait returns once every request is
		// blocked: behind the leader, or in the handler.
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, _ := newTestCache(t, tt.opts)
				release := make(chan struct{})
				started := make(chan struct{}, 100)
				o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
					started <- struct{}{}
					<-release
					for i := 0; i < len(tt.header); i += 2 {
						w.Header().Add(tt.header[i], tt.header[i+1])
					}
					w.Write([]byte("shared body"))
				}}
				h := c.Handler(o)
				var wg sync.WaitGroup
				results := make([]*struct {
					code     int
					body, cs string
				}, 10)
				for i := range results {
					wg.Go(func() {
						w := do(h, "GET", "/page")
						results[i] = &struct {
							code     int
							body, cs string
						}{w.Code, w.Body.String(), w.Header().Get("Cache-Status")}
					})
					if i == 0 {
						<-started // the first is the leader, in the handler
					}
				}
				synctest.Wait() // the others queue behind it
				close(release)
				wg.Wait()
				if n := int(o.calls.Load()); n != tt.wantCalls {
					t.Errorf("handler calls: got %d, want %d", n, tt.wantCalls)
				}
				for i, r := range results {
					if r.code != 200 || r.body != "shared body" {
						t.Errorf("request %d: got %d %q, want 200 %q", i, r.code, r.body, "shared body")
					}
					if tt.wantCS != "" && i > 0 && r.cs != tt.wantCS {
						t.Errorf("request %d: Cache-Status got %q, want %q", i, r.cs, tt.wantCS)
					}
				}
			})
		})
	}
}

// TestCancelledLeaderDoesNotFailWaiters cancels the first request while
// others wait on it: they get a full response from the handler.
func TestCancelledLeaderDoesNotFailWaiters(t *testing.T) {
	synctest.Test(t, testCancelledLeaderDoesNotFailWaiters)
}

func testCancelledLeaderDoesNotFailWaiters(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	started := make(chan struct{}, 100)
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		if n == 1 {
			<-r.Context().Done() // the leader's client goes away mid-render
			w.Header().Set("Cache-Control", "max-age=60")
			w.Write([]byte("partial"))
			return
		}
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write([]byte("full"))
	}}
	h := c.Handler(o)
	ctx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan struct{})
	go func() {
		doCtx(ctx, h, "GET", "/page")
		close(leaderDone)
	}()
	<-started
	var wg sync.WaitGroup
	bodies := make([]string, 5)
	for i := range bodies {
		wg.Go(func() { bodies[i] = do(h, "GET", "/page").Body.String() })
	}
	synctest.Wait() // every waiter is behind the leader
	cancel()
	<-leaderDone
	wg.Wait()
	for i, b := range bodies {
		if b != "full" {
			t.Errorf("waiter %d: got %q, want %q", i, b, "full")
		}
	}
	if w := do(h, "GET", "/page"); w.Body.String() != "full" {
		t.Errorf("after: got %q, want the full response stored, not the cancelled one", w.Body.String())
	}
}

// TestPanickingHandler: a handler's panic reaches net/http as it would
// without the cache, and requests waiting on it do not panic with it.
func TestPanickingHandler(t *testing.T) { synctest.Test(t, testPanickingHandler) }

func testPanickingHandler(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	started := make(chan struct{}, 10)
	release := make(chan struct{})
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		if n == 1 {
			<-release
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write([]byte("ok"))
	}}
	h := c.Handler(o)
	leaderPanic := make(chan any, 1)
	go func() {
		defer func() { leaderPanic <- recover() }()
		do(h, "GET", "/page")
	}()
	<-started
	waiter := make(chan string, 1)
	go func() { waiter <- do(h, "GET", "/page").Body.String() }()
	synctest.Wait() // the waiter is behind the leader
	close(release)
	if p := <-leaderPanic; p != http.ErrAbortHandler {
		t.Errorf("leader: got panic %v, want http.ErrAbortHandler", p)
	}
	if b := <-waiter; b != "ok" {
		t.Errorf("waiter: got %q, want %q from its own handler call", b, "ok")
	}
}

// heldFirstGet is a real memory store whose first Get returns only when
// released: the request that makes it has missed, but is held before it can
// reach the handler.
type heldFirstGet struct {
	Store
	first          atomic.Bool
	held, released chan struct{}
}

func (s *heldFirstGet) Get(ctx context.Context, key string) ([]byte, error) {
	b, err := s.Store.Get(ctx, key)
	if s.first.CompareAndSwap(false, true) {
		close(s.held)
		<-s.released
	}
	return b, err
}

// TestMissThatArrivesAfterTheFetchFinished: a request whose lookup missed
// while another request's fetch ran, but which comes to fetch only after that
// fetch stored its response, is answered from it, not by a second call to the
// handler.
func TestMissThatArrivesAfterTheFetchFinished(t *testing.T) {
	store := &heldFirstGet{Store: newMemoryStore(t), held: make(chan struct{}), released: make(chan struct{})}
	c, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := &origin{fn: respond(200, "Cache-Control", "max-age=60")}
	h := c.Handler(o)
	late := make(chan *httptest.ResponseRecorder)
	go func() { late <- do(h, "GET", "/page") }()
	<-store.held
	if w := do(h, "GET", "/page"); w.Header().Get("Cache-Status") != "plugcache; fwd=uri-miss; stored" {
		t.Fatalf("first fetch: got %q", w.Header().Get("Cache-Status"))
	}
	close(store.released)
	w := <-late
	if calls := o.calls.Load(); calls != 1 || w.Body.String() != "body 1" || w.Header().Get("Cache-Status") != "plugcache; fwd=uri-miss; collapsed" {
		t.Errorf("late miss: got %q %q with %d handler calls; want body 1, collapsed, 1 call", w.Body.String(), w.Header().Get("Cache-Status"), calls)
	}
}

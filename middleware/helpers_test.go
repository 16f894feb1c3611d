package middleware

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/keying"
)

// clock is a fixed clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newMemoryStore is a real in-process store for the middleware's tests.
func newMemoryStore(t testing.TB) *ristretto.Store {
	t.Helper()
	s, err := ristretto.New(ristretto.Options{MaxCost: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// origin is a test handler that counts its calls.
type origin struct {
	calls atomic.Int32
	fn    func(n int, w http.ResponseWriter, r *http.Request)
}

func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(o.calls.Add(1))
	o.fn(n, w, r)
}

// respond returns an origin body that writes the given header pairs, the
// status and a body naming the call.
func respond(status int, pairs ...string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(pairs); i += 2 {
			w.Header().Add(pairs[i], pairs[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, "body "+strconv.Itoa(n))
	}
}

// newTestCache builds a cache over a fresh memory store with a fixed clock.
func newTestCache(t testing.TB, opts Options) (*Cache, *clock) {
	t.Helper()
	clk := newClock()
	opts.now = clk.now
	c, err := New(newMemoryStore(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// do sends a request through h and returns the recorded response.
func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func doCtx(ctx context.Context, h http.Handler, method, target string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil).WithContext(ctx)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func keyOptions(ignore ...string) keying.Options { return keying.Options{IgnoreQuery: ignore} }

// testClient bounds every request of the tests, so that a hang fails the test
// that caused it with a timeout error instead of stalling the whole package.
var testClient = &http.Client{Timeout: 20 * time.Second}

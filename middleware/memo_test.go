package middleware

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/entry"
)

// TestHitsOnTheMemoryStoreFollowItsValue checks the decoded entry the cache
// keeps beside a memory-store value: repeated hits serve it, and once the
// value is replaced, the hits serve the new one, fields and body.
func TestHitsOnTheMemoryStoreFollowItsValue(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Version", []string{"", "one", "post", "two"}[n])
		respond(http.StatusOK, "Cache-Control", "max-age=60")(n, w, r)
	}}
	h := c.Handler(o)
	want := func(step, version, body string) {
		t.Helper()
		w := do(h, "GET", "/page")
		if got := w.Header().Get("X-Version"); got != version {
			t.Errorf("%s: X-Version: got %q, want %q", step, got, version)
		}
		if got := w.Body.String(); got != body {
			t.Errorf("%s: body: got %q, want %q", step, got, body)
		}
	}
	want("miss", "one", "body 1")
	want("first hit", "one", "body 1")
	key, _ := c.keyer.Key(httptest.NewRequest("GET", "/page", nil))
	if _, m, err := c.store.(*ristretto.Store).GetMemo(context.Background(), key); err != nil || m.Load() == nil {
		t.Fatalf("memo after the first hit: got %v, error %v, want the decoded entry", m.Load(), err)
	} else if _, ok := m.Load().(*entry.View); !ok {
		t.Fatalf("memo after the first hit: got a %T, want an *entry.View", m.Load())
	}
	want("hit from the memo", "one", "body 1")
	do(h, "POST", "/page") // invalidates
	want("miss after invalidation", "two", "body 3")
	want("hit on the new value", "two", "body 3")
	want("hit on the new value's memo", "two", "body 3")
	if n := o.calls.Load(); n != 3 {
		t.Errorf("origin calls: got %d, want 3 (two GET misses and the POST)", n)
	}
}

// TestHitsWhenTheMemoBudgetIsSpent serves hits from a memory store whose
// memo budget (MaxCost/16) cannot hold one decoded entry: each hit decodes
// the stored bytes itself, and every response is still the stored one.
func TestHitsWhenTheMemoBudgetIsSpent(t *testing.T) {
	store, err := ristretto.New(ristretto.Options{MaxCost: 4 << 10}) // a 256-byte budget
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := &origin{fn: respond(http.StatusOK, "Cache-Control", "max-age=60", "X-Version", "one")}
	h := c.Handler(o)
	for i := range 4 {
		w := do(h, "GET", "/page")
		if got := w.Header().Get("X-Version"); got != "one" || w.Body.String() != "body 1" {
			t.Errorf("request %d: got X-Version %q, body %q; want %q, %q", i, got, w.Body.String(), "one", "body 1")
		}
	}
	if n := o.calls.Load(); n != 1 {
		t.Errorf("origin calls: got %d, want 1", n)
	}
	key, _ := c.keyer.Key(httptest.NewRequest("GET", "/page", nil))
	_, m, err := store.GetMemo(context.Background(), key)
	if err != nil {
		t.Fatalf("GetMemo: got error %v, want nil", err)
	}
	if m.Load() != nil || m.Empty() {
		t.Errorf("memo: got %v, empty %v; want nothing kept and the memo refused", m.Load(), m.Empty())
	}
}

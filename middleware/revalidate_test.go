package middleware

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// etagOrigin answers with an ETag; a request that carries the same ETag in
// If-None-Match gets 304.
func etagOrigin(cacheControl string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", cacheControl)
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("X-Revalidated", "yes")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("body " + string(rune('0'+n))))
	}
}

func TestConditionalRequests(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name:   "§4.3.2 a client's If-None-Match is answered with 304 from a fresh entry",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{header: []string{"If-None-Match", `"v1"`}, wantStatus: 304, wantCS: "hit", wantCalls: 1},
				{header: []string{"If-None-Match", `"other"`}, wantStatus: 200, wantBody: "body 1", wantCalls: 1},
			},
		},
		{
			name:   "§4.3.2 If-Modified-Since is answered with 304 from a fresh entry",
			origin: respond(200, "Cache-Control", "max-age=60", "Last-Modified", "Tue, 24 Nov 2026 12:00:00 GMT"),
			steps: []step{
				{wantCS: "stored"},
				{header: []string{"If-Modified-Since", "Tue, 24 Nov 2026 12:00:00 GMT"}, wantStatus: 304, wantCalls: 1},
				{header: []string{"If-Modified-Since", "Mon, 23 Nov 2026 12:00:00 GMT"}, wantStatus: 200, wantCalls: 1},
			},
		},
		{
			name:   "§4.3.3 a stale entry is revalidated and a 304 freshens it",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantBody: "body 1"},
				{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "fwd=stale; fwd-status=304; stored", wantCalls: 2, wantHeader: []string{"X-Revalidated", "yes"}},
				{advance: 30 * time.Second, wantBody: "body 1", wantCS: "hit; ttl=30", wantCalls: 2},
			},
		},
		{
			name: "§4.3.4 a 304 without validators confirms the one response revalidated",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=60")
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified) // no ETag, against RFC 9110 §15.4.5
					return
				}
				w.Header().Set("ETag", `"v1"`)
				w.Write([]byte("body " + strconv.Itoa(n)))
			},
			steps: []step{
				{wantBody: "body 1"},
				{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "fwd-status=304; stored", wantCalls: 2},
			},
		},
		{
			name: "§4.3.4 a 304 about another response is not passed on: the cache asks again unconditionally",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=60")
				w.Header().Set("ETag", `"v`+strconv.Itoa(n)+`"`)
				if r.Header.Get("If-None-Match") != "" {
					w.WriteHeader(http.StatusNotModified) // as if "v2" were asked for
					return
				}
				w.Write([]byte("body " + strconv.Itoa(n)))
			},
			steps: []step{
				{wantBody: "body 1"},
				{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 3", wantCS: "detail=revalidation-mismatch", wantCalls: 3},
			},
		},
		{
			name:   "§4.3.3 a client's own conditional request gets 304 only when it asked",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantBody: "body 1"},
				{advance: 61 * time.Second, header: []string{"If-None-Match", `"v1"`}, wantStatus: 304, wantCS: "fwd-status=304", wantCalls: 2},
				{advance: 61 * time.Second, header: []string{"If-None-Match", `"old"`}, wantStatus: 200, wantBody: "body 1", wantCalls: 3},
			},
		},
		{
			name:   "a conditional miss fetches the whole response, stores it and answers 304",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{header: []string{"If-None-Match", `"v1"`}, wantStatus: 304, wantCS: "fwd=uri-miss; stored", wantCalls: 1},
				{wantStatus: 200, wantBody: "body 1", wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "§5.2.2.4 response no-cache is revalidated on every use",
			origin: etagOrigin("no-cache"),
			steps: []step{
				{wantCS: "stored"},
				{wantBody: "body 1", wantCS: "fwd=stale; fwd-status=304", wantCalls: 2},
				{wantBody: "body 1", wantCS: "fwd-status=304", wantCalls: 3},
			},
		},
		{
			name:   "§5.2.1.4 request no-cache forwards with fwd=request",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{header: []string{"Cache-Control", "no-cache"}, wantBody: "body 1", wantCS: "fwd=request; fwd-status=304", wantCalls: 2},
			},
		},
		{
			name:   "§5.4 Pragma: no-cache forwards like request no-cache",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{header: []string{"Pragma", "no-cache"}, wantCS: "fwd=request", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.1.1 request max-age older than the entry forwards",
			origin: etagOrigin("max-age=600"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 20 * time.Second, header: []string{"Cache-Control", "max-age=10"}, wantCS: "fwd=request", wantCalls: 2},
				{header: []string{"Cache-Control", "max-age=10"}, wantCS: "hit", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.1.3 request min-fresh forwards when too little freshness is left",
			origin: etagOrigin("max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 50 * time.Second, header: []string{"Cache-Control", "min-fresh=20"}, wantCS: "fwd=request", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.1.2 request max-stale accepts a stale entry",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 90 * time.Second, header: []string{"Cache-Control", "max-stale=60"}, wantBody: "body 1", wantCS: "hit; ttl=-30", wantCalls: 1},
			},
		},
		{
			name:   "§5.2.2.2 must-revalidate refuses max-stale",
			origin: respond(200, "Cache-Control", "max-age=60, must-revalidate"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 90 * time.Second, header: []string{"Cache-Control", "max-stale=600"}, wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.1.7 only-if-cached with nothing stored is 504",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{header: []string{"Cache-Control", "only-if-cached"}, wantStatus: 504, wantCS: "only-if-cached"},
				{wantCS: "stored", wantCalls: 1},
				{header: []string{"Cache-Control", "only-if-cached"}, wantStatus: 200, wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "§5.2.1.7 only-if-cached never reaches the origin, with a Range for a stored 404 either",
			origin: respond(404, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantStatus: 404, wantCS: "stored", wantCalls: 1},
				{header: []string{"Cache-Control", "only-if-cached", "Range", "bytes=0-1"}, wantStatus: 404, wantCS: "hit", wantCalls: 1},
			},
		},
	})
}

func TestStale(t *testing.T) {
	failing := func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Cache-Control", "max-age=60, stale-if-error=300")
			w.Write([]byte("good"))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("down"))
	}
	runScenarios(t, []scenario{
		{
			name:   "RFC 5861 stale-if-error serves the stale entry when the origin answers 5xx",
			origin: failing,
			steps: []step{
				{wantBody: "good"},
				{advance: 90 * time.Second, wantStatus: 200, wantBody: "good", wantCS: "fwd=stale; fwd-status=503; ttl=-30; detail=stale-if-error", wantCalls: 2},
				{advance: 300 * time.Second, wantStatus: 503, wantBody: "down", wantCalls: 3},
			},
		},
		{
			name: "the plugin's staleIfError applies when the response says none",
			opts: Options{StaleIfError: time.Hour},
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Cache-Control", "max-age=60")
					w.Write([]byte("good"))
					return
				}
				panic("origin broke")
			},
			steps: []step{
				{wantBody: "good"},
				{advance: 90 * time.Second, wantStatus: 200, wantBody: "good", wantCS: "detail=stale-if-error", wantCalls: 2},
			},
		},
		{
			name: "§5.2.2.2 must-revalidate forbids stale-if-error",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Cache-Control", "max-age=60, must-revalidate, stale-if-error=300")
					w.Write([]byte("good"))
					return
				}
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			steps: []step{
				{wantBody: "good"},
				{advance: 90 * time.Second, wantStatus: 503, wantCalls: 2},
			},
		},
	})
}

func TestStaleWhileRevalidate(t *testing.T) {
	c, clk := newTestCache(t, Options{})
	refreshed := make(chan struct{}, 4)
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60, stale-while-revalidate=120")
		w.Write([]byte("body " + string(rune('0'+n))))
		if n > 1 {
			refreshed <- struct{}{}
		}
	}}
	h := c.Handler(o)
	do(h, "GET", "/page")
	clk.advance(90 * time.Second)
	w := do(h, "GET", "/page")
	if w.Body.String() != "body 1" || w.Header().Get("Cache-Status") != "plugcache; hit; ttl=-30; detail=stale-while-revalidate" {
		t.Fatalf("stale hit: got %q, %q; want body 1 served stale", w.Body.String(), w.Header().Get("Cache-Status"))
	}
	select {
	case <-refreshed:
	case <-time.After(5 * time.Second):
		t.Fatal("no background refresh within 5s")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		w = do(h, "GET", "/page")
		if w.Body.String() == "body 2" && w.Header().Get("Cache-Status") == "plugcache; hit; ttl=60" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the refresh: got %q, %q; want body 2 fresh", w.Body.String(), w.Header().Get("Cache-Status"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := o.calls.Load(); n != 2 {
		t.Errorf("origin calls: got %d, want 2", n)
	}
}

func TestStaleWhileRevalidateRefreshesOncePerKey(t *testing.T) {
	c, clk := newTestCache(t, Options{StaleWhileRevalidate: time.Hour})
	release := make(chan struct{})
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		if n > 1 {
			<-release
		}
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write([]byte("v"))
	}}
	h := c.Handler(o)
	do(h, "GET", "/page")
	clk.advance(2 * time.Minute)
	for range 20 {
		if w := do(h, "GET", "/page"); w.Header().Get("Cache-Status") != "plugcache; hit; ttl=-60; detail=stale-while-revalidate" {
			t.Fatalf("got Cache-Status %q, want a stale hit", w.Header().Get("Cache-Status"))
		}
	}
	close(release)
	time.Sleep(50 * time.Millisecond)
	if n := o.calls.Load(); n != 2 {
		t.Errorf("origin calls: got %d, want 2 (one refresh for twenty stale hits)", n)
	}
}

// TestInlineRefresh: with InlineRefresh the stale response reaches the client
// whole, and the refresh has run by the time the handler returns.
func TestInlineRefresh(t *testing.T) {
	c, clk := newTestCache(t, Options{InlineRefresh: true, StaleWhileRevalidate: time.Minute})
	o := &origin{fn: respond(200, "Cache-Control", "max-age=60")}
	h := c.Handler(o)
	do(h, "GET", "/page")
	clk.advance(90 * time.Second)
	w := do(h, "GET", "/page")
	if w.Body.String() != "body 1" || !strings.Contains(w.Header().Get("Cache-Status"), "stale-while-revalidate") {
		t.Fatalf("got %q, %q; want the stale body 1", w.Body.String(), w.Header().Get("Cache-Status"))
	}
	if n := o.calls.Load(); n != 2 {
		t.Errorf("origin calls when the request returned: got %d, want 2", n)
	}
	if w := do(h, "GET", "/page"); w.Body.String() != "body 2" {
		t.Errorf("after the inline refresh: got %q, want body 2", w.Body.String())
	}
}

// revalidatedBy returns an origin whose first answer is a 200 with ETag "v1"
// and Cache-Control first, and which answers a request for "v1" with a 304
// that carries the fields of then.
func revalidatedBy(first string, then ...string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			for i := 0; i+1 < len(then); i += 2 {
				w.Header().Set(then[i], then[i+1])
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Cache-Control", first)
		w.Write([]byte("body " + strconv.Itoa(n)))
	}
}

func TestRevalidationBy304(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name:   "§5.2.2.7 a 304 that makes the response private leaves nothing stored",
			origin: revalidatedBy("max-age=60", "Cache-Control", "private, max-age=60"),
			steps: []step{
				{wantCS: "stored", wantCalls: 1},
				{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "fwd-status=304", notCS: "stored", wantCalls: 2},
				{wantCS: "fwd=uri-miss", notCS: "hit", wantCalls: 3},
			},
		},
		{
			name:   "§5.2.2.5 a 304 with no-store leaves nothing stored",
			origin: revalidatedBy("max-age=60", "Cache-Control", "no-store"),
			steps: []step{
				{wantCS: "stored", wantCalls: 1},
				{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", notCS: "stored", wantCalls: 2},
				{wantCS: "fwd=uri-miss", notCS: "hit", wantCalls: 3},
			},
		},
		{
			name:   "§5.2.1.5 a request with no-store does not store the 304's update, and leaves the entry",
			origin: revalidatedBy("max-age=60", "Cache-Control", "max-age=600"),
			steps: []step{
				{wantCS: "stored", wantCalls: 1},
				{advance: 61 * time.Second, header: []string{"Cache-Control", "no-store"}, wantStatus: 200, wantBody: "body 1", notCS: "stored", wantCalls: 2},
				{wantCS: "fwd=stale", wantCalls: 3},
			},
		},
		{
			name: "§4.3.4 a 304 without Date restarts the response's age but not its Expires",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"v1"`)
				w.Header().Set("Expires", "Wed, 25 Nov 2026 12:01:00 GMT") // the test clock starts at 12:00:00
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Write([]byte("body " + strconv.Itoa(n)))
			},
			steps: []step{
				{wantCS: "stored", wantCalls: 1},
				{advance: 120 * time.Second, wantCS: "fwd-status=304", wantCalls: 2},
				{advance: 10 * time.Second, wantCS: "fwd=stale", notCS: "hit", wantCalls: 3},
			},
		},
		{
			name:   "§4.3.4 a 304's Set-Cookie reaches the client revalidated, and is not stored",
			origin: revalidatedBy("max-age=60", "Set-Cookie", "session=renewed"),
			steps: []step{
				{wantCS: "stored", wantCalls: 1},
				{advance: 61 * time.Second, wantCS: "fwd-status=304", wantCalls: 2, wantHeader: []string{"Set-Cookie", "session=renewed"}},
				{wantCS: "hit", wantCalls: 2, noHeader: []string{"Set-Cookie"}},
			},
		},
	})
}

package middleware

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// step is one request of a scenario and what must come back.
type step struct {
	advance    time.Duration // move the clock first
	method     string        // default GET
	target     string        // default /page
	header     []string      // request header pairs
	wantStatus int
	wantBody   string   // "" means do not check
	wantCS     string   // Cache-Status must contain this
	notCS      string   // and, when set, must not contain this
	wantCalls  int      // origin calls so far
	wantHeader []string // response header pairs that must be present
	noHeader   []string // response header names that must be absent
}

type scenario struct {
	name   string
	opts   Options
	origin func(n int, w http.ResponseWriter, r *http.Request)
	steps  []step
}

func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			c, clk := newTestCache(t, sc.opts)
			o := &origin{fn: sc.origin}
			h := c.Handler(o)
			for i, st := range sc.steps {
				clk.advance(st.advance)
				method, target := st.method, st.target
				if method == "" {
					method = http.MethodGet
				}
				if target == "" {
					target = "/page"
				}
				w := do(h, method, target, st.header...)
				cs := w.Header().Get("Cache-Status")
				if st.wantStatus != 0 && w.Code != st.wantStatus {
					t.Errorf("step %d: status got %d, want %d (Cache-Status %q)", i, w.Code, st.wantStatus, cs)
				}
				if st.wantBody != "" && w.Body.String() != st.wantBody {
					t.Errorf("step %d: body got %q, want %q", i, w.Body.String(), st.wantBody)
				}
				if !strings.Contains(cs, st.wantCS) {
					t.Errorf("step %d: Cache-Status got %q, want it to contain %q", i, cs, st.wantCS)
				}
				if st.notCS != "" && strings.Contains(cs, st.notCS) {
					t.Errorf("step %d: Cache-Status got %q, want no %q in it", i, cs, st.notCS)
				}
				if st.wantCalls != 0 && int(o.calls.Load()) != st.wantCalls {
					t.Errorf("step %d: origin calls got %d, want %d (Cache-Status %q)", i, o.calls.Load(), st.wantCalls, cs)
				}
				for j := 0; j < len(st.wantHeader); j += 2 {
					if got := strings.Join(w.Header().Values(st.wantHeader[j]), ", "); got != st.wantHeader[j+1] {
						t.Errorf("step %d: %s got %q, want %q", i, st.wantHeader[j], got, st.wantHeader[j+1])
					}
				}
				for _, name := range st.noHeader {
					if v := w.Header().Values(name); len(v) > 0 {
						t.Errorf("step %d: %s got %q, want none", i, name, v)
					}
				}
			}
		})
	}
}

func TestStoringAndServing(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name:   "§4.2 a fresh response is served from the cache with Age and ttl",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantStatus: 200, wantBody: "body 1", wantCS: "plugcache; fwd=uri-miss; stored", wantCalls: 1},
				{advance: 10 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "plugcache; hit; ttl=50", wantCalls: 1, wantHeader: []string{"Age", "10"}},
			},
		},
		{
			name:   "§4.2 a stale response without validators is fetched again",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantBody: "body 1"},
				{advance: 61 * time.Second, wantBody: "body 2", wantCS: "fwd=stale; fwd-status=200; stored", wantCalls: 2},
				{wantBody: "body 2", wantCS: "hit", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.2.5 no-store is never stored",
			origin: respond(200, "Cache-Control", "no-store, max-age=60"),
			steps: []step{
				{wantBody: "body 1", wantCS: "detail=no-store"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.2.7 private is never stored in a shared cache",
			origin: respond(200, "Cache-Control", "private, max-age=60"),
			steps: []step{
				{wantBody: "body 1", wantCS: "detail=private"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "Set-Cookie responses are never stored or shared",
			origin: respond(200, "Cache-Control", "max-age=60", "Set-Cookie", "session=alice"),
			steps: []step{
				{wantBody: "body 1", wantCS: "detail=set-cookie", wantHeader: []string{"Set-Cookie", "session=alice"}},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "a Set-Cookie set under a lower-case key is a Set-Cookie all the same",
			origin: rawFields("Cache-Control", "max-age=60", "set-cookie", "session=alice"),
			steps: []step{
				{wantBody: "body 1", wantCS: "detail=set-cookie"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "§5.2.2.7 a private set under a lower-case key is private all the same",
			opts:   Options{DefaultTTL: time.Minute},
			origin: rawFields("cache-control", "private"),
			steps: []step{
				{wantBody: "body 1", notCS: "stored"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "StripSetCookie stores the response without the cookie",
			opts:   Options{StripSetCookie: true},
			origin: respond(200, "Cache-Control", "max-age=60", "Set-Cookie", "session=alice"),
			steps: []step{
				{wantBody: "body 1", wantCS: "stored", wantHeader: []string{"Set-Cookie", "session=alice"}},
				{wantBody: "body 1", wantCS: "hit", wantCalls: 1, noHeader: []string{"Set-Cookie"}},
			},
		},
		{
			name:   "§3.5 a request with Authorization is not stored without public",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{header: []string{"Authorization", "Bearer alice"}, wantBody: "body 1", wantCS: "detail=authorization"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "§3.5 a request with Authorization is stored with public",
			origin: respond(200, "Cache-Control", "public, max-age=60"),
			steps: []step{
				{header: []string{"Authorization", "Bearer alice"}, wantCS: "stored"},
				{wantBody: "body 1", wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "a request with cookies is not stored on a default TTL alone",
			opts:   Options{DefaultTTL: time.Minute},
			origin: respond(200),
			steps: []step{
				{header: []string{"Cookie", "session=alice"}, wantBody: "body 1", wantCS: "detail=cookie"},
				{wantBody: "body 2", wantCS: "stored", wantCalls: 2},
				{header: []string{"Cookie", "session=bob"}, wantBody: "body 2", wantCS: "hit", wantCalls: 2},
			},
		},
		{
			name:   "the plugin's default TTL gives freshness to a response without any",
			opts:   Options{DefaultTTL: time.Minute},
			origin: respond(200),
			steps: []step{
				{wantCS: "stored"},
				{advance: 30 * time.Second, wantBody: "body 1", wantCS: "hit; ttl=30", wantCalls: 1},
				{advance: 31 * time.Second, wantBody: "body 2", wantCS: "fwd=stale", wantCalls: 2},
			},
		},
		{
			name:   "§4.2.1 the origin's max-age wins over the default TTL",
			opts:   Options{DefaultTTL: time.Hour},
			origin: respond(200, "Cache-Control", "max-age=10"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 11 * time.Second, wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "policy override applies the default TTL over max-age=0",
			opts:   Options{DefaultTTL: time.Minute, Policy: Override},
			origin: respond(200, "Cache-Control", "max-age=0"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 30 * time.Second, wantBody: "body 1", wantCS: "hit; ttl=30", wantCalls: 1},
			},
		},
		{
			name:   "max-age=0 without validators is kept for nothing: not stored, and Cache-Status says why",
			origin: respond(200, "Cache-Control", "max-age=0"),
			steps: []step{
				{wantCS: "fwd=uri-miss; detail=no-freshness"},
				{wantBody: "body 2", wantCS: "fwd=uri-miss; detail=no-freshness", wantCalls: 2},
			},
		},
		{
			name: "§3.3 a body shorter than its Content-Length is incomplete: not stored",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=60")
				w.Header().Set("Content-Length", "100")
				io.WriteString(w, "body "+strconv.Itoa(n))
			},
			steps: []step{
				{wantCS: "fwd=uri-miss", notCS: "stored"},
				{wantCS: "fwd=uri-miss", notCS: "stored", wantCalls: 2},
			},
		},
		{
			name:   "§4.2.1 s-maxage wins over max-age in a shared cache",
			origin: respond(200, "Cache-Control", "max-age=5, s-maxage=100"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 50 * time.Second, wantBody: "body 1", wantCS: "hit; ttl=50", wantCalls: 1},
			},
		},
		{
			name:   "§4.2.1 Expires gives freshness",
			origin: respond(200, "Date", "Wed, 25 Nov 2026 12:00:00 GMT", "Expires", "Wed, 25 Nov 2026 12:01:00 GMT"),
			steps: []step{
				{wantCS: "stored"},
				{advance: 30 * time.Second, wantBody: "body 1", wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "§3 a 500 without explicit freshness is not stored, even with a default TTL",
			opts:   Options{DefaultTTL: time.Minute},
			origin: respond(500),
			steps: []step{
				{wantStatus: 500, wantCS: "detail=status"},
				{wantStatus: 500, wantCalls: 2},
			},
		},
		{
			name:   "§3 a 404 is stored with a default TTL",
			opts:   Options{DefaultTTL: time.Minute},
			origin: respond(404),
			steps: []step{
				{wantStatus: 404, wantCS: "stored"},
				{wantStatus: 404, wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "CacheableStatus narrows what is stored without explicit freshness",
			opts:   Options{DefaultTTL: time.Minute, CacheableStatus: []int{200}},
			origin: respond(404),
			steps: []step{
				{wantStatus: 404, wantCS: "detail=status"},
				{wantStatus: 404, wantCalls: 2},
			},
		},
		{
			name:   "hop-by-hop fields are not stored and multi-valued fields come back as sent",
			origin: respond(200, "Cache-Control", "max-age=60", "Connection", "X-Hop", "X-Hop", "1", "Keep-Alive", "timeout=5", "Link", "</a>; rel=preload", "Link", "</b>; rel=preload", "Link", "</c>; rel=preload"),
			steps: []step{
				{wantCS: "stored"},
				{wantCS: "hit", wantCalls: 1, noHeader: []string{"X-Hop", "Keep-Alive", "Connection"}, wantHeader: []string{"Link", "</a>; rel=preload, </b>; rel=preload, </c>; rel=preload"}},
			},
		},
		{
			name:   "§9.3.2 HEAD is answered from the GET entry without a body",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{method: "HEAD", wantStatus: 200, wantCS: "fwd=uri-miss", wantCalls: 1},
				{wantBody: "body 2", wantCS: "stored", wantCalls: 2},
				{method: "HEAD", wantStatus: 200, wantBody: "", wantCS: "hit", wantCalls: 2, wantHeader: []string{"Content-Length", "6"}},
			},
		},
		{
			name:   "Methods without HEAD sends HEAD to the origin",
			opts:   Options{Methods: []string{"GET"}},
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{method: "HEAD", wantCS: "fwd=method", wantCalls: 2},
			},
		},
		{
			name:   "query order does not matter and ignored parameters are dropped",
			opts:   Options{Key: keyOptions("utm_*")},
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{target: "/page?a=1&b=2&utm_source=x", wantCS: "stored"},
				{target: "/page?b=2&a=1", wantBody: "body 1", wantCS: "hit", wantCalls: 1},
				{target: "/page?b=2&a=2", wantBody: "body 2", wantCalls: 2},
			},
		},
	})
}

// TestClientGoneAfterTheWholeResponse: a client that closes its connection
// once it has the whole response cancels the request's context while the
// handler is still returning. With a declared length the cache can tell the
// body is whole and keeps it; without one, it cannot tell a body cut short
// by the client's leaving, and does not.
func TestClientGoneAfterTheWholeResponse(t *testing.T) {
	tests := []struct {
		name     string
		length   bool
		wantHits bool
	}{
		{"with Content-Length the whole response is stored", true, true},
		{"without Content-Length it is not: it may be cut short", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, Options{})
			var calls int
			var cancel context.CancelFunc
			h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				w.Header().Set("Cache-Control", "max-age=60")
				if tt.length {
					w.Header().Set("Content-Length", "6")
				}
				io.WriteString(w, "body "+strconv.Itoa(calls))
				w.(http.Flusher).Flush() // the client has it all
				if cancel != nil {
					cancel() // and goes away
				}
			}))
			ctx, cancelFirst := context.WithCancel(context.Background())
			cancel = cancelFirst
			first := httptest.NewRecorder()
			h.ServeHTTP(first, httptest.NewRequestWithContext(ctx, "GET", "/page", nil))
			cancel = nil
			second := do(h, "GET", "/page")
			if hit := strings.Contains(second.Header().Get("Cache-Status"), "hit"); hit != tt.wantHits {
				t.Errorf("second request: Cache-Status %q (first %q), want a hit: %v", second.Header().Get("Cache-Status"), first.Header().Get("Cache-Status"), tt.wantHits)
			}
			// What the first response said of storing must be what happened.
			if stored := strings.Contains(first.Header().Get("Cache-Status"), "stored"); stored != tt.wantHits {
				t.Errorf("first request: Cache-Status %q, want stored: %v", first.Header().Get("Cache-Status"), tt.wantHits)
			}
			if tt.wantHits && second.Body.String() != "body 1" {
				t.Errorf("hit: body %q, want the first response's, %q", second.Body.String(), "body 1")
			}
		})
	}
}

// rawFields returns an origin that sets each name and value pair of fields
// under the key as written, not in canonical form, as net/http lets a handler
// do and sends as it is.
func rawFields(fields ...string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(fields); i += 2 {
			w.Header()[fields[i]] = []string{fields[i+1]}
		}
		w.Write([]byte("body " + strconv.Itoa(n)))
	}
}

// TestFieldsSetAroundTheCache: a middleware around the cache, such as one
// that hands each visitor a session or CSRF cookie, sets fields on the
// client's header before the handler runs. The client gets them with the
// handler's response, so the rules for storing must read them too: a page
// sent with a visitor's cookie may carry that visitor's token in its body.
func TestFieldsSetAroundTheCache(t *testing.T) {
	type tokenKey struct{}
	for _, tt := range []struct {
		name         string
		around       func(w http.ResponseWriter, token string)
		cacheControl string // the handler's; none means DefaultTTL decides
	}{
		{"a Set-Cookie", func(w http.ResponseWriter, token string) {
			http.SetCookie(w, &http.Cookie{Name: "csrf", Value: token})
		}, "max-age=60"},
		{"a Set-Cookie under a lower-case key", func(w http.ResponseWriter, token string) {
			w.Header()["set-cookie"] = []string{"csrf=" + token}
		}, "max-age=60"},
		{"a Cache-Control: private the handler leaves alone", func(w http.ResponseWriter, token string) {
			w.Header().Set("Cache-Control", "private")
		}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, Options{DefaultTTL: time.Minute})
			cached := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.cacheControl != "" {
					w.Header().Set("Cache-Control", tt.cacheControl)
				}
				w.Write([]byte("token=" + r.Context().Value(tokenKey{}).(string)))
			}))
			n := 0
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				token := "tok" + strconv.Itoa(n)
				tt.around(w, token)
				cached.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, token)))
			})
			for i := 1; i <= 2; i++ {
				w := do(h, http.MethodGet, "/form")
				if want := "token=tok" + strconv.Itoa(i); w.Body.String() != want {
					t.Errorf("request %d: got %q (Cache-Status %q), want %q: another visitor's page", i, w.Body.String(), w.Header().Get("Cache-Status"), want)
				}
			}
		})
	}
}

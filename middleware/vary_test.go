package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestVaryAndInvalidation(t *testing.T) {
	byEncoding := func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("Vary", "Accept-Encoding")
		w.Write([]byte(r.Header.Get("Accept-Encoding") + " " + string(rune('0'+n))))
	}
	runScenarios(t, []scenario{
		{
			name:   "§4.1 each Vary variant is stored under its own key",
			origin: byEncoding,
			steps: []step{
				{header: []string{"Accept-Encoding", "gzip"}, wantBody: "gzip 1", wantCS: "fwd=uri-miss; stored"},
				{header: []string{"Accept-Encoding", "br"}, wantBody: "br 2", wantCS: "fwd=vary-miss; stored", wantCalls: 2},
				{header: []string{"Accept-Encoding", "gzip"}, wantBody: "gzip 1", wantCS: "hit", wantCalls: 2},
				{header: []string{"Accept-Encoding", "br"}, wantBody: "br 2", wantCS: "hit", wantCalls: 2},
			},
		},
		{
			name:   "§4.1 Vary values are normalised: token order, case and spaces",
			origin: byEncoding,
			steps: []step{
				{header: []string{"Accept-Encoding", "gzip, br"}, wantCS: "stored"},
				{header: []string{"Accept-Encoding", "BR,gzip"}, wantBody: "gzip, br 1", wantCS: "hit", wantCalls: 1},
			},
		},
		{
			name:   "§4.1 a request without the varying field is its own variant",
			origin: byEncoding,
			steps: []step{
				{header: []string{"Accept-Encoding", "gzip"}, wantCS: "stored"},
				{wantBody: " 2", wantCS: "vary-miss", wantCalls: 2},
			},
		},
		{
			name:   "§4.1 Vary: * is never stored",
			origin: respond(200, "Cache-Control", "max-age=60", "Vary", "*"),
			steps: []step{
				{wantCS: "detail=vary-star"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name: "§4.4 a successful POST invalidates the stored URL and every variant",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				byEncoding(n, w, r)
			},
			steps: []step{
				{header: []string{"Accept-Encoding", "gzip"}, wantCS: "stored"},
				{header: []string{"Accept-Encoding", "br"}, wantCS: "stored"},
				{method: "POST", wantStatus: 204, wantCS: "fwd=method", wantCalls: 3},
				{header: []string{"Accept-Encoding", "gzip"}, wantBody: "gzip 4", wantCS: "fwd=uri-miss", wantCalls: 4},
				{header: []string{"Accept-Encoding", "br"}, wantBody: "br 5", wantCS: "vary-miss", wantCalls: 5},
			},
		},
		{
			name: "§4.4 a failed PUT invalidates nothing",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut {
					w.WriteHeader(http.StatusConflict)
					return
				}
				respond(200, "Cache-Control", "max-age=60")(n, w, r)
			},
			steps: []step{
				{wantCS: "stored"},
				{method: "PUT", wantStatus: 409, wantCalls: 2},
				{wantBody: "body 1", wantCS: "hit", wantCalls: 2},
			},
		},
		{
			name: "§4.4 Location and Content-Location of the same origin are invalidated too",
			origin: func(n int, w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete {
					w.Header().Set("Location", "/other")
					w.Header().Set("Content-Location", "http://example.com/third")
					w.WriteHeader(http.StatusOK)
					return
				}
				respond(200, "Cache-Control", "max-age=60")(n, w, r)
			},
			steps: []step{
				{target: "/other", wantCS: "stored"},
				{target: "/third", wantCS: "stored"},
				{target: "/page", method: "DELETE", wantCalls: 3},
				{target: "/other", wantCS: "fwd=uri-miss", wantCalls: 4},
				{target: "/third", wantCS: "fwd=uri-miss", wantCalls: 5},
			},
		},
	})
}

func TestPassThrough(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name:   "a Range miss is passed through and not stored",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{header: []string{"Range", "bytes=0-1"}, wantCS: "detail=range"},
				{wantCS: "fwd=uri-miss; stored", wantCalls: 2},
			},
		},
		{
			name:   "a Range request is answered from a fresh full 200",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantCS: "stored", wantBody: "body 1"},
				{header: []string{"Range", "bytes=0-3"}, wantStatus: 206, wantBody: "body", wantCS: "hit", wantCalls: 1, wantHeader: []string{"Content-Range", "bytes 0-3/6"}},
			},
		},
		{
			name:   "If-Match goes to the origin",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{header: []string{"If-Match", `"x"`}, wantCS: "detail=conditional", wantCalls: 2},
			},
		},
		{
			name:   "an Upgrade request goes to the origin",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{header: []string{"Connection", "Upgrade", "Upgrade", "websocket"}, wantCS: "detail=upgrade"},
				{header: []string{"Connection", "Upgrade", "Upgrade", "websocket"}, wantCalls: 2},
			},
		},
		{
			name:   "text/event-stream is streamed and never stored",
			origin: respond(200, "Cache-Control", "max-age=60", "Content-Type", "text/event-stream"),
			steps: []step{
				{wantCS: "detail=event-stream"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "a body over MaxBodySize is served whole and not stored",
			opts:   Options{MaxBodySize: 4},
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantBody: "body 1"},
				{wantBody: "body 2", wantCalls: 2},
			},
		},
		{
			name:   "a declared Content-Length over MaxBodySize says too-large",
			opts:   Options{MaxBodySize: 4},
			origin: respond(200, "Cache-Control", "max-age=60", "Content-Length", "6"),
			steps: []step{
				{wantBody: "body 1", wantCS: "detail=too-large"},
			},
		},
		{
			name:   "the origin's Date is kept on hits",
			origin: respond(200, "Cache-Control", "max-age=60", "Date", "Wed, 25 Nov 2026 11:59:58 GMT"),
			steps: []step{
				{wantCS: "stored"},
				{wantCS: "hit", wantHeader: []string{"Date", "Wed, 25 Nov 2026 11:59:58 GMT", "Age", "2"}},
			},
		},
		{
			name:   "a response without Date gets the time it was received",
			origin: respond(200, "Cache-Control", "max-age=60"),
			steps: []step{
				{wantCS: "stored"},
				{wantCS: "hit", wantHeader: []string{"Date", "Wed, 25 Nov 2026 12:00:00 GMT"}},
			},
		},
		{
			name:   "an upstream Cache-Status is kept before ours",
			origin: respond(200, "Cache-Control", "max-age=60", "Cache-Status", "origin-cache; hit"),
			steps: []step{
				{wantHeader: []string{"Cache-Status", "origin-cache; hit, plugcache; fwd=uri-miss; stored"}},
				{wantHeader: []string{"Cache-Status", "plugcache; hit; ttl=60"}},
			},
		},
	})
}

// TestInvalidationBeforeTheClientSeesTheAnswer: a PUT that streams its answer
// has dropped the stored page before its first byte reaches the client.
func TestInvalidationBeforeTheClientSeesTheAnswer(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	headerSent := make(chan struct{})
	finish := make(chan struct{})
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusOK)
			http.NewResponseController(w).Flush()
			close(headerSent)
			<-finish
			return
		}
		respond(200, "Cache-Control", "max-age=60")(n, w, r)
	}}
	h := c.Handler(o)
	do(h, "GET", "/page")
	done := make(chan struct{})
	go func() { do(h, "PUT", "/page"); close(done) }()
	<-headerSent
	if cs := do(h, "GET", "/page").Header().Get("Cache-Status"); !strings.Contains(cs, "fwd=uri-miss") {
		t.Errorf("GET while the PUT's answer streams: Cache-Status %q, want a miss", cs)
	}
	close(finish)
	<-done
}

// TestGetWithABodyIsPassedThrough: a GET that carries a body, as some search
// APIs take their query, is neither served from the cache nor stored, since
// the key does not hold the body.
func TestGetWithABodyIsPassedThrough(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, _ := io.ReadAll(r.Body)
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write(q)
	}))
	for _, query := range []string{`{"match":"a"}`, `{"match":"b"}`} {
		r := httptest.NewRequest(http.MethodGet, "/_search", strings.NewReader(query))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Body.String() != query || w.Header().Get("Cache-Status") != "plugcache; fwd=bypass; detail=body" {
			t.Errorf("GET with body %s: got %q, Cache-Status %q; want its own answer, bypassed", query, w.Body.String(), w.Header().Get("Cache-Status"))
		}
	}
}

package middleware

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStreamingThroughTheCache runs a handler that flushes chunks over a real
// server: each chunk reaches the client before the next is written, through
// http.ResponseController, and the whole response is stored.
func TestStreamingThroughTheCache(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	next := make(chan struct{})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Errorf("SetWriteDeadline through the cache: %v", err)
		}
		for i := range 3 {
			io.WriteString(w, "chunk"+string(rune('0'+i))+"\n")
			if err := rc.Flush(); err != nil {
				t.Errorf("Flush through the cache: %v", err)
			}
			if i < 2 {
				select {
				case <-next:
				case <-r.Context().Done():
					return
				}
			}
		}
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := testClient.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := br.ReadString('\n')
		if err != nil || line != "chunk"+string(rune('0'+i))+"\n" {
			t.Fatalf("chunk %d: got %q, %v before the handler wrote the next", i, line, err)
		}
		if i < 2 {
			next <- struct{}{}
		}
	}
	// The end of the body comes after the handler, and the cache's store,
	// are done: wait for it, or the next request would join this one.
	if rest, err := io.ReadAll(br); err != nil || len(rest) > 0 {
		t.Fatalf("after the chunks: got %q, %v; want the end", rest, err)
	}
	resp.Body.Close()
	if cs := resp.Header.Get("Cache-Status"); cs != "plugcache; fwd=uri-miss" {
		t.Errorf("Cache-Status of a streamed miss: got %q, want no stored claim made before the end", cs)
	}
	resp, err = testClient.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "chunk0\nchunk1\nchunk2\n" || !strings.Contains(resp.Header.Get("Cache-Status"), "hit") {
		t.Errorf("second request: got %q, %q; want the whole stream from the cache", body, resp.Header.Get("Cache-Status"))
	}
}

func TestWriterUnwrapsToTheClient(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &writer{client: rec, header: http.Header{}}
	if http.ResponseWriter(w).(interface{ Unwrap() http.ResponseWriter }).Unwrap() != rec {
		t.Error("Unwrap does not return the client's ResponseWriter")
	}
}

func TestWriterSnapshotsHeadersAtWriteHeader(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &writer{client: rec, header: http.Header{}, hold: 1 << 10, max: 1 << 10, capture: true}
	w.Header().Set("X-Before", "1")
	w.WriteHeader(201)
	w.Header().Set("X-After", "1") // ignored, as net/http ignores it
	w.Write([]byte("x"))
	w.finish()
	w.commit()
	if rec.Code != 201 || rec.Header().Get("X-Before") != "1" || rec.Header().Get("X-After") != "" {
		t.Errorf("got %d with %v, want 201 with X-Before only", rec.Code, rec.Header())
	}
}

// TestClientGoneMidStreamIsNotStored: a response cut short because the
// client went away is not stored.
func TestClientGoneMidStreamIsNotStored(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	o := &origin{fn: func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write([]byte("start"))
		<-r.Context().Done()
	}}
	h := c.Handler(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { doCtx(ctx, h, "GET", "/page"); close(done) }()
	for o.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	o.fn = respond(200, "Cache-Control", "max-age=60")
	if w := do(h, "GET", "/page"); !strings.Contains(w.Header().Get("Cache-Status"), "fwd=uri-miss") {
		t.Errorf("got Cache-Status %q, want a miss: the cut response must not be stored", w.Header().Get("Cache-Status"))
	}
}

// TestInterimFieldsDoNotReachTheFinalResponse: a field sent with 103 Early
// Hints and removed by the handler afterwards, as httputil.ReverseProxy does,
// is not in the final response, and one set by an outer handler survives.
func TestInterimFieldsDoNotReachTheFinalResponse(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("X-Outer", "kept")
	w := &writer{client: rec, header: http.Header{}, hold: 1 << 10, max: 1 << 10, capture: true}
	w.Header().Set("Link", "</style.css>; rel=preload")
	w.Header().Set("X-Outer", "hint")
	w.WriteHeader(http.StatusEarlyHints)
	clear(w.Header())
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("x"))
	w.finish()
	w.commit()
	if got := rec.Header().Get("Link"); got != "" {
		t.Errorf("final response has the 103's Link %q", got)
	}
	if got := rec.Header().Get("X-Outer"); got != "kept" {
		t.Errorf("X-Outer: got %q, want the outer handler's value back", got)
	}
}

// TestTrailersReachTheClient runs handlers that send trailers, declared in
// Trailer or named with http.TrailerPrefix, over a real server, on each path
// that runs the handler: the trailers come after the body whether the cache
// streams the response, passes it through, or holds it back to revalidate.
func TestTrailersReachTheClient(t *testing.T) {
	withTrailers := func(cacheControl string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", cacheControl)
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Trailer", "X-Checksum")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "body")
			w.Header().Set("X-Checksum", "abc")
			w.Header().Set(http.TrailerPrefix+"X-Late", "def")
		}
	}
	for _, tt := range []struct {
		name, method, cacheControl string
		stale                      bool // a stale entry is stored first, so the cache holds the response
	}{
		{"a miss that is stored", http.MethodGet, "max-age=60", false},
		{"a miss that is not stored", http.MethodGet, "no-store", false},
		{"an unsafe method passed through", http.MethodPost, "no-store", false},
		{"a revalidation, held until the handler returns", http.MethodGet, "max-age=0", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(t, Options{})
			srv := httptest.NewServer(c.Handler(withTrailers(tt.cacheControl)))
			defer srv.Close()
			requests := 1
			if tt.stale {
				requests = 2
			}
			for i := range requests {
				req, _ := http.NewRequest(tt.method, srv.URL+"/page", nil)
				resp, err := testClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.ReadAll(resp.Body)
				resp.Body.Close()
				if i < requests-1 {
					continue
				}
				if got := resp.Trailer.Get("X-Checksum"); got != "abc" {
					t.Errorf("declared trailer X-Checksum: got %q, want abc (Cache-Status %q)", got, resp.Header.Get("Cache-Status"))
				}
				if got := resp.Trailer.Get("X-Late"); got != "def" {
					t.Errorf("trailer named with TrailerPrefix: got %q, want def", got)
				}
			}
		})
	}
}

// TestTrailersInTheMapTakenBeforeTheBody: a handler that keeps the header
// map it got before writing, and sets its trailers there after a body long
// enough to go out on its own, still sends them.
func TestTrailersInTheMapTakenBeforeTheBody(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "max-age=60")
		h.Set("Trailer", "X-Checksum")
		w.Write([]byte(strings.Repeat("x", 2*teeHold)))
		h.Set("X-Checksum", "abc")
	})))
	defer srv.Close()
	resp, err := testClient.Get(srv.URL + "/page")
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(resp.Body)
	resp.Body.Close()
	if got := resp.Trailer.Get("X-Checksum"); got != "abc" {
		t.Errorf("trailer X-Checksum: got %q, want abc", got)
	}
}

// TestHeldResponseIgnoresFlush: while the cache holds the origin's answer to
// a revalidation, a handler's Flush, which a reverse proxy makes at once,
// must not send it: the cache may yet answer with the stored response.
func TestHeldResponseIgnoresFlush(t *testing.T) {
	flushing := func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		switch {
		case n == 1:
			w.Header().Set("Cache-Control", "max-age=60, stale-if-error=600")
			w.Write([]byte("body 1"))
			return
		case r.Header.Get("If-None-Match") == `"v1"` && n == 2:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("down"))
		}
		http.NewResponseController(w).Flush()
	}
	runScenarios(t, []scenario{{
		name:   "a flushed 304 and a flushed 503 still give the stored response",
		origin: flushing,
		steps: []step{
			{wantCS: "stored", wantCalls: 1},
			{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "fwd-status=304", wantCalls: 2},
			{advance: 61 * time.Second, wantStatus: 200, wantBody: "body 1", wantCS: "detail=stale-if-error", wantCalls: 3},
		},
	}})
}

// hijackRecorder is a recorder that a handler can take the connection of, as
// it can of net/http's own ResponseWriter.
type hijackRecorder struct {
	*httptest.ResponseRecorder
	hijacked bool
}

func (h *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.hijacked = true
	conn, peer := net.Pipe()
	peer.Close()
	return conn, bufio.NewReadWriter(bufio.NewReader(conn), bufio.NewWriter(conn)), nil
}

// TestUpgradeGetsTheClientsWriter: a WebSocket handshake reaches the handler
// with the client's own ResponseWriter, so that libraries that assert
// http.Hijacker on it, rather than use http.ResponseController, find it.
func TestUpgradeGetsTheClientsWriter(t *testing.T) {
	c, _ := newTestCache(t, Options{})
	var asserted bool
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if asserted = ok; ok {
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
	}))
	r := httptest.NewRequest(http.MethodGet, "/ws", nil)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", "websocket")
	rec := &hijackRecorder{ResponseRecorder: httptest.NewRecorder()}
	h.ServeHTTP(rec, r)
	if !asserted || !rec.hijacked {
		t.Errorf("w.(http.Hijacker): ok %v, hijacked %v; want the client's writer", asserted, rec.hijacked)
	}
	if cs := rec.Header().Get("Cache-Status"); cs != "plugcache; fwd=bypass; detail=upgrade" {
		t.Errorf("Cache-Status: got %q, want the bypass with detail=upgrade", cs)
	}
}

// TestStreamsReachTheClientAsTheyCome: a streamed response reaches the
// client at each Flush, before the handler is done, also when the cache could
// hold a response back: for a client's conditional request, and for a
// revalidation that the origin answers with a new 200.
func TestStreamsReachTheClientAsTheyCome(t *testing.T) {
	for _, tt := range []struct {
		name, contentType string
		header            []string // of the request that must stream
		stale             bool     // a stale entry with an ETag is stored first
	}{
		{"a conditional request for an event stream with a charset", "text/event-stream; charset=utf-8", []string{"If-None-Match", `"x"`}, false},
		{"a conditional request for NDJSON", "application/x-ndjson", []string{"If-None-Match", `"x"`}, false},
		{"a revalidation answered with a streamed 200", "text/plain", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := newTestCache(t, Options{})
			release := make(chan struct{})
			calls := 0
			srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if tt.stale && calls == 1 {
					w.Header().Set("Cache-Control", "max-age=1")
					w.Header().Set("ETag", `"v1"`)
					io.WriteString(w, "old\n")
					return
				}
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("Cache-Control", "no-store")
				io.WriteString(w, "first\n")
				http.NewResponseController(w).Flush()
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})))
			defer srv.Close()
			defer close(release)
			client := &http.Client{Timeout: 5 * time.Second}
			if tt.stale {
				resp, err := client.Get(srv.URL + "/s")
				if err != nil {
					t.Fatal(err)
				}
				io.ReadAll(resp.Body)
				resp.Body.Close()
				clk.advance(5 * time.Second)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/s", nil)
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("no response while the handler streams: %v", err)
			}
			defer resp.Body.Close()
			if line, err := bufio.NewReader(resp.Body).ReadString('\n'); line != "first\n" {
				t.Errorf("first chunk: got %q, %v; want it before the handler is done", line, err)
			}
		})
	}
}

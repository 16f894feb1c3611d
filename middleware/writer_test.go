package middleware

import (
	"bufio"
	"context"
	"io"
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

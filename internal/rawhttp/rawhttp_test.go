package rawhttp

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
		fmt.Fprint(w, "hello")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	c := New(addr)
	defer c.Close()

	tests := []struct {
		name      string
		path      string
		wantConns int64
	}{
		{"the first request dials", "/a", 1},
		{"the next one reuses the connection", "/b", 1},
		{"a response that closes the connection", "/close", 1},
		{"the request after it dials again", "/c", 2},
	}
	for _, tt := range tests {
		resp, n, err := c.RoundTrip(Get(addr, tt.path))
		if err != nil || resp.StatusCode != http.StatusOK || n != 5 {
			t.Fatalf("%s: RoundTrip: got %v, %d bytes, %v, want 200, 5 bytes, nil", tt.name, resp, n, err)
		}
		if got := conns.Load(); got != tt.wantConns {
			t.Errorf("%s: connections opened: got %d, want %d", tt.name, got, tt.wantConns)
		}
	}
}

func TestRoundTripDialError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close()
	if _, _, err := New(addr).RoundTrip(Get(addr, "/")); err == nil {
		t.Error("RoundTrip to a closed port: got nil error, want one")
	}
}

func TestRoundTripServerThatNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // held open, never answered
		}
	}()
	addr := ln.Addr().String()
	c := New(addr)
	c.timeout = 100 * time.Millisecond
	defer c.Close()
	start := time.Now()
	if _, _, err := c.RoundTrip(Get(addr, "/")); err == nil {
		t.Error("RoundTrip to a server that never answers: got nil error, want a timeout")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("RoundTrip to a server that never answers: returned after %v, want about 100ms", elapsed)
	}
}

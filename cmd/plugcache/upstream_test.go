package main

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestUpstreamTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	tests := []struct {
		name   string
		config string
		args   []string
	}{
		{
			name:   "--upstream-timeout bounds the wait for the response header",
			config: "backend:\n  cache:\n    store: memory\n",
			args:   []string{"--upstream-timeout", limit.String()},
		},
		{
			name:   "proxy.upstreamTimeout bounds the wait for the response header",
			config: "backend:\n  cache:\n    store: memory\nproxy:\n  upstreamTimeout: " + limit.String() + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stall atomic.Bool
			stall.Store(true)
			o := newOrigin(t, map[string]http.HandlerFunc{
				"GET /hang": func(w http.ResponseWriter, r *http.Request) {
					if stall.Load() {
						<-r.Context().Done() // the proxy gave up and closed the connection
						return
					}
					w.Header().Set("Cache-Control", "max-age=600")
					io.WriteString(w, "answered")
				},
			})
			p := start(t, spec{config: tt.config, args: append([]string{"--upstream", o.URL, "--access-log"}, tt.args...)})

			// Two at once, so that one may wait on the other's fetch, as
			// coalesced misses do: neither may wait for ever.
			sent := time.Now()
			first, second := inFlight(p.proxy+"/hang"), inFlight(p.proxy+"/hang")
			for _, r := range []response{<-first, <-second} {
				if r.status != http.StatusGatewayTimeout {
					t.Errorf("GET /hang with the upstream stalled: got %d %q, want 504", r.status, r.body)
				}
			}
			if took := time.Since(sent); took < limit || took > limit+10*time.Second {
				t.Errorf("the stalled GETs took %s, want a little over the limit of %s", took, limit)
			}

			stall.Store(false)
			r := p.get(t, "/hang")
			if cs := r.header.Get("Cache-Status"); r.status != 200 || r.body != "answered" || !strings.Contains(cs, "fwd=uri-miss") {
				t.Errorf("GET /hang with the upstream back: got %d %q, Cache-Status %q, want the origin's answer, a miss: nothing was stored", r.status, r.body, cs)
			}
		})
	}
}

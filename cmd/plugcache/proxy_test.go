package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// origin is the service behind the proxy in these tests. It records every
// request and, but for the handlers a test adds, answers with the method, the
// path and how many times it has seen them.
type origin struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seen
}

// seen is one request the origin received.
type seen struct {
	method string
	path   string
	header http.Header
	body   string
}

// newOrigin starts the origin with extra handlers, by ServeMux pattern.
func newOrigin(t *testing.T, extra map[string]http.HandlerFunc) *origin {
	o := &origin{}
	mux := http.NewServeMux()
	for pattern, h := range extra {
		mux.HandleFunc(pattern, h)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		o.mu.Lock()
		o.seen = append(o.seen, seen{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
		n := o.countLocked(r.Method, r.URL.Path)
		o.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Origin", "yes")
		fmt.Fprintf(w, "%s %s #%d", r.Method, r.URL.Path, n)
	})
	o.Server = httptest.NewServer(mux)
	t.Cleanup(o.Close)
	return o
}

// count is how many method requests for path the origin has received.
func (o *origin) count(method, path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.countLocked(method, path)
}

func (o *origin) countLocked(method, path string) int {
	n := 0
	for _, s := range o.seen {
		if s.method == method && s.path == path {
			n++
		}
	}
	return n
}

// last is the last request the origin received.
func (o *origin) last() seen {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.seen[len(o.seen)-1]
}

var ttlParam = regexp.MustCompile(`; ttl=(-?\d+)`)

// cacheTTL is the ttl of a Cache-Status, or -1 without one.
func cacheTTL(cs string) int {
	m := ttlParam.FindStringSubmatch(cs)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestRoutesCacheInTheirPluginsStore(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: []string{"--upstream", o.URL, "--access-log"}, env: st.env()})

	tests := []struct {
		name   string
		path   string
		minTTL int // the plugin's defaultTtl, less what a slow run may take
		maxTTL int
	}{
		{"/api/techdocs/static/ is techdocs: memcached, defaultTtl 1h", "/api/techdocs/static/index.html", 3590, 3600},
		{"/api/catalog/ is catalog: redis, defaultTtl 1m", "/api/catalog/entities", 50, 60},
		{"other paths are default: memory, defaultTtl 10s", "/home", 1, 10},
		{"the longest prefix wins: /api/techdocs/ outside static/ is default", "/api/techdocs/other", 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := p.get(t, tt.path)
			if cs := first.header.Get("Cache-Status"); first.status != 200 || !strings.Contains(cs, "fwd=uri-miss") || !strings.Contains(cs, "stored") {
				t.Fatalf("first GET: got %d, Cache-Status %q, want 200, a stored miss", first.status, cs)
			}
			second := p.get(t, tt.path)
			cs := second.header.Get("Cache-Status")
			if !strings.Contains(cs, "; hit") {
				t.Fatalf("second GET: got Cache-Status %q, want a hit", cs)
			}
			if ttl := cacheTTL(cs); ttl < tt.minTTL || ttl > tt.maxTTL {
				t.Errorf("second GET: got ttl %d (%q), want %d..%d", ttl, cs, tt.minTTL, tt.maxTTL)
			}
			if second.body != first.body || second.header.Get("X-Origin") != "yes" {
				t.Errorf("hit: got body %q, X-Origin %q, want %q, yes", second.body, second.header.Get("X-Origin"), first.body)
			}
			if n := o.count("GET", tt.path); n != 1 {
				t.Errorf("origin saw GET %s %d times, want 1", tt.path, n)
			}
		})
	}
}

func TestUnsafeMethodsPassThroughAndInvalidate(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: []string{"--upstream", o.URL, "--access-log"}, env: st.env()})
	const path = "/api/catalog/entities/1"

	p.get(t, path)
	if xff := o.last().header.Get("X-Forwarded-For"); xff != "127.0.0.1" {
		t.Errorf("a GET with no X-Forwarded-For of its own: origin got %q, want the client, 127.0.0.1", xff)
	}
	p.wantCache(t, path, "; hit")
	put := p.do(t, http.MethodPut, path, strings.NewReader(`{"name":"new"}`),
		"Content-Type", "application/json", "X-Request-Id", "req-42", "Authorization", "Bearer origin-token",
		"X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example")
	if put.status != 200 || put.body != "PUT "+path+" #1" {
		t.Fatalf("PUT: got %d %q, want 200 from the origin", put.status, put.body)
	}
	got := o.last()
	if got.method != "PUT" || got.body != `{"name":"new"}` || got.header.Get("X-Request-Id") != "req-42" ||
		got.header.Get("Authorization") != "Bearer origin-token" || got.header.Get("Content-Type") != "application/json" {
		t.Errorf("origin got %s %q with headers %v, want the PUT, its body and its headers", got.method, got.body, got.header)
	}
	// The chain of proxies in front stays, with this client appended; Host
	// and Proto are this proxy's own view, as a client can send anything.
	if xff, xfh, xfp := got.header.Get("X-Forwarded-For"), got.header.Get("X-Forwarded-Host"), got.header.Get("X-Forwarded-Proto"); xff != "203.0.113.7, 127.0.0.1" || xfh != strings.TrimPrefix(p.proxy, "http://") || xfp != "http" {
		t.Errorf("origin got X-Forwarded-For %q, -Host %q, -Proto %q, want \"203.0.113.7, 127.0.0.1\", the proxy's host, http", xff, xfh, xfp)
	}
	after := p.get(t, path)
	if cs := after.header.Get("Cache-Status"); !strings.Contains(cs, "fwd=uri-miss") || after.body != "GET "+path+" #2" {
		t.Errorf("after PUT: got %q, Cache-Status %q, want a fresh miss from the origin", after.body, cs)
	}

	for _, method := range []string{"POST", "PATCH", "DELETE", "OPTIONS", "REPORT"} {
		r := do(t, method, p.proxy+"/any/"+method, strings.NewReader("x"))
		if r.status != 200 || o.count(method, "/any/"+method) != 1 {
			t.Errorf("%s: got %d, origin saw it %d times, want 200 and once", method, r.status, o.count(method, "/any/"+method))
		}
	}
}

func TestUnreachableUpstream(t *testing.T) {
	o := newOrigin(t, map[string]http.HandlerFunc{
		"/doc": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "max-age=0, stale-if-error=600")
			io.WriteString(w, "the doc")
		},
	})
	p := start(t, spec{config: "backend:\n  cache:\n    store: memory\n", args: []string{"--upstream", o.URL}})
	// The cache stores a response once its handler returns, which may be
	// just after the client has read it: poll until a GET finds it stored
	// (and stale, at max-age=0).
	poll(t, "/doc stored", func() (bool, string) {
		r := get(t, p.proxy+"/doc")
		cs := r.header.Get("Cache-Status")
		return r.body == "the doc" && strings.Contains(cs, "fwd=stale"), cs
	})
	o.Close()

	for i := range 5 {
		r := get(t, p.proxy+fmt.Sprintf("/page/%d", i))
		if r.status != http.StatusBadGateway {
			t.Errorf("GET with the upstream down: got %d, want 502", r.status)
		}
	}
	stale := get(t, p.proxy+"/doc")
	if cs := stale.header.Get("Cache-Status"); stale.status != 200 || stale.body != "the doc" || !strings.Contains(cs, "fwd=stale") {
		t.Errorf("GET /doc with the upstream down: got %d %q, Cache-Status %q, want the stale copy (stale-if-error)", stale.status, stale.body, cs)
	}
	if n := len(p.logs.matching(func(l logLine) bool { return strings.HasPrefix(l.Msg, "upstream is unreachable") })); n != 1 {
		t.Errorf("got %d lines saying the upstream is unreachable, want 1 for the change of state\n%s", n, p.logs)
	}
	if n := len(p.logs.matching(msg("request"))); n != 0 {
		t.Errorf("got %d request lines without --access-log, want 0", n)
	}

	// The upstream comes back on its address: one line says so.
	ln, err := net.Listen("tcp", o.Listener.Addr().String())
	if err != nil {
		t.Fatalf("reopening the upstream's address: %v", err)
	}
	back := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "back") })}
	go back.Serve(ln)
	t.Cleanup(func() { back.Close() })
	for range 3 {
		if r := get(t, p.proxy+"/page/back"); r.status != 200 || r.body != "back" {
			t.Errorf("GET with the upstream back: got %d %q, want 200 back", r.status, r.body)
		}
	}
	again := func(l logLine) bool { return l.Msg == "upstream answers again" }
	if _, err := p.logs.wait(again, p.exited); err != nil || len(p.logs.matching(again)) != 1 {
		t.Errorf("want one line saying the upstream answers again\n%s", p.logs)
	}
}

func TestLargeBodiesAndStreamsPassUnharmed(t *testing.T) {
	next := make(chan struct{})
	o := newOrigin(t, map[string]http.HandlerFunc{
		"POST /upload": func(w http.ResponseWriter, r *http.Request) {
			h := sha256.New()
			n, err := io.Copy(h, r.Body)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			fmt.Fprintf(w, "%d %x %v", n, h.Sum(nil), r.TransferEncoding)
		},
		"GET /stream": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			rc := http.NewResponseController(w)
			for i := range 3 {
				fmt.Fprintf(w, "chunk %d\n", i)
				rc.Flush()
				select { // the next chunk only once the client has this one
				case <-next:
				case <-time.After(waitTimeout):
					io.WriteString(w, "the client never got the chunk: the proxy buffered it\n")
					return
				}
			}
		},
	})
	p := start(t, spec{config: "backend:\n  cache:\n    store: memory\n", args: []string{"--upstream", o.URL}})

	t.Run("a 1 MB upload of unknown length arrives whole", func(t *testing.T) {
		body := make([]byte, 1<<20)
		rand.Read(body)
		sum := sha256.Sum256(body)
		r := do(t, "POST", p.proxy+"/upload", bytesReader(body))
		want := fmt.Sprintf("%d %s [chunked]", len(body), hex.EncodeToString(sum[:]))
		if r.status != 200 || r.body != want {
			t.Errorf("got %d %q, want 200 %q", r.status, r.body, want)
		}
	})
	t.Run("a streamed response arrives chunk by chunk", func(t *testing.T) {
		resp, err := client.Get(p.proxy + "/stream")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
			t.Errorf("got Transfer-Encoding %v, want chunked", resp.TransferEncoding)
		}
		br := bufio.NewReader(resp.Body)
		for i := range 3 {
			line, err := br.ReadString('\n')
			if want := fmt.Sprintf("chunk %d\n", i); err != nil || line != want {
				t.Fatalf("got %q, %v, want %q", line, err, want)
			}
			next <- struct{}{}
		}
		if rest, _ := io.ReadAll(br); len(rest) != 0 {
			t.Errorf("got %q after the last chunk, want nothing", rest)
		}
	})
}

// bytesReader hides the type of b's reader, so that the request's length is
// unknown and its body goes chunked.
func bytesReader(b []byte) io.Reader {
	return struct{ io.Reader }{bytes.NewReader(b)}
}

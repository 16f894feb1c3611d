package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plugcache/plugcache/internal/testserver"
)

// slowOrigin is an origin whose GET /slow waits for release before it
// answers, and tells arrived when a request is waiting.
func slowOrigin(t *testing.T) (o *origin, arrived <-chan struct{}, release func()) {
	in := make(chan struct{}, 1)
	out := make(chan struct{})
	o = newOrigin(t, map[string]http.HandlerFunc{
		"GET /slow": func(w http.ResponseWriter, r *http.Request) {
			in <- struct{}{}
			select {
			case <-out:
				io.WriteString(w, "slow answer")
			case <-r.Context().Done():
			}
		},
	})
	var once sync.Once
	release = func() { once.Do(func() { close(out) }) }
	t.Cleanup(release) // before the origin closes, which waits for it
	return o, in, release
}

// inFlight sends GET url and returns where its outcome will arrive.
func inFlight(url string) <-chan response {
	done := make(chan response, 1)
	go func() {
		resp, err := client.Get(url)
		if err != nil {
			done <- response{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			b = append(b, " / "+err.Error()...)
		}
		done <- response{status: resp.StatusCode, body: string(b)}
	}()
	return done
}

func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { testGracefulShutdown(t, sig) })
	}
}

func testGracefulShutdown(t *testing.T, sig syscall.Signal) {
	o, arrived, release := slowOrigin(t)
	p := start(t, spec{config: "backend:\n  cache:\n    store: memory\n", args: []string{"--upstream", o.URL, "--grace", "20s"}})
	done := inFlight(p.proxy + "/slow")
	<-arrived

	p.cmd.Process.Signal(sig)
	addr := strings.TrimPrefix(p.proxy, "http://")
	poll(t, "the proxy refusing new connections", func() (bool, string) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return false, "accepted"
		}
		return true, ""
	})
	select {
	case <-p.exited:
		t.Fatalf("the proxy exited with a request in flight\n%s", p.logs)
	default:
	}
	release()
	if r := <-done; r.status != 200 || r.body != "slow answer" {
		t.Errorf("request in flight: got %d %q, want 200 %q", r.status, r.body, "slow answer")
	}
	if err := p.wait(); err != nil {
		t.Errorf("proxy exited with %v, want status 0\n%s", err, p.logs)
	}
	// No admin block and no --admin-listen: no admin listener.
	if l := p.logs.matching(func(l logLine) bool { return l.Msg == "listening" }); len(l) != 1 || l[0].str("admin") != "off" {
		t.Errorf("listening line %v: want one, with admin=off\n%s", l, p.logs)
	}
	for _, msg := range []string{"shutting down", "stores closed"} {
		if len(p.logs.matching(func(l logLine) bool { return strings.HasPrefix(l.Msg, msg) })) != 1 {
			t.Errorf("no %q line in the log\n%s", msg, p.logs)
		}
	}
}

func TestShutdownGraceIsBounded(t *testing.T) {
	o, arrived, _ := slowOrigin(t)
	p := start(t, spec{
		config:   "backend:\n  cache:\n    store: memory\n",
		args:     []string{"--upstream", o.URL, "--grace", "200ms"},
		exitCode: 1,
	})
	done := inFlight(p.proxy + "/slow")
	<-arrived
	sent := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait()
	if took := time.Since(sent); took > 10*time.Second {
		t.Errorf("the proxy took %s to stop with a grace of 200ms", took)
	}
	if r := <-done; r.status == 200 && r.body == "slow answer" {
		t.Errorf("the request outlived the grace and still got its answer")
	}
	if !strings.Contains(p.logs.String(), "outlived the grace of 200ms and were cut off") {
		t.Errorf("stderr does not say requests were cut off:\n%s", p.logs)
	}
}

func TestStartupErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dead := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	deadAddr := dead.Addr
	dead.Close()
	const upstream = "http://127.0.0.1:7007"

	tests := []struct {
		name   string
		config string
		args   []string
		want   []string
	}{
		{
			name:   "a bad route names the file, the line and the key",
			config: "proxy:\n  upstream: " + upstream + "\n  routes:\n    - { path: api/, plugin: techdocs }\n",
			want:   []string{"proxy.routes[0].path: must start with /", "app-config.yaml:4)"},
		},
		{
			name:   "an unknown key names the file and the line",
			config: "proxy:\n  upstream: " + upstream + "\n  listn: 127.0.0.1:0\n",
			want:   []string{`proxy.listn: unknown key; did you mean "listen"?`, "app-config.yaml:3)"},
		},
		{
			name:   "a bad backend.cache names the file and the line",
			config: "backend:\n  cache:\n    store: memcached\n",
			args:   []string{"--upstream", upstream},
			want:   []string{"backend.cache.store", "app-config.yaml:3"},
		},
		{
			name:   "a bad upstream URL",
			config: "proxy:\n  upstream: ftp://files.example\n",
			want:   []string{"proxy.upstream:", "scheme must be http or https", "app-config.yaml:2)"},
		},
		{
			name: "a bad upstream URL given as a flag",
			args: []string{"--upstream", "127.0.0.1:7007"},
			want: []string{"--upstream: no scheme; expected a URL such as http://"},
		},
		{
			name: "no upstream",
			want: []string{"proxy.upstream: required"},
		},
		{
			name: "the proxy's port in use",
			args: []string{"--upstream", upstream, "--listen", busy.Addr().String()},
			want: []string{"proxy: cannot listen on " + busy.Addr().String(), "address already in use"},
		},
		{
			name: "the admin port in use",
			args: []string{"--upstream", upstream, "--admin-listen", busy.Addr().String()},
			want: []string{"admin: cannot listen on " + busy.Addr().String(), "address already in use"},
		},
		{
			name:   "--require-store with a store down refuses with the reason",
			config: "backend:\n  cache:\n    plugin:\n      techdocs: { store: memcache, connection: \"" + deadAddr + "\", timeout: 200ms }\n",
			args:   []string{"--upstream", upstream, "--require-store"},
			want:   []string{"--require-store: refusing to start", "plugin techdocs", deadAddr, "unavailable"},
		},
		{
			name: "a bad log level",
			args: []string{"--upstream", upstream, "--log-level", "loud"},
			want: []string{`--log-level: "loud"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := launch(t, spec{config: tt.config, args: tt.args})
			err := p.wait()
			if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() != 1 {
				t.Fatalf("got %v, want exit status 1\n%s", err, p.logs)
			}
			out := p.logs.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stderr lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestStoreDownAtStartFailsOpen(t *testing.T) {
	dead := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	deadAddr := dead.Addr
	dead.Close()
	o := newOrigin(t, nil)
	p := start(t, spec{
		config: "backend:\n  cache:\n    plugin:\n      techdocs: { store: memcache, connection: \"" + deadAddr + "\", timeout: 200ms }\n",
		args:   []string{"--upstream", o.URL},
	})
	warned := p.logs.matching(func(l logLine) bool { return l.Level == "WARN" && l.str("plugin") == "techdocs" })
	if len(warned) != 1 || !strings.Contains(warned[0].raw, deadAddr) {
		t.Errorf("got %d warnings for techdocs, want 1 naming %s\n%s", len(warned), deadAddr, p.logs)
	}
	if r := get(t, p.proxy+"/docs"); r.status != 200 || r.body != "GET /docs #1" {
		t.Errorf("GET: got %d %q, want the origin's answer", r.status, r.body)
	}
}

func TestAccessLogAndNoSecretsInLogs(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: append(withAdmin(o), "--access-log"), env: st.env()})
	p.get(t, "/api/catalog/x?token=query-secret")
	p.get(t, "/api/catalog/x?token=query-secret")
	do(t, http.MethodPost, p.admin+"/purge", strings.NewReader(`{"plugin":"catalog","url":"`+p.proxy+`/api/catalog/x?token=query-secret"}`),
		"Authorization", "Bearer "+adminToken)
	do(t, http.MethodPost, p.admin+"/purge", strings.NewReader(`{"plugin":"catalog","all":true}`), "Authorization", "Bearer wrong-"+adminToken)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(); err != nil {
		t.Fatalf("proxy exited with %v\n%s", err, p.logs)
	}

	requests := p.logs.matching(msg("request"))
	if len(requests) != 2 {
		t.Fatalf("got %d request lines, want 2\n%s", len(requests), p.logs)
	}
	for i, want := range []string{"fwd=uri-miss", "; hit"} {
		l := requests[i]
		if l.str("path") != "/api/catalog/x" || l.str("plugin") != "catalog" || l.attrs["status"] != float64(200) || !strings.Contains(l.str("cache"), want) {
			t.Errorf("request line %d: got %s, want GET /api/catalog/x, catalog, 200, %q", i, l.raw, want)
		}
	}
	if len(p.logs.matching(msg("purged"))) != 1 {
		t.Errorf("want one purged line\n%s", p.logs)
	}
	for _, secret := range []string{redisPassword, adminToken, "query-secret"} {
		if strings.Contains(p.logs.String(), secret) {
			t.Errorf("the log shows %q:\n%s", secret, p.logs)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plugcache/plugcache/internal/testserver"
)

// binary is the plugcache command, built once by TestMain, with the race
// detector when the tests have it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "plugcache-cmd")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "plugcache")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building plugcache: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// waitTimeout bounds every wait of these tests for the proxy: its start, a
// state it polls for, its exit.
const waitTimeout = 30 * time.Second

// proc is a running plugcache proxy.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	logs   *lines
	proxy  string // "http://127.0.0.1:port"
	admin  string // "http://127.0.0.1:port", or "" when off
	exited chan struct{}
	err    error // cmd.Wait's, once exited is closed
}

// spec is one start of the binary: its arguments, environment and config.
type spec struct {
	config string   // app-config.yaml's contents; "" for no --config
	args   []string // after "proxy --log-format json --listen 127.0.0.1:0 --config <file>"
	env    []string // added to the test's environment
	// exitCode is the status the proxy must exit with once the test ends.
	exitCode int
}

// start runs the binary as the proxy and returns once it logs "listening",
// with the addresses it logged. When the test ends it sends SIGTERM and wants
// exit status r.exitCode, which also catches a data race in the proxy.
func start(t *testing.T, r spec) *proc {
	t.Helper()
	p := launch(t, r)
	line, err := p.logs.wait(func(l logLine) bool { return l.Msg == "listening" }, p.exited)
	if err != nil {
		t.Fatalf("proxy did not start: %v\n%s", err, p.logs)
	}
	p.proxy = "http://" + line.str("proxy")
	if a := line.str("admin"); a != "off" {
		p.admin = "http://" + a
	}
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.wait(); p.cmd.ProcessState == nil || p.cmd.ProcessState.ExitCode() != r.exitCode {
			t.Errorf("proxy exited with %v, want status %d\n%s", err, r.exitCode, p.logs)
		}
	})
	return p
}

// launch starts the binary without waiting for it.
func launch(t *testing.T, r spec) *proc {
	t.Helper()
	// A free port unless the test says otherwise: a later flag wins.
	args := []string{"proxy", "--log-format", "json", "--listen", "127.0.0.1:0"}
	if r.config != "" {
		path := filepath.Join(t.TempDir(), "app-config.yaml")
		if err := os.WriteFile(path, []byte(r.config), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--config", path)
	}
	p := &proc{t: t, logs: newLines(), exited: make(chan struct{})}
	p.cmd = exec.Command(binary, append(args, r.args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, tokenEnv+"=") { // a token only where a test gives one
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	// A race-detecting binary otherwise sleeps a second before it exits.
	p.cmd.Env = append(p.cmd.Env, "GORACE=atexit_sleep_ms=0")
	p.cmd.Env = append(p.cmd.Env, r.env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	p.cmd.Dir = t.TempDir()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { // should start's cleanup not run, or not stop it
		select {
		case <-p.exited:
		case <-time.After(waitTimeout):
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// wait waits for the proxy to exit and returns how it did.
func (p *proc) wait() error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(waitTimeout):
		p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("still running after %s; killed", waitTimeout)
	}
}

// logLine is one line of the proxy's JSON log.
type logLine struct {
	Msg   string `json:"msg"`
	Level string `json:"level"`
	attrs map[string]any
	raw   string
}

func (l logLine) str(key string) string {
	s, _ := l.attrs[key].(string)
	return s
}

// lines collects what the proxy writes, line by line, and wakes those
// waiting for a line.
type lines struct {
	mu      sync.Mutex
	partial []byte
	all     []logLine
	changed chan struct{} // closed and replaced on each new line
}

func newLines() *lines { return &lines{changed: make(chan struct{})} }

func (ls *lines) Write(b []byte) (int, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.partial = append(ls.partial, b...)
	for {
		i := bytes.IndexByte(ls.partial, '\n')
		if i < 0 {
			break
		}
		raw := string(ls.partial[:i])
		ls.partial = ls.partial[i+1:]
		l := logLine{raw: raw}
		if json.Unmarshal([]byte(raw), &l.attrs) == nil {
			l.Msg, _ = l.attrs["msg"].(string)
			l.Level, _ = l.attrs["level"].(string)
		}
		ls.all = append(ls.all, l)
	}
	close(ls.changed)
	ls.changed = make(chan struct{})
	return len(b), nil
}

// wait returns the first line that match accepts, waiting for it until the
// process exits or waitTimeout passes.
func (ls *lines) wait(match func(logLine) bool, exited <-chan struct{}) (logLine, error) {
	m, err := ls.waitN(match, 1, exited)
	if err != nil {
		return logLine{}, err
	}
	return m[0], nil
}

// waitN returns the lines that match accepts once there are at least n,
// waiting for them until the process exits or waitTimeout passes.
func (ls *lines) waitN(match func(logLine) bool, n int, exited <-chan struct{}) ([]logLine, error) {
	deadline := time.After(waitTimeout)
	for {
		ls.mu.Lock()
		changed := ls.changed
		ls.mu.Unlock()
		if m := ls.matching(match); len(m) >= n {
			return m, nil
		}
		select {
		case <-changed:
		case <-exited:
			// Wait has returned, so every line the process wrote is in.
			if m := ls.matching(match); len(m) >= n {
				return m, nil
			}
			return nil, errors.New("the process exited")
		case <-deadline:
			return nil, fmt.Errorf("not %d such lines after %s", n, waitTimeout)
		}
	}
}

// matching returns the lines so far that match accepts.
func (ls *lines) matching(match func(logLine) bool) []logLine {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	var out []logLine
	for _, l := range ls.all {
		if match(l) {
			out = append(out, l)
		}
	}
	return out
}

// String is everything written so far.
func (ls *lines) String() string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	var b strings.Builder
	for _, l := range ls.all {
		b.WriteString(l.raw)
		b.WriteByte('\n')
	}
	b.Write(ls.partial)
	return b.String()
}

// msg matches log lines by message.
func msg(m string) func(logLine) bool {
	return func(l logLine) bool { return l.Msg == m }
}

// client is the tests' HTTP client: bounded, and never following redirects.
var client = &http.Client{
	Timeout:       waitTimeout,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// response is what a test reads of one response.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request and reads the whole response.
func do(t *testing.T, method, url string, body io.Reader, header ...string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// do sends a request through the proxy, which must run with --access-log,
// and returns once the proxy has logged it: its handler has returned, so
// what the cache stores for it is stored and what it counts is counted.
func (p *proc) do(t *testing.T, method, path string, body io.Reader, header ...string) response {
	t.Helper()
	n := len(p.logs.matching(msg("request")))
	r := do(t, method, p.proxy+path, body, header...)
	if _, err := p.logs.waitN(msg("request"), n+1, p.exited); err != nil {
		t.Fatalf("%s %s: no access log line (run with --access-log): %v\n%s", method, path, err, p.logs)
	}
	return r
}

// get is p.do for GET.
func (p *proc) get(t *testing.T, path string, header ...string) response {
	t.Helper()
	return p.do(t, http.MethodGet, path, nil, header...)
}

// wantCache fails the test unless a GET of path through the proxy says want
// ("; hit", "fwd=uri-miss") in its Cache-Status.
func (p *proc) wantCache(t *testing.T, path, want string) {
	t.Helper()
	if cs := p.get(t, path).header.Get("Cache-Status"); !strings.Contains(cs, want) {
		t.Errorf("GET %s: got Cache-Status %q, want %q", path, cs, want)
	}
}

// get is do for GET.
func get(t *testing.T, url string, header ...string) response {
	t.Helper()
	return do(t, http.MethodGet, url, nil, header...)
}

// poll calls cond until it holds, or fails the test after waitTimeout.
// Between calls it waits briefly: the state polled for belongs to another
// process, so there is nothing to wait on.
func poll(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s; last: %s", what, waitTimeout, last)
		}
		select {
		case <-t.Context().Done():
			t.Fatal(context.Cause(t.Context()))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stores are real servers for one test, so that no test sees another's
// entries, generations or faults.
type stores struct {
	memcached *testserver.Memcached
	redis     *testserver.Redis
}

func newStores(t *testing.T) stores {
	return stores{
		memcached: testserver.NewMemcached(t, testserver.MemcachedOptions{}),
		redis:     testserver.NewRedis(t, testserver.RedisOptions{Password: redisPassword}),
	}
}

// redisPassword and adminToken are secrets no log may show.
const (
	redisPassword = "redis-pw-must-not-leak"
	adminToken    = "admin-token-must-not-leak"
)

// config is app-config.yaml for the stores: three plugins on three stores
// with three TTLs, routed by path, with an admin token from the environment.
func (s stores) config() string {
	return `backend:
  cache:
    store: memory
    defaultTtl: 10s
    timeout: 500ms
    plugin:
      techdocs: { store: memcache, connection: "` + s.memcached.Addr + `", defaultTtl: 1h }
      catalog:  { store: redis, connection: "${PC_TEST_REDIS_URL}", defaultTtl: 1m }
proxy:
  routes:
    - { path: /api/techdocs/static/, plugin: techdocs }
    - { path: /api/catalog/,         plugin: catalog }
    - { path: /,                     plugin: default }
  admin: { token: "${PC_TEST_TOKEN}" }
`
}

// env is the environment the config reads.
func (s stores) env() []string {
	return []string{"PC_TEST_REDIS_URL=" + s.redis.URL, "PC_TEST_TOKEN=" + adminToken}
}

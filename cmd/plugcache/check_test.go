package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plugcache/plugcache/internal/testserver"
)

func TestCheck(t *testing.T) {
	r := testserver.NewRedis(t, testserver.RedisOptions{Password: "pw-0f-secret"})
	mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	dead := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	deadAddr := dead.Addr
	dead.Close()
	t.Setenv("PC_CHECK_REDIS_URL", r.URL)
	const up = "proxy:\n  upstream: http://127.0.0.1:7007\n"

	tests := []struct {
		name     string
		config   string
		wantErr  bool
		want     []string // in what check writes
		wantNone []string
		inErr    []string // in the error it returns
	}{
		{
			name: "every store answers",
			config: `backend:
  cache:
    store: redis
    connection: ${PC_CHECK_REDIS_URL}
    timeout: 2s
    plugin:
      techdocs: { store: memcache, connection: "` + mc.Addr + `" }
      search: { store: memory }
`,
			want:     []string{"default", "redis", "techdocs", "memcache", mc.Addr, "search", "memory", "ok "},
			wantNone: []string{"pw-0f-secret", "FAILED"},
		},
		{
			name: "a store that is down fails the check with the reason",
			config: `backend:
  cache:
    store: memory
    plugin:
      techdocs: { store: memcache, connection: "` + deadAddr + `", timeout: 200ms }
`,
			wantErr: true,
			want:    []string{"techdocs", "FAILED", "unavailable", "default", "ok "},
		},
		{
			name: "Backstage's own proxy block, for proxy-backend, is left alone",
			config: `backend:
  cache:
    store: memory
proxy:
  endpoints:
    /circleci/api: { target: https://circleci.com/api/v1.1 }
`,
			want: []string{"default", "memory", "ok "},
		},
		{
			name: "Backstage's older proxy block, of endpoint paths, is left alone",
			config: `backend:
  cache:
    store: memory
proxy:
  '/circleci/api': { target: https://circleci.com/api/v1.1 }
`,
			want: []string{"default", "memory", "ok "},
		},
		{
			name: "a proxy block without an upstream passes: the proxy may be given --upstream",
			config: `backend:
  cache:
    store: memory
proxy:
  routes:
    - { path: /api/catalog/, plugin: catalog }
`,
			want: []string{"default", "ok "},
		},
		{
			name:    "a bad backend.cache names the file and the line",
			config:  "backend:\n  cache:\n    store: memcached\n",
			wantErr: true,
			inErr:   []string{"backend.cache.store", "app-config.yaml:3"},
		},
		{
			name:    "an unknown key of the proxy block, which the proxy refuses",
			config:  "proxy:\n  upstrem: http://127.0.0.1:7007\n",
			wantErr: true,
			inErr:   []string{`proxy.upstrem: unknown key; did you mean "upstream"?`, "app-config.yaml:2)"},
		},
		{
			name:    "a bad route, which the proxy refuses",
			config:  up + "  routes:\n    - { path: api/, plugin: techdocs }\n",
			wantErr: true,
			inErr:   []string{"proxy.routes[0].path: must start with /", "app-config.yaml:4)"},
		},
		{
			name:    "a bad upstream, which the proxy refuses",
			config:  "proxy:\n  upstream: ftp://files.example\n",
			wantErr: true,
			inErr:   []string{"proxy.upstream:", "scheme must be http or https", "app-config.yaml:2)"},
		},
		{
			name:    "a bad listen address, which the proxy refuses",
			config:  up + "  listen: localhost\n",
			wantErr: true,
			inErr:   []string{"proxy.listen: expected host:port", "app-config.yaml:3)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app-config.yaml")
			if err := os.WriteFile(path, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"check", "--config", path}, &stdout, &stderr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("run: got error %v, want error %v\n%s", err, tt.wantErr, stdout.String())
			}
			for _, w := range tt.inErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to say %q", err, w)
				}
			}
			out := stdout.String() + stderr.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNone {
				if strings.Contains(out, w) {
					t.Errorf("output holds %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCheckArguments(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" for success
		stderr  string // in what check writes to stderr
	}{
		{
			name:   "-h prints the flags and succeeds",
			args:   []string{"check", "-h"},
			stderr: "-config file",
		},
		{
			name:    "an unknown flag fails after saying why",
			args:    []string{"check", "--nope"},
			wantErr: errReported.Error(),
			stderr:  "flag provided but not defined: -nope",
		},
		{
			name:    "a file given without --config is refused, not ignored",
			args:    []string{"check", "bad.yaml"},
			wantErr: `check: unexpected argument "bad.yaml"; give config files with --config`,
		},
		{
			name:    "an argument after the flags is refused",
			args:    []string{"check", "--config", "app-config.yaml", "other.yaml"},
			wantErr: `check: unexpected argument "other.yaml"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A good app-config.yaml where check looks by default, so that
			// only the arguments can fail it.
			t.Chdir(t.TempDir())
			if err := os.WriteFile("app-config.yaml", []byte("backend:\n  cache:\n    store: memory\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if got := errString(err); !strings.Contains(got, tt.wantErr) || (got == "") != (tt.wantErr == "") {
				t.Errorf("got error %q, want %q\n%s%s", got, tt.wantErr, &stdout, &stderr)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("got stderr %q, want it to hold %q", &stderr, tt.stderr)
			}
		})
	}
}

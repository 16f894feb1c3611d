package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// settingsFrom resolves the settings of the proxy command started with args
// and, when yaml is not empty, --config holding it.
func settingsFrom(t *testing.T, yaml string, args ...string) (settings, error) {
	t.Helper()
	t.Chdir(t.TempDir()) // errors name app-config.yaml as given
	if yaml != "" {
		if err := os.WriteFile("app-config.yaml", []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append([]string{"--config", "app-config.yaml"}, args...)
	}
	f, err := parseProxyFlags(args, io.Discard)
	if err != nil {
		return settings{}, err
	}
	cfg, block, tree, err := loadFiles(f.configs)
	if err != nil {
		return settings{}, err
	}
	return resolve(cfg, block, tree, f)
}

func TestConfigErrors(t *testing.T) {
	t.Setenv(tokenEnv, "")
	os.Unsetenv(tokenEnv)
	const up = "proxy:\n  upstream: http://127.0.0.1:7007\n"
	tests := []struct {
		name string
		yaml string
		args []string
		want []string // in the error, in this order of lines
		not  string   // never in the error
	}{
		{name: "the upstream is required", yaml: "proxy: {}\n", want: []string{"proxy.upstream: required"}},
		{name: "the upstream must be http or https", yaml: "proxy:\n  upstream: ftp://x\n", want: []string{`proxy.upstream: "ftp://x": scheme must be http or https (app-config.yaml:2)`}},
		{name: "the upstream must have a host", yaml: "proxy:\n  upstream: http:///x\n", want: []string{"no host"}},
		{name: "the upstream's password is never shown", yaml: "proxy:\n  upstream: http://u:hunter2@h:1\n", want: []string{"xxxxx", "credentials"}, not: "hunter2"},
		{name: "a flag is named as a flag", args: []string{"--upstream", "http//x"}, want: []string{"--upstream: "}},
		{name: "listen must be host:port", yaml: up + "  listen: localhost\n", want: []string{"proxy.listen: expected host:port", "(app-config.yaml:3)"}},
		{name: "admin.listen must differ from listen", yaml: up + "  listen: 127.0.0.1:9000\n  admin: { listen: 127.0.0.1:9000 }\n", want: []string{"proxy.admin.listen: must differ from proxy.listen (app-config.yaml:4)"}},
		{name: "a route needs a path", yaml: up + "  routes:\n    - { plugin: techdocs }\n", want: []string{"proxy.routes[0].path: required", "(app-config.yaml:4)"}},
		{name: "a route's path starts with /", yaml: up + "  routes:\n    - { path: docs/, plugin: techdocs }\n", want: []string{"proxy.routes[0].path: must start with / (app-config.yaml:4)"}},
		{name: "a route's path is clean", yaml: up + "  routes:\n    - { path: /a/../docs/, plugin: techdocs }\n", want: []string{`proxy.routes[0].path: not a clean path; did you mean "/docs/"?`}},
		{name: "a route's path is written unescaped", yaml: up + "  routes:\n    - { path: /api%2Fdocs/, plugin: techdocs }\n", want: []string{"proxy.routes[0].path: must not hold '%'", "(app-config.yaml:4)"}},
		{name: "a route's path keeps the slash a final dot segment leaves", yaml: up + "  routes:\n    - { path: /docs/., plugin: techdocs }\n", want: []string{`proxy.routes[0].path: not a clean path; did you mean "/docs/"?`}},
		{name: "two routes cannot share a path", yaml: up + "  routes:\n    - { path: /docs/, plugin: a }\n    - { path: /docs/, plugin: b }\n", want: []string{"proxy.routes[1].path: the same path as proxy.routes[0] (app-config.yaml:5)"}},
		{name: "a route needs a plugin", yaml: up + "  routes:\n    - { path: /docs/ }\n", want: []string{"proxy.routes[0].plugin: required"}},
		{name: "a route's plugin is a plugin ID", yaml: up + "  routes:\n    - { path: /docs/, plugin: tech docs }\n", want: []string{"proxy.routes[0].plugin: a plugin ID is"}},
		{name: "an unknown key is refused", yaml: up + "  routes:\n    - { path: /docs/, plugn: techdocs }\n", want: []string{`proxy.routes[0].plugn: unknown key; did you mean "plugin"? (app-config.yaml:4)`}},
		{name: "an unset variable is named", yaml: up + "  admin: { listen: 127.0.0.1:0, token: \"${PC_UNSET_TOKEN}\" }\n", want: []string{`proxy.admin.token: environment variable "PC_UNSET_TOKEN" is not set (app-config.yaml:3)`}},
		{name: "a negative upstreamTimeout", yaml: up + "  upstreamTimeout: -1s\n", want: []string{"proxy.upstreamTimeout: must be >= 0; 0 means no limit (app-config.yaml:3)"}},
		{name: "a negative --upstream-timeout", yaml: up, args: []string{"--upstream-timeout", "-1s"}, want: []string{"--upstream-timeout: must be >= 0"}},
		{name: "a negative grace", yaml: up, args: []string{"--grace", "-1s"}, want: []string{"--grace: must be >= 0"}},
		{name: "every problem is reported at once", yaml: "proxy:\n  listen: nowhere\n  routes:\n    - { path: x, plugin: y }\n", want: []string{"proxy.listen:", "proxy.upstream: required", "proxy.routes[0].path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := settingsFrom(t, tt.yaml, tt.args...)
			if err == nil {
				t.Fatalf("got no error, want one saying %q", tt.want)
			}
			got := err.Error()
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("got %q, want it to say %q (in order: %q)", got, w, tt.want)
				}
				rest = rest[i+len(w):]
			}
			if tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("got %q, which shows %q", got, tt.not)
			}
		})
	}
}

func TestConfigLayers(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "app-config.yaml")
	prod := filepath.Join(dir, "app-config.production.yaml")
	os.WriteFile(base, []byte("proxy:\n  listen: 127.0.0.1:8090\n  upstream: http://127.0.0.1:7007\n  admin: { listen: 127.0.0.1:8091, token: from-yaml }\n"), 0o600)
	os.WriteFile(prod, []byte("proxy:\n  upstream: https://backstage.internal\n  routes:\n    - { path: /api/catalog/, plugin: catalog }\n"), 0o600)

	tests := []struct {
		name  string
		args  []string
		env   string // PLUGCACHE_ADMIN_TOKEN; "" for unset
		check func(settings) (got, want any)
	}{
		{"a later file wins key by key", nil, "", func(s settings) (any, any) {
			return s.listen + " " + s.upstream.String() + " " + s.routes[0].Plugin, "127.0.0.1:8090 https://backstage.internal catalog"
		}},
		{"--listen overrides proxy.listen", []string{"--listen", "0.0.0.0:80"}, "", func(s settings) (any, any) { return s.listen, "0.0.0.0:80" }},
		{"--upstream overrides proxy.upstream", []string{"--upstream", "http://10.0.0.1:7007"}, "", func(s settings) (any, any) { return s.upstream.String(), "http://10.0.0.1:7007" }},
		{"--admin-listen overrides proxy.admin.listen", []string{"--admin-listen", "127.0.0.1:9999"}, "", func(s settings) (any, any) { return s.adminListen, "127.0.0.1:9999" }},
		{"the token comes from the YAML", nil, "", func(s settings) (any, any) { return s.adminToken, "from-yaml" }},
		{"$PLUGCACHE_ADMIN_TOKEN overrides the YAML", nil, "from-env", func(s settings) (any, any) { return s.adminToken, "from-env" }},
		{"--admin-token overrides both", []string{"--admin-token", "from-flag"}, "from-env", func(s settings) (any, any) { return s.adminToken, "from-flag" }},
		{"--grace defaults to 30s", nil, "", func(s settings) (any, any) { return s.grace, 30 * time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv(tokenEnv, tt.env)
			} else {
				t.Setenv(tokenEnv, "")
				os.Unsetenv(tokenEnv)
			}
			s, err := settingsFrom(t, "", append([]string{"--config", base, "--config", prod}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tt.check(s); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestUpstreamTimeoutSetting(t *testing.T) {
	const up = "proxy:\n  upstream: http://127.0.0.1:7007\n"
	tests := []struct {
		name string
		yaml string
		args []string
		want time.Duration
	}{
		{"the default is 30s", up, nil, 30 * time.Second},
		{"proxy.upstreamTimeout sets it", up + "  upstreamTimeout: 5s\n", nil, 5 * time.Second},
		{"proxy.upstreamTimeout 0 means no limit, not the default", up + "  upstreamTimeout: 0\n", nil, 0},
		{"--upstream-timeout overrides proxy.upstreamTimeout", up + "  upstreamTimeout: 5s\n", []string{"--upstream-timeout", "1m"}, time.Minute},
		{"--upstream-timeout 0 means no limit", up + "  upstreamTimeout: 5s\n", []string{"--upstream-timeout", "0"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingsFrom(t, tt.yaml, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if s.upstreamTimeout != tt.want {
				t.Errorf("got %v, want %v", s.upstreamTimeout, tt.want)
			}
		})
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		format, level string
		wantErr       string
		// want are what the output of one debug, one info and one warn line
		// holds, in order; none of them when the level drops it.
		want []string
	}{
		{format: "text", level: "info", want: []string{"level=INFO msg=info-line", "level=WARN msg=warn-line"}},
		{format: "json", level: "debug", want: []string{`"level":"DEBUG","msg":"debug-line"`, `"level":"INFO","msg":"info-line"`, `"level":"WARN","msg":"warn-line"`}},
		{format: "JSON", level: "warn", want: []string{`"level":"WARN","msg":"warn-line"`}},
		{format: "xml", level: "info", wantErr: `--log-format: "xml": expected text or json`},
		{format: "text", level: "loud", wantErr: `--log-level: "loud": expected debug, info, warn or error`},
	}
	for _, tt := range tests {
		var out strings.Builder
		logger, err := newLogger(&out, tt.format, tt.level)
		if got := errString(err); got != tt.wantErr {
			t.Errorf("newLogger(%q, %q): got error %q, want %q", tt.format, tt.level, got, tt.wantErr)
		}
		if err != nil {
			continue
		}
		logger.Debug("debug-line")
		logger.Info("info-line")
		logger.Warn("warn-line")
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("newLogger(%q, %q): got %d lines, want %d:\n%s", tt.format, tt.level, len(lines), len(tt.want), out.String())
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("newLogger(%q, %q): line %d is %q, want it to hold %q", tt.format, tt.level, i, lines[i], w)
			}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestREADMEProductionConfig loads the production config that the README's
// "Run it in front of any service" shows, so that the example stays one the
// proxy takes.
func TestREADMEProductionConfig(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const start = "```yaml\n# app-config.production.yaml\n"
	text := string(readme)
	i := strings.Index(text, start)
	if i < 0 {
		t.Fatalf("README.md has no block starting %q", start)
	}
	yaml, _, closed := strings.Cut(text[i+len("```yaml\n"):], "```")
	if !closed {
		t.Fatal("README.md: the production config block has no closing fence")
	}
	t.Setenv("MEMCACHED_SERVERS", "cache-1:11211,cache-2:11211")
	t.Setenv(tokenEnv, "admin-secret")
	s, err := settingsFrom(t, yaml)
	if err != nil {
		t.Fatalf("the README's production config: %v\n%s", err, yaml)
	}
	techdocs := s.cache.Plugin["techdocs"]
	got := fmt.Sprintf("%s %s %s %v within %v, %d routes, admin %s token %s, techdocs ttl %v", s.cache.Store, s.cache.Connection, s.listen, s.upstream, s.upstreamTimeout, len(s.routes), s.adminListen, s.adminToken, techdocs.DefaultTTL)
	want := "memcache cache-1:11211,cache-2:11211 127.0.0.1:8090 http://127.0.0.1:7007 within 30s, 3 routes, admin 127.0.0.1:8091 token admin-secret, techdocs ttl 1h0m0s"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

package plugcache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfigs writes the sources as app-config.yaml, app-config.production.yaml
// in a temporary directory and returns their paths.
func writeConfigs(t *testing.T, sources ...string) []string {
	t.Helper()
	dir := t.TempDir()
	names := []string{"app-config.yaml", "app-config.production.yaml"}
	var paths []string
	for i, src := range sources {
		p := filepath.Join(dir, names[i])
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestLoadConfigMergesFilesAndEnvironment(t *testing.T) {
	t.Setenv("PC_TEST_REDIS_PASSWORD", "s3cret")
	paths := writeConfigs(t, `backend:
  baseUrl: http://localhost:7007
  cache:
    store: memory
    defaultTtl: { minutes: 5 }
    plugin:
      techdocs: { defaultTtl: 1h }
      search:   { store: memory, defaultTtl: 30s }
`, `backend:
  cache:
    store: redis
    connection: redis://:${PC_TEST_REDIS_PASSWORD}@127.0.0.1:6379/0
    timeout: 250ms
    redis:
      client: { namespace: my-app, keyPrefixSeparator: "|" }
`)
	cfg, err := LoadConfig(paths...)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"the production file wins the store", cfg.Store, StoreRedis},
		{"${VAR} comes from the environment", cfg.Connection, "redis://:s3cret@127.0.0.1:6379/0"},
		{"the first file's defaultTtl survives", cfg.DefaultTTL, 5 * time.Minute},
		{"plugin TTL in Go form", cfg.Plugin["techdocs"].DefaultTTL, time.Hour},
		{"plugin inherits the store", cfg.effective("techdocs").Store, StoreRedis},
		{"plugin inherits the connection of the same store", cfg.effective("techdocs").Connection, "redis://:s3cret@127.0.0.1:6379/0"},
		{"plugin naming another store keeps its own", cfg.effective("search").Store, StoreMemory},
		{"plugin naming another store does not inherit the connection", cfg.effective("search").Connection, ""},
		{"namespace and separator lay out keys", cfg.effective("techdocs").keyPrefix("techdocs"), "my-app|techdocs@"},
		{"an unnamed plugin gets backend.cache's TTL", cfg.effective("catalog").DefaultTTL, 5 * time.Minute},
		{"timeout is read", cfg.effective("catalog").Timeout, 250 * time.Millisecond},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadConfigWithoutCacheBlockIsMemory(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"a backend block without cache", "app:\n  title: x\nbackend:\n  baseUrl: http://localhost\n"},
		{"a file without backend", "app:\n  title: x\n"},
		{"an empty file", ""},
		{"a file of comments only", "# filled in later\n"},
		{"an empty backend key", "backend:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfigs(t, tt.src)...)
			if err != nil {
				t.Fatalf("LoadConfig: got error %v, want nil", err)
			}
			if s := cfg.effective("anything"); s.Store != StoreMemory || s.DefaultTTL != 0 {
				t.Errorf("got store %q ttl %v, want memory with no expiry", s.Store, s.DefaultTTL)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	const secret = "hunter2-secret"
	t.Setenv("PC_TEST_SECRET", secret)
	tests := []struct {
		name string
		src  string
		// want are the pieces the error must hold: the key path, the line, a hint.
		want []string
	}{
		{
			name: "unknown store suggests the nearest",
			src:  "backend:\n  cache:\n    store: memcached\n    connection: 127.0.0.1:11211\n",
			want: []string{"backend.cache.store", "app-config.yaml:3", `did you mean "memcache"`},
		},
		{
			name: "unknown store with no near name lists the stores",
			src:  "backend:\n  cache:\n    store: postgres\n",
			want: []string{"backend.cache.store", "app-config.yaml:3", "memcache, memory, redis"},
		},
		{
			name: "unknown key suggests the nearest",
			src:  "backend:\n  cache:\n    defaultTTL: 5s\n",
			want: []string{"backend.cache.defaultTTL", "app-config.yaml:3", `did you mean "defaultTtl"`},
		},
		{
			name: "a key prefix separator of plugin ID characters could make two plugins' keys meet",
			src:  "backend:\n  cache:\n    store: redis\n    connection: redis://127.0.0.1:6379\n    redis:\n      client: { namespace: a, keyPrefixSeparator: . }\n",
			want: []string{"backend.cache.redis.client.keyPrefixSeparator", "app-config.yaml:6", "two plugins' keys could meet"},
		},
		{
			name: "negative TTL",
			src:  "backend:\n  cache:\n    store: memory\n    defaultTtl: -5s\n",
			want: []string{"backend.cache.defaultTtl", "app-config.yaml:4", "must be >= 0"},
		},
		{
			name: "negative plugin TTL names the plugin's key",
			src:  "backend:\n  cache:\n    plugin:\n      techdocs:\n        defaultTtl: -1\n",
			want: []string{"backend.cache.plugin.techdocs.defaultTtl", "app-config.yaml:5", "must be >= 0"},
		},
		{
			name: "a TTL of 2^63ns is out of range, not negative",
			src:  "backend:\n  cache:\n    defaultTtl: 9223372036854.775808\n",
			want: []string{"backend.cache.defaultTtl", "app-config.yaml:3", "duration out of range"},
		},
		{
			name: "unparsable TTL",
			src:  "backend:\n  cache:\n    defaultTtl: a while\n",
			want: []string{"backend.cache.defaultTtl", "app-config.yaml:3", "expected a duration"},
		},
		{
			name: "memory maxCost below an entry's overhead",
			src:  "backend:\n  cache:\n    memory:\n      maxCost: 1\n",
			want: []string{"backend.cache.memory.maxCost", "app-config.yaml:4", "must be at least 1KiB"},
		},
		{
			name: "memory maxCost too small for any real value",
			src:  "backend:\n  cache:\n    plugin:\n      search: { memory: { maxCost: 1000 } }\n",
			want: []string{"backend.cache.plugin.search.memory.maxCost", "app-config.yaml:4", "must be at least 1KiB"},
		},
		{
			name: "cluster block with no rootNodes",
			src:  "backend:\n  cache:\n    store: redis\n    redis:\n      cluster:\n        defaults: { password: x }\n",
			want: []string{"backend.cache.redis.cluster.rootNodes", "app-config.yaml:5", "at least one root node"},
		},
		{
			name: "redis connection that does not parse hides the password",
			src:  "backend:\n  cache:\n    store: redis\n    connection: \"http://:${PC_TEST_SECRET}@host:6379\"\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4"},
		},
		{
			name: "redis connection listing several nodes points at rootNodes",
			src:  "backend:\n  cache:\n    store: redis\n    connection: redis://:${PC_TEST_SECRET}@a:6379,b:6379\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", "lists several hosts", "redis.cluster.rootNodes"},
		},
		{
			name: "redis connection with a negative database",
			src:  "backend:\n  cache:\n    store: redis\n    connection: redis://a:6379/-1\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", "database must be >= 0"},
		},
		{
			name: "redis root node listing several nodes",
			src:  "backend:\n  cache:\n    store: redis\n    redis:\n      cluster:\n        rootNodes: [ { url: \"redis://a:7000,b:7000\" } ]\n",
			want: []string{"backend.cache.redis.cluster.rootNodes", "app-config.yaml:6", "lists several hosts"},
		},
		{
			name: "redis with no connection",
			src:  "backend:\n  cache:\n    store: redis\n",
			want: []string{"backend.cache.connection", "app-config.yaml:3", "required for store redis"},
		},
		{
			name: "memcache credentials are refused without echoing them",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: user:${PC_TEST_SECRET}@127.0.0.1:11211\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", "no SASL"},
		},
		{
			name: "memcache server without a port",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: cache.internal\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", `want "host:port"`},
		},
		{
			name: "memcache server listed twice",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: a:11211,a:11211\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", `"a:11211": listed twice`},
		},
		{
			name: "memcache server listed twice, once with the scheme",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: a:11211, memcache://a:11211\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", "listed twice"},
		},
		{
			name: "memcache host with a space",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: my host:11211\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", `invalid host "my host"`},
		},
		{
			name: "memcache port with a sign",
			src:  "backend:\n  cache:\n    store: memcache\n    connection: a:+1\n",
			want: []string{"backend.cache.connection", "app-config.yaml:4", `invalid port "+1"`},
		},
		{
			name: "plugin memcache connection error names the plugin's key",
			src:  "backend:\n  cache:\n    plugin:\n      search:\n        store: memcache\n        connection: a:1,a:1\n",
			want: []string{"backend.cache.plugin.search.connection", "app-config.yaml:6", "listed twice"},
		},
		{
			name: "plugin store error names the plugin's key",
			src:  "backend:\n  cache:\n    plugin:\n      search: { store: redis }\n",
			want: []string{"backend.cache.plugin.search.connection", "required for store redis"},
		},
		{
			name: "unset variable is named",
			src:  "backend:\n  cache:\n    connection: ${PC_TEST_NOT_SET}\n",
			want: []string{"backend.cache.connection", "app-config.yaml:3", "PC_TEST_NOT_SET", "not set"},
		},
		{
			name: "invalid plugin ID",
			src:  "backend:\n  cache:\n    plugin:\n      \"tech docs\": { defaultTtl: 1s }\n",
			want: []string{"backend.cache.plugin.tech docs", "app-config.yaml:4", "plugin ID"},
		},
		{
			name: "a backend that is not a mapping is not read as absent",
			src:  "app:\n  title: x\nbackend: 5\n",
			want: []string{"backend: expected a mapping of keys, got a number", "app-config.yaml:3"},
		},
		{
			name: "a cache block that is not a mapping",
			src:  "backend:\n  cache: memory\n",
			want: []string{"backend.cache: expected a mapping of keys, got a string", "app-config.yaml:2"},
		},
		{
			name: "a file that is a list is not read as empty",
			src:  "- backend\n- cache\n",
			want: []string{"expected a mapping of keys at the top of the file, got a list", "app-config.yaml:1"},
		},
		{
			name: "a file that is a string is not read as empty",
			src:  "backend.cache\n",
			want: []string{"expected a mapping of keys at the top of the file, got a string", "app-config.yaml:1"},
		},
		{
			name: "YAML syntax error names file and line",
			src:  "backend:\n  cache:\n    store: [memory\n",
			want: []string{"app-config.yaml:", "invalid YAML"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfigs(t, tt.src)...)
			if err == nil {
				t.Fatal("got no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q, want it to contain %q", msg, w)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("got %q, which shows the secret", msg)
			}
			if !strings.HasPrefix(msg, "plugcache: ") {
				t.Errorf("got %q, want the plugcache: prefix", msg)
			}
		})
	}
}

func TestLoadConfigErrorNamesTheLaterFile(t *testing.T) {
	_, err := LoadConfig(writeConfigs(t, "backend:\n  cache:\n    defaultTtl: 5s\n", "backend:\n  cache:\n\n    defaultTtl: -5s\n")...)
	if err == nil || !strings.Contains(err.Error(), "app-config.production.yaml:4") {
		t.Errorf("got %v, want the error at app-config.production.yaml:4", err)
	}
}

func TestEffectiveSettings(t *testing.T) {
	cfg := &Config{
		StoreConfig: StoreConfig{Store: StoreRedis, Connection: "redis://a:6379", DefaultTTL: time.Minute},
		Plugin: map[string]PluginConfig{
			"own-connection": {StoreConfig: StoreConfig{Connection: "redis://b:6379"}},
			"cluster":        {StoreConfig: StoreConfig{Redis: RedisConfig{Cluster: &RedisClusterConfig{RootNodes: []RedisNode{{URL: "redis://c:7000"}}}}}},
			"memcache":       {StoreConfig: StoreConfig{Store: StoreMemcache, Connection: "m:11211"}},
			"short":          {StoreConfig: StoreConfig{DefaultTTL: time.Second}},
		},
	}
	tests := []struct {
		name   string
		plugin string
		check  func(settings) (got, want any)
	}{
		{"an unnamed plugin gets the defaults", "x", func(s settings) (any, any) { return s.Timeout, defaultTimeout }},
		{"memcache timeout defaults to the store timeout", "memcache", func(s settings) (any, any) { return s.Memcache.Timeout, defaultTimeout }},
		{"a plugin connection replaces the inherited one", "own-connection", func(s settings) (any, any) { return s.Connection, "redis://b:6379" }},
		{"a plugin cluster drops the inherited connection", "cluster", func(s settings) (any, any) { return s.Connection, "" }},
		{"a plugin TTL overrides", "short", func(s settings) (any, any) { return s.DefaultTTL, time.Second }},
		{"plugins sharing a connection share a store", "short", func(s settings) (any, any) { return s.storeKey(), cfg.effective("x").storeKey() }},
		{"another connection is another store", "own-connection", func(s settings) (any, any) { return s.storeKey() == cfg.effective("x").storeKey(), false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := tt.check(cfg.effective(tt.plugin))
			if got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestLoadConfigHTTPBlock(t *testing.T) {
	cfg, err := LoadConfig(writeConfigs(t, `backend:
  cache:
    defaultTtl: 5m
    plugin:
      techdocs:
        defaultTtl: 1h
        http:
          policy: override
          maxBodySize: 2MiB
          staleWhileRevalidate: 30s
          staleIfError: 10m
          coalesce: false
          cacheableStatus: [200, 404]
          methods: [GET]
          setCookie: strip
          key: { ignoreQuery: ["utm_*"], headers: [Accept-Language], cookies: [lang] }
`)...)
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.middlewareOptions("techdocs", cfg.effective("techdocs").DefaultTTL)
	tests := []struct {
		name      string
		got, want any
	}{
		{"defaultTtl becomes DefaultTTL", o.DefaultTTL, time.Hour},
		{"policy", string(o.Policy), "override"},
		{"maxBodySize", o.MaxBodySize, int64(2 << 20)},
		{"staleWhileRevalidate", o.StaleWhileRevalidate, 30 * time.Second},
		{"staleIfError", o.StaleIfError, 10 * time.Minute},
		{"coalesce: false disables coalescing", o.DisableCoalescing, true},
		{"cacheableStatus", len(o.CacheableStatus), 2},
		{"methods", o.Methods[0], "GET"},
		{"setCookie: strip", o.StripSetCookie, true},
		{"key.ignoreQuery", o.Key.IgnoreQuery[0], "utm_*"},
		{"key.headers", o.Key.Headers[0], "Accept-Language"},
		{"key.cookies", o.Key.Cookies[0], "lang"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadConfigHTTPErrors(t *testing.T) {
	tests := []struct {
		name string
		http string
		want []string
	}{
		{"unknown policy", "policy: always", []string{"backend.cache.plugin.docs.http.policy", "app-config.yaml:6", "unknown policy"}},
		{"override without a default TTL", "policy: override", []string{"backend.cache.plugin.docs.http.policy", "set defaultTtl"}},
		{"a method that is not cached", "methods: [GET, POST]", []string{"backend.cache.plugin.docs.http.methods", "only GET and HEAD"}},
		{"a status that is not final", "cacheableStatus: [200, 100]", []string{"backend.cache.plugin.docs.http.cacheableStatus", "not a final status"}},
		{"negative body size", "maxBodySize: -1", []string{"backend.cache.plugin.docs.http.maxBodySize", "must be >= 0"}},
		{"unknown setCookie", "setCookie: keep", []string{"backend.cache.plugin.docs.http.setCookie", "bypass or strip"}},
		{"unknown key suggests", "stalewhilerevalidate: 1s", []string{"backend.cache.plugin.docs.http.stalewhilerevalidate", `did you mean "staleWhileRevalidate"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "backend:\n  cache:\n    plugin:\n      docs:\n        http:\n          " + tt.http + "\n"
			_, err := LoadConfig(writeConfigs(t, src)...)
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestLoadConfigThenOpen checks that what LoadConfig accepts, Open opens:
// a config that validates must not fail, let alone panic, only at Open.
func TestLoadConfigThenOpen(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"a memory maxCost of 1EiB, as written for no limit", "backend:\n  cache:\n    memory: { maxCost: 1EiB }\n"},
		{"a memory maxCost of 1TiB", "backend:\n  cache:\n    memory: { maxCost: 1TiB }\n"},
		{"a memcache socket path with a slash, as gomemcache reads it", "backend:\n  cache:\n    store: memcache\n    connection: ./run/memcached.sock\n"},
		{"a memcache pool written with the scheme and spaces", "backend:\n  cache:\n    store: memcache\n    connection: memcache://a:11211, b:11211\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfigs(t, tt.src)...)
			if err != nil {
				t.Fatalf("LoadConfig: got error %v, want nil", err)
			}
			mgr, err := Open(cfg, Options{})
			if err != nil {
				t.Fatalf("Open: got error %v, want nil", err)
			}
			mgr.Close()
		})
	}
}

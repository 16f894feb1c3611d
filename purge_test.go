package plugcache

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestPurge stores pages through a plugin's HTTP cache on every store, purges
// one URL, and checks which pages are still hits.
func TestPurge(t *testing.T) {
	type check struct {
		req request
		hit bool
	}
	tests := []struct {
		name   string
		http   HTTPConfig
		stored []request
		purge  string
		after  []check
	}{
		{name: "the purged URL is a miss again",
			stored: []request{get("/fresh")},
			purge:  "http://example.com/fresh",
			after:  []check{{get("/fresh"), false}}},
		{name: "every Vary variant of the URL goes",
			stored: []request{get("/vary", "Accept-Language", "en"), get("/vary", "Accept-Language", "de")},
			purge:  "http://example.com/vary",
			after:  []check{{get("/vary", "Accept-Language", "en"), false}, {get("/vary", "Accept-Language", "de"), false}}},
		{name: "variants by a key header go too",
			http:   HTTPConfig{Key: HTTPKeyConfig{Headers: []string{"X-Tenant"}}},
			stored: []request{get("/fresh", "X-Tenant", "a"), get("/fresh", "X-Tenant", "b")},
			purge:  "http://example.com/fresh",
			after:  []check{{get("/fresh", "X-Tenant", "a"), false}, {get("/fresh", "X-Tenant", "b"), false}}},
		{name: "other paths and queries stay",
			stored: []request{get("/fresh"), get("/fresh?page=2"), get("/vary", "Accept-Language", "en")},
			purge:  "http://example.com/fresh",
			after:  []check{{get("/fresh?page=2"), true}, {get("/vary", "Accept-Language", "en"), true}, {get("/fresh"), false}}},
		{name: "another host's URL leaves this host's page",
			stored: []request{get("/fresh")},
			purge:  "http://other.example.com/fresh",
			after:  []check{{get("/fresh"), true}}},
		{name: "ignoreQuery parameters do not matter to the purge",
			http:   HTTPConfig{Key: HTTPKeyConfig{IgnoreQuery: []string{"utm_*"}}},
			stored: []request{get("/fresh?utm_source=mail")},
			purge:  "http://example.com/fresh?utm_campaign=x",
			after:  []check{{get("/fresh"), false}}},
		{name: "HEAD is answered from GET's entry, so it goes too",
			stored: []request{get("/fresh")},
			purge:  "http://example.com/fresh",
			after:  []check{{request{method: "HEAD", path: "/fresh"}, false}}},
	}
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					plugin := uniquePlugin(t, "purge")
					cfg := *sc.cfg
					cfg.Plugin = map[string]PluginConfig{plugin: {HTTP: tt.http}}
					mgr, err := NewManager(&cfg)
					if err != nil {
						t.Fatal(err)
					}
					defer mgr.Close()
					h := mgr.Middleware(plugin)(testOrigin())
					for _, req := range tt.stored {
						serve(t, h, req)
						if cs := serve(t, h, req); !isHit(cs) {
							t.Fatalf("%s %s before the purge: Cache-Status %q, want a hit", req.method, req.path, cs)
						}
					}
					u, _ := url.Parse(tt.purge)
					if err := mgr.Purge(context.Background(), plugin, u); err != nil {
						t.Fatalf("Purge(%s): %v", tt.purge, err)
					}
					for _, c := range tt.after {
						if cs := serve(t, h, c.req); isHit(cs) != c.hit {
							t.Errorf("%s %s %v after purging %s: got Cache-Status %q, want hit=%v", c.req.method, c.req.path, c.req.header, tt.purge, cs, c.hit)
						}
					}
				})
			}
		})
	}
}

func isHit(cacheStatus string) bool { return strings.Contains(cacheStatus, "; hit") }

// TestPurgeAll empties one plugin, keys and pages, on every store, and leaves
// the other alone.
func TestPurgeAll(t *testing.T) {
	ctx := context.Background()
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			mgr, err := NewManager(sc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer mgr.Close()
			purged, kept := uniquePlugin(t, "purged"), uniquePlugin(t, "kept")
			for _, p := range []string{purged, kept} {
				mustSet(t, mgr.ForPlugin(p), "k", []byte(p))
				serve(t, mgr.Middleware(p)(testOrigin()), get("/fresh"))
			}
			if err := mgr.PurgeAll(ctx, purged); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name   string
				plugin string
				kept   bool
			}{
				{"the purged plugin's keys and pages are gone", purged, false},
				{"another plugin's keys and pages stay", kept, true},
			}
			for _, tt := range tests {
				_, ok, err := mgr.ForPlugin(tt.plugin).Get(ctx, "k")
				if err != nil || ok != tt.kept {
					t.Errorf("%s: key: got ok=%v err=%v, want ok=%v", tt.name, ok, err, tt.kept)
				}
				if cs := serve(t, mgr.Middleware(tt.plugin)(testOrigin()), get("/fresh")); isHit(cs) != tt.kept {
					t.Errorf("%s: page: got Cache-Status %q, want hit=%v", tt.name, cs, tt.kept)
				}
			}
		})
	}
}

// TestPurgeRefusesBadInput: an invalid plugin ID, a URL without a host or a
// closed Manager are errors, never panics; an ID the config does not name is
// fine.
func TestPurgeRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	page := &url.URL{Scheme: "http", Host: "example.com", Path: "/fresh"}
	closed, err := NewManager(nil)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	tests := []struct {
		name    string
		call    func(m *Manager) error
		wantErr string // "" for success
		wantIs  error
	}{
		{"an empty plugin ID", func(m *Manager) error { return m.Purge(ctx, "", page) }, "plugin ID", nil},
		{"a plugin ID with a slash", func(m *Manager) error { return m.Purge(ctx, "../catalog", page) }, "plugin ID", nil},
		{"PurgeAll of a plugin ID with a space", func(m *Manager) error { return m.PurgeAll(ctx, "tech docs") }, "plugin ID", nil},
		{"HTTPCache of an invalid plugin ID", func(m *Manager) error { _, err := m.HTTPCache("-x"); return err }, "plugin ID", nil},
		{"a nil URL", func(m *Manager) error { return m.Purge(ctx, "catalog", nil) }, "not an absolute URL", nil},
		{"a URL without a host", func(m *Manager) error { return m.Purge(ctx, "catalog", &url.URL{Path: "/fresh"}) }, "not an absolute URL", nil},
		{"a plugin the config does not name", func(m *Manager) error { return m.Purge(ctx, "adhoc", page) }, "", nil},
		{"PurgeAll of a plugin the config does not name", func(m *Manager) error { return m.PurgeAll(ctx, "adhoc") }, "", nil},
		{"Purge on a closed Manager", func(*Manager) error { return closed.Purge(ctx, "catalog", page) }, "closed", ErrUnavailable},
		{"PurgeAll on a closed Manager", func(*Manager) error { return closed.PurgeAll(ctx, "catalog") }, "closed", ErrUnavailable},
		{"Clear through a closed Manager's client", func(*Manager) error { return closed.ForPlugin("catalog").Clear(ctx) }, "closed", ErrUnavailable},
	}
	mgr, err := NewManager(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(mgr)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			case tt.wantIs != nil && !errors.Is(err, tt.wantIs):
				t.Errorf("got %v, want errors.Is %v", err, tt.wantIs)
			case err != nil && !strings.HasPrefix(err.Error(), "plugcache: "):
				t.Errorf("got %q, want the plugcache: prefix", err)
			}
		})
	}
}

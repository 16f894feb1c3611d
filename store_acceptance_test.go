package plugcache

import (
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/storetest"
	"github.com/plugcache/plugcache/internal/testserver"
)

// TestPluginStoreAcceptance runs the backends acceptance suite over a plugin
// client's Store, the view the HTTP cache and gocache use, on the memory
// store and on real memcached and redis servers, killed and restarted.
func TestPluginStoreAcceptance(t *testing.T) {
	mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	rd := testserver.NewRedis(t, testserver.RedisOptions{})
	tests := []struct {
		name          string
		cfg           StoreConfig
		kill, restart func(t *testing.T)
		resolution    time.Duration
	}{
		{name: "memory", cfg: StoreConfig{Store: StoreMemory}},
		{name: "memcache", cfg: StoreConfig{Store: StoreMemcache, Connection: mc.Addr, Timeout: time.Second},
			kill: func(t *testing.T) { must(t, mc.Kill()) }, restart: func(t *testing.T) { must(t, mc.Restart()) }, resolution: time.Second},
		{name: "redis", cfg: StoreConfig{Store: StoreRedis, Connection: rd.URL, Timeout: time.Second},
			kill: func(t *testing.T) { must(t, rd.Kill()) }, restart: func(t *testing.T) { must(t, rd.Restart()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Run(t, storetest.Harness{
				New: func(t *testing.T) backends.Store {
					mgr, err := NewManager(&Config{StoreConfig: tt.cfg})
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { mgr.Close() })
					return mgr.ForPlugin("acceptance").Store()
				},
				Kill:          tt.kill,
				Restart:       tt.restart,
				TTLResolution: tt.resolution,
			})
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package plugcache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends/redis"
	"github.com/plugcache/plugcache/internal/testserver"
)

// TestStoreKilledAndRestarted crashes each network store's server under a
// client: calls fail with ErrUnavailable within the deadline, never panic or
// hang, and work again once the server is back.
func TestStoreKilledAndRestarted(t *testing.T) {
	const timeout = 300 * time.Millisecond
	type server interface {
		Kill() error
		Restart() error
	}
	tests := []struct {
		name  string
		start func(t *testing.T) (server, StoreConfig)
	}{
		{"memcache", func(t *testing.T) (server, StoreConfig) {
			mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
			return mc, StoreConfig{Store: StoreMemcache, Connection: mc.Addr, Timeout: timeout}
		}},
		{"redis", func(t *testing.T) (server, StoreConfig) {
			r := testserver.NewRedis(t, testserver.RedisOptions{})
			return r, StoreConfig{Store: StoreRedis, Connection: r.URL, Timeout: timeout}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, sc := tt.start(t)
			mgr, err := NewManager(&Config{StoreConfig: sc})
			if err != nil {
				t.Fatal(err)
			}
			defer mgr.Close()
			c := mgr.ForPlugin("techdocs")
			mustSet(t, c, "k", []byte("v"))

			if err := srv.Kill(); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			calls := []struct {
				name string
				call func() error
			}{
				{"get", func() error {
					v, ok, err := c.Get(ctx, "k")
					if ok || v != nil {
						t.Errorf("get while down: got %q, %v; want a miss", v, ok)
					}
					return err
				}},
				{"set", func() error { return c.Set(ctx, "k", []byte("v2")) }},
				{"delete", func() error { return c.Delete(ctx, "k") }},
			}
			for _, call := range calls {
				start := time.Now()
				err := call.call()
				if !errors.Is(err, ErrUnavailable) {
					t.Errorf("%s while down: got %v, want ErrUnavailable", call.name, err)
				}
				if d := time.Since(start); d > 5*timeout {
					t.Errorf("%s while down took %v, want about the %v deadline", call.name, d, timeout)
				}
			}

			if err := srv.Restart(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				err := c.Set(ctx, "k", []byte("back"))
				if err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("set after restart still fails: %v", err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			mustGet(t, c, "k", []byte("back"))
		})
	}
}

// TestStalledStoreFailsWithinDeadline puts a stalling proxy between client
// and server: calls give up at the deadline with ErrUnavailable.
func TestStalledStoreFailsWithinDeadline(t *testing.T) {
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name   string
		config func(t *testing.T) (StoreConfig, *testserver.StallProxy)
	}{
		{"memcache", func(t *testing.T) (StoreConfig, *testserver.StallProxy) {
			mc := testserver.NewMemcached(t, testserver.MemcachedOptions{})
			p := testserver.NewStallProxy(t, mc.Addr)
			return StoreConfig{Store: StoreMemcache, Connection: p.Addr, Timeout: timeout}, p
		}},
		{"redis", func(t *testing.T) (StoreConfig, *testserver.StallProxy) {
			r := testserver.NewRedis(t, testserver.RedisOptions{})
			p := testserver.NewStallProxy(t, r.Addr)
			return StoreConfig{Store: StoreRedis, Connection: "redis://" + p.Addr, Timeout: timeout}, p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc, proxy := tt.config(t)
			mgr, err := NewManager(&Config{StoreConfig: sc})
			if err != nil {
				t.Fatal(err)
			}
			defer mgr.Close()
			c := mgr.ForPlugin("catalog")
			mustSet(t, c, "k", []byte("v"))
			proxy.Stall()
			start := time.Now()
			_, ok, err := c.Get(context.Background(), "k")
			if ok || !errors.Is(err, ErrUnavailable) {
				t.Errorf("get while stalled: got ok=%v err=%v, want a miss with ErrUnavailable", ok, err)
			}
			if d := time.Since(start); d > 5*timeout {
				t.Errorf("get while stalled took %v, want about the %v deadline", d, timeout)
			}
			proxy.Resume()
			deadline := time.Now().Add(5 * time.Second)
			for {
				v, ok, err := c.Get(context.Background(), "k")
				if err == nil && ok && string(v) == "v" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("get after resume: %q, %v, %v", v, ok, err)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// TestClearIsSeenByAnotherProcess runs two Managers on one redis, as two
// replicas of a service would: a Clear in one reaches the other within the
// generation refresh.
func TestClearIsSeenByAnotherProcess(t *testing.T) {
	startServers(t)
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	cfg := &Config{StoreConfig: StoreConfig{Store: StoreRedis, Connection: servers.redis.URL, Timeout: 2 * time.Second}}
	plugin := uniquePlugin(t, "shared")
	m1, err := Open(cfg, Options{clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer m1.Close()
	m2, err := Open(cfg, Options{clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	a, b := m1.ForPlugin(plugin), m2.ForPlugin(plugin)
	mustSet(t, a, "k", []byte("v"))
	mustGet(t, b, "k", []byte("v"))
	if err := a.Clear(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustMiss(t, a, "k")
	now = now.Add(generationRefresh)
	mustMiss(t, b, "k")
}

// TestGivenStoreFailsWithinDeadline stalls a store given in Options, whose
// own timeout is far longer than backend.cache.timeout: every call, the first
// read of the plugin's generation included, gives up at the Timeout deadline.
func TestGivenStoreFailsWithinDeadline(t *testing.T) {
	const timeout = 200 * time.Millisecond
	r := testserver.NewRedis(t, testserver.RedisOptions{})
	proxy := testserver.NewStallProxy(t, r.Addr)
	client, err := redis.NewClient(redis.ClientOptions{URL: "redis://" + proxy.Addr, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	store := redis.New(client, redis.Options{Timeout: time.Minute})
	defer store.Close()
	mgr, err := Open(&Config{StoreConfig: StoreConfig{Timeout: timeout}}, Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	proxy.Stall()
	start := time.Now()
	_, ok, err := mgr.ForPlugin("catalog").Get(context.Background(), "k")
	if ok || !errors.Is(err, ErrUnavailable) {
		t.Errorf("get while stalled: got ok=%v err=%v, want a miss with ErrUnavailable", ok, err)
	}
	if d := time.Since(start); d > 5*timeout {
		t.Errorf("get while stalled took %v, want about the %v deadline", d, timeout)
	}
}

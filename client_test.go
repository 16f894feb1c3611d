package plugcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/redis"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/envelope"
	"github.com/plugcache/plugcache/internal/lazybytes"
)

// TestClientOnEveryStore runs the plugin client's contract against every
// kind of store, each a real server.
func TestClientOnEveryStore(t *testing.T) {
	for _, sc := range storeConfigs(t) {
		t.Run(sc.name, func(t *testing.T) {
			mgr, err := NewManager(sc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { mgr.Close() })
			for _, tc := range clientContract {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, mgr)
				})
			}
		})
	}
}

var clientContract = []struct {
	name string
	run  func(t *testing.T, mgr *Manager)
}{
	{"set then get returns the value", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustSet(t, c, "k", []byte("v"))
		mustGet(t, c, "k", []byte("v"))
	}},
	{"a missing key is a miss without error", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustMiss(t, c, "nothing-here")
	}},
	{"delete makes a miss", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustSet(t, c, "k", []byte("v"))
		if err := c.Delete(context.Background(), "k"); err != nil {
			t.Fatal(err)
		}
		mustMiss(t, c, "k")
		if err := c.Delete(context.Background(), "k"); err != nil {
			t.Errorf("deleting a missing key: got %v, want nil", err)
		}
	}},
	{"TTL expires to about 100ms", func(t *testing.T, mgr *Manager) {
		const ttl = 100 * time.Millisecond
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		start := time.Now()
		if err := c.Set(context.Background(), "k", []byte("v"), WithTTL(ttl)); err != nil {
			t.Fatal(err)
		}
		// On a loaded machine the TTL may run out before the Get: only a
		// miss that comes sooner is wrong.
		if v, ok, err := c.Get(context.Background(), "k"); err != nil || (ok && string(v) != "v") || (!ok && time.Since(start) < ttl) {
			t.Errorf("Get before the TTL ran out: got %q, %v, %v, want \"v\", true, nil", v, ok, err)
		}
		time.Sleep(ttl + 50*time.Millisecond) // the real store's clock is what is tested
		mustMiss(t, c, "k")
	}},
	{"the same key in two plugins stays apart", func(t *testing.T, mgr *Manager) {
		a, b := mgr.ForPlugin(uniquePlugin(t, "a")), mgr.ForPlugin(uniquePlugin(t, "b"))
		mustSet(t, a, "shared", []byte("from a"))
		mustSet(t, b, "shared", []byte("from b"))
		mustGet(t, a, "shared", []byte("from a"))
		mustGet(t, b, "shared", []byte("from b"))
	}},
	{"clear empties one plugin only", func(t *testing.T, mgr *Manager) {
		a, b := mgr.ForPlugin(uniquePlugin(t, "a")), mgr.ForPlugin(uniquePlugin(t, "b"))
		for i := range 20 {
			mustSet(t, a, fmt.Sprint(i), []byte("a"))
			mustSet(t, b, fmt.Sprint(i), []byte("b"))
		}
		if err := a.Clear(context.Background()); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			mustMiss(t, a, fmt.Sprint(i))
			mustGet(t, b, fmt.Sprint(i), []byte("b"))
		}
		mustSet(t, a, "after", []byte("works"))
		mustGet(t, a, "after", []byte("works"))
	}},
	{"binary and empty values round-trip", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		all := make([]byte, 256)
		for i := range all {
			all[i] = byte(i)
		}
		mustSet(t, c, "binary", all)
		mustGet(t, c, "binary", all)
		mustSet(t, c, "empty", []byte{})
		mustGet(t, c, "empty", []byte{})
	}},
	{"unicode, spaced and 10 KB keys round-trip and stay distinct", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		long := strings.Repeat("k", 10_000)
		keys := []string{"ключ/日本語/🔑", "with space\tand\ncontrol", long + "1", long + "2"}
		for i, k := range keys {
			mustSet(t, c, k, []byte(fmt.Sprint(i)))
		}
		for i, k := range keys {
			mustGet(t, c, k, []byte(fmt.Sprint(i)))
		}
	}},
	{"values at the size limit store and over it are refused", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		limit := c.MaxValueSize("big")
		if limit < 0 {
			limit = 512 << 20 // redis: what the server takes
		}
		// Storing a value at a limit of many MiB would evict what the other
		// rows, sharing the store, wrote: store 4 MiB there instead.
		at := min(limit, 4<<20)
		mustSet(t, c, "big", bytes.Repeat([]byte("x"), at))
		mustGet(t, c, "big", bytes.Repeat([]byte("x"), at))
		over, release := lazybytes.New(limit + 1)
		defer release()
		err := c.Set(context.Background(), "big2", over)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("Set of %d bytes: got %v, want ErrTooLarge", limit+1, err)
		}
		mustMiss(t, c, "big2")
	}},
	{"concurrent use is safe", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 100 {
					k := fmt.Sprint(i % 10)
					switch i % 3 {
					case 0:
						_ = c.Set(context.Background(), k, []byte(k))
					case 1:
						if v, ok, err := c.Get(context.Background(), k); err == nil && ok && string(v) != k {
							t.Errorf("goroutine %d: got %q under %q", g, v, k)
						}
					case 2:
						_ = c.Delete(context.Background(), k)
					}
				}
			})
		}
		wg.Wait()
	}},
	{"bytes plugcache did not write are a miss, not garbage", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustSet(t, c, "k", []byte("good value"))
		plant(t, c, "k", []byte("planted by someone else"))
		v, ok, err := c.Get(context.Background(), "k")
		if ok || v != nil || !errors.Is(err, ErrCorrupt) {
			t.Errorf("got %q, %v, %v; want a miss with ErrCorrupt", v, ok, err)
		}
	}},
	{"a value another version of plugcache wrote is a miss, without error", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustSet(t, c, "k", []byte("good value"))
		old := envelope.Seal(nil, []byte("old format"), time.Time{})
		old[2]-- // the version byte: the format before this one
		plant(t, c, "k", old)
		mustMiss(t, c, "k")
		mustSet(t, c, "k", []byte("replaced"))
		mustGet(t, c, "k", []byte("replaced"))
	}},
	{"TTL precedence: call, WithDefaultTTL, then config", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p")).WithDefaultTTL(80 * time.Millisecond)
		mustSet(t, c, "short", []byte("v"))
		if err := c.Set(context.Background(), "long", []byte("v"), WithTTL(time.Hour)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(130 * time.Millisecond)
		mustMiss(t, c, "short")
		mustGet(t, c, "long", []byte("v"))
	}},
	{"the returned value is the caller's own", func(t *testing.T, mgr *Manager) {
		c := mgr.ForPlugin(uniquePlugin(t, "p"))
		mustSet(t, c, "k", []byte("abc"))
		v, _, _ := c.Get(context.Background(), "k")
		if len(v) > 0 {
			v[0] = 'X'
		}
		mustGet(t, c, "k", []byte("abc"))
	}},
}

func mustSet(t *testing.T, c *Client, key string, v []byte) {
	t.Helper()
	start := time.Now()
	if err := c.Set(context.Background(), key, v); err != nil {
		if errors.Is(err, ErrUnavailable) {
			// A Set on a test server should take milliseconds: show where
			// every goroutine is, to find what held this one.
			var dump strings.Builder
			pprof.Lookup("goroutine").WriteTo(&dump, 1)
			t.Logf("Set(%.40q) gave up after %v; goroutines:\n%s", key, time.Since(start), dump.String())
		}
		t.Fatalf("Set(%.40q): %v", key, err)
	}
}

// plant writes b, as it is, where c keeps key in its store: bytes that
// another program, or another version of plugcache, left there.
func plant(t *testing.T, c *Client, key string, b []byte) {
	t.Helper()
	ctx := context.Background()
	k, err := c.ns.storeKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ns.store.Set(ctx, k, b, time.Minute); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t *testing.T, c *Client, key string, want []byte) {
	t.Helper()
	got, ok, err := c.Get(context.Background(), key)
	if err != nil || !ok || !bytes.Equal(got, want) {
		t.Fatalf("Get(%.40q) = %.40q, %v, %v; want %.40q, true, nil", key, got, ok, err, want)
	}
}

func mustMiss(t *testing.T, c *Client, key string) {
	t.Helper()
	got, ok, err := c.Get(context.Background(), key)
	if err != nil || ok {
		t.Fatalf("Get(%.40q) = %.40q, %v, %v; want a miss", key, got, ok, err)
	}
}

// countingStore wraps the memory store, as a user's store given in Options
// might, and counts the Gets and Sets that reach its own methods.
type countingStore struct {
	*ristretto.Store
	gets, sets int
}

func (s *countingStore) Get(ctx context.Context, key string) ([]byte, error) {
	s.gets++
	return s.Store.Get(ctx, key)
}

func (s *countingStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	s.sets++
	return s.Store.Set(ctx, key, value, ttl)
}

// TestWrappedMemoryStoreKeepsItsMethods checks that a store given in Options
// that wraps the memory store has its own Get and Set called: the client's
// fast paths into the memory store (GetPrefixed, SetFill), which the wrapper
// has too, are for the store itself only.
func TestWrappedMemoryStoreKeepsItsMethods(t *testing.T) {
	inner, err := ristretto.New(ristretto.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{Store: inner}
	mgr, err := Open(&Config{}, Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	c := mgr.ForPlugin("wrapped")
	mustSet(t, c, "k", []byte("v"))
	mustGet(t, c, "k", []byte("v"))
	if store.sets == 0 || store.gets == 0 {
		t.Errorf("the wrapper's Set ran %d times and its Get %d times, want both to run", store.sets, store.gets)
	}
}

// TestSetCopies checks how much of a value a Set on the memory store copies:
// none of a value past the store's limit, which it refuses before sealing (at
// redis's half GiB, the copy would cost more than the call), and one copy of
// any other, sealed straight into the store's own memory. It is not parallel,
// so that the heap it measures is its own.
func TestSetCopies(t *testing.T) {
	mgr, err := NewManager(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	c := mgr.ForPlugin("big")
	limit := c.MaxValueSize("k")
	over, release := lazybytes.New(limit + 1)
	defer release()
	tests := []struct {
		name     string
		value    []byte
		wantErr  error
		maxAlloc int // bytes the Set may allocate
	}{
		{"a value past the limit is refused uncopied", over, ErrTooLarge, limit / 2},
		{"a value within it is copied once", bytes.Repeat([]byte("v"), 4<<20), nil, 6 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := c.Set(context.Background(), "k", tt.value)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Set of %d bytes: got error %v, want %v", len(tt.value), err, tt.wantErr)
			}
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > uint64(tt.maxAlloc) {
				t.Errorf("Set of %d bytes allocated %d, want at most %d", len(tt.value), allocated, tt.maxAlloc)
			}
			if tt.wantErr == nil {
				mustGet(t, c, "k", tt.value)
			}
		})
	}
}

// TestClientsStopWithTheManager checks that a closed Manager's clients fail
// with ErrUnavailable whoever owns the store: a store given in Options
// outlives the Manager, and stays open for its owner.
func TestClientsStopWithTheManager(t *testing.T) {
	startServers(t)
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) backends.Store // nil: the Manager opens its own
	}{
		{"the memory store the Manager opened", nil},
		{"a memory store given in Options", func(t *testing.T) backends.Store {
			s, err := ristretto.New(ristretto.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"a redis store given in Options", func(t *testing.T) backends.Store {
			client, err := redis.NewClient(redis.ClientOptions{URL: servers.redis.URL})
			if err != nil {
				t.Fatal(err)
			}
			return redis.New(client, redis.Options{})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			var opts Options
			if tc.store != nil {
				opts.Store = tc.store(t)
				defer opts.Store.Close()
			}
			mgr, err := Open(&Config{}, opts)
			if err != nil {
				t.Fatal(err)
			}
			c := mgr.ForPlugin(uniquePlugin(t, "closing"))
			mustSet(t, c, "k", []byte("v"))
			mgr.Close()
			if _, ok, err := c.Get(ctx, "k"); ok || !errors.Is(err, ErrUnavailable) {
				t.Errorf("Get: got ok=%v err=%v, want a miss and ErrUnavailable", ok, err)
			}
			if err := c.Set(ctx, "k", []byte("v")); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Set: got %v, want ErrUnavailable", err)
			}
			if err := c.Delete(ctx, "k"); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Delete: got %v, want ErrUnavailable", err)
			}
			if err := c.Clear(ctx); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Clear: got %v, want ErrUnavailable", err)
			}
			if opts.Store != nil {
				if err := opts.Store.Set(ctx, "still-open", []byte("v"), time.Minute); err != nil {
					t.Errorf("the given store after the Manager closed: %v", err)
				}
			}
		})
	}
}

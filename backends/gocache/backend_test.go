package gocache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	dgraph "github.com/dgraph-io/ristretto/v2"
	"github.com/eko/gocache/lib/v4/store"
	memcachestore "github.com/eko/gocache/store/memcache/v4"
	ristrettostore "github.com/eko/gocache/store/ristretto/v4"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/memcached"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/backends/storetest"
	"github.com/plugcache/plugcache/internal/testserver"
)

// TestBackend plugs a third-party store, gocache's own ristretto store, into
// plugcache and runs the acceptance suite on it.
func TestBackend(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		New: func(t *testing.T) backends.Store { return NewBackend(newGocacheRistretto[[]byte](t)) },
	})
}

// TestBackendOverStore runs the acceptance suite through both adapters, over a
// memcached server that is killed and restarted: errors and Add must survive
// the round trip.
func TestBackendOverStore(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	storetest.Run(t, storetest.Harness{
		New: func(t *testing.T) backends.Store {
			return NewBackend(NewStore(newMemcached(t, m)))
		},
		Kill: func(t *testing.T) {
			if err := m.Kill(); err != nil {
				t.Fatalf("Kill: got error %v, want nil", err)
			}
		},
		Restart: func(t *testing.T) {
			if err := m.Restart(); err != nil {
				t.Fatalf("Restart: got error %v, want nil", err)
			}
		},
		TTLResolution: time.Second,
	})
}

func TestBackendValues(t *testing.T) {
	gs := newGocacheRistretto[any](t)
	b := NewBackend(gs)
	tests := []struct {
		name    string
		stored  any
		want    []byte
		wantErr bool
	}{
		{"a []byte is returned as it is", []byte("bytes"), []byte("bytes"), false},
		{"a string, as gocache's redis store returns, is returned as bytes", "text", []byte("text"), false},
		{"a value of another type is an error, not a panic", 42, nil, true},
		{"a []rune is of another type too", []rune("runes"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if err := gs.Set(ctx, tt.name, tt.stored, store.WithCost(1), store.WithSynchronousSet()); err != nil {
				t.Fatalf("gocache Set: got error %v, want nil", err)
			}
			got, err := b.Get(ctx, tt.name)
			if tt.wantErr {
				if err == nil || !strings.HasPrefix(err.Error(), "gocache: ") {
					t.Errorf("Get of a %T: got %q, %v, want a gocache: error", tt.stored, got, err)
				}
				return
			}
			if err != nil || string(got) != string(tt.want) {
				t.Errorf("Get of a %T: got %q, %v, want %q, nil", tt.stored, got, err, tt.want)
			}
		})
	}
}

func TestBackendErrors(t *testing.T) {
	b := NewBackend(newGocacheRistretto[[]byte](t))
	noClear := NewBackend(NewStore(hidden{newRistretto(t)}))
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()

	tests := []struct {
		name    string
		call    func() error
		wantErr error
	}{
		{"a miss is ErrNotFound", func() error {
			_, err := b.Get(t.Context(), "missing")
			return err
		}, backends.ErrNotFound},
		{"a miss of GetWithTTL is ErrNotFound", func() error {
			_, _, err := b.(ttlGetter).GetWithTTL(t.Context(), "missing")
			return err
		}, backends.ErrNotFound},
		{"Get with a cancelled context is ErrUnavailable", func() error {
			_, err := b.Get(cancelled, "k")
			return err
		}, backends.ErrUnavailable},
		{"Set with a cancelled context is ErrUnavailable", func() error {
			return b.Set(cancelled, "k", []byte("v"), 0)
		}, backends.ErrUnavailable},
		{"Delete with a cancelled context is ErrUnavailable", func() error {
			return b.Delete(cancelled, "k")
		}, backends.ErrUnavailable},
		{"Clear is the store's", func() error {
			return b.(backends.Clearer).Clear(t.Context())
		}, nil},
		{"store.ErrNotSupported is kept", func() error {
			return noClear.(backends.Clearer).Clear(t.Context())
		}, store.ErrNotSupported},
		{"Close does nothing", b.Close, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestBackendOverGocacheMemcacheExpiresOnTime sets through gocache's own
// memcache store on a real memcached, whose clock decides when items expire.
func TestBackendOverGocacheMemcacheExpiresOnTime(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	b := NewBackend(memcachestore.NewMemcache(memcache.New(m.Addr)))
	tests := []struct {
		name      string
		ttl       time.Duration
		wait      time.Duration
		wantFound bool
	}{
		{"a ttl over 30 days keeps the item, rather than expiring it as a time in 1970", 31 * 24 * time.Hour, 0, true},
		{"a ttl past January 2038 keeps the item, rather than wrapping", 100 * 365 * 24 * time.Hour, 0, true},
		{"a ttl of 1.5s holds the item at first", 1500 * time.Millisecond, 0, true},
		{"a ttl under a second expires, rather than never", 500 * time.Millisecond, 2500 * time.Millisecond, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key := fmt.Sprintf("ttl-%d", i)
			if err := b.Set(t.Context(), key, []byte("v"), tt.ttl); err != nil {
				t.Fatalf("Set with ttl %v: got error %v, want nil", tt.ttl, err)
			}
			time.Sleep(tt.wait) // memcached's own clock, in whole seconds, expires the item
			_, err := b.Get(t.Context(), key)
			if found := err == nil; found != tt.wantFound || (err != nil && !errors.Is(err, backends.ErrNotFound)) {
				t.Errorf("Get %v after Set with ttl %v: got error %v, want found %v", tt.wait, tt.ttl, err, tt.wantFound)
			}
		})
	}
}

func TestBackendNegativeTTL(t *testing.T) {
	b := NewBackend(newGocacheRistretto[[]byte](t))
	err := b.Set(t.Context(), "k", []byte("v"), -time.Second)
	if err == nil || !strings.HasPrefix(err.Error(), "gocache: ") {
		t.Errorf("Set with ttl -1s: got error %v, want a gocache: error", err)
	}
}

func TestBackendInterfaces(t *testing.T) {
	tests := []struct {
		name      string
		backend   backends.Store
		wantAdder bool
	}{
		{"a store without SetIfNotExists is no Adder", NewBackend(newGocacheRistretto[[]byte](t)), false},
		{"a store with SetIfNotExists is an Adder", NewBackend(NewStore(newMemcached(t, testserver.NewMemcached(t, testserver.MemcachedOptions{})))), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := tt.backend.(backends.Adder); ok != tt.wantAdder {
				t.Errorf("implements backends.Adder: got %v, want %v", ok, tt.wantAdder)
			}
			if _, ok := tt.backend.(backends.Clearer); !ok {
				t.Error("implements backends.Clearer: got false, want true")
			}
		})
	}
}

// newGocacheRistretto returns gocache's ristretto store over a new ristretto
// cache, closed when the test ends.
func newGocacheRistretto[V any](t *testing.T) *ristrettostore.RistrettoStore[string, V] {
	t.Helper()
	c, err := dgraph.NewCache(&dgraph.Config[string, V]{
		NumCounters:        100_000,
		MaxCost:            64 << 20,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		t.Fatalf("ristretto.NewCache: got error %v, want nil", err)
	}
	t.Cleanup(c.Close)
	return ristrettostore.NewRistretto(c)
}

// newRistretto returns plugcache's ristretto store, closed when the test ends.
func newRistretto(t *testing.T) *ristretto.Store {
	t.Helper()
	s, err := ristretto.New(ristretto.Options{})
	if err != nil {
		t.Fatalf("ristretto.New: got error %v, want nil", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newMemcached returns plugcache's memcached store on m, closed when the test
// ends.
func newMemcached(t *testing.T, m *testserver.Memcached) *memcached.Store {
	t.Helper()
	s, err := memcached.New(memcached.Options{Servers: []string{m.Addr}, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("memcached.New: got error %v, want nil", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// hidden hides every method of a Store but those of backends.Store, as a store
// without the optional interfaces would have.
type hidden struct{ backends.Store }

package memcached

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
)

func TestMaxValueSize(t *testing.T) {
	tests := []struct {
		name        string
		maxItemSize int
		key         string
		want        int
	}{
		{name: "a 1-byte key at 1 MiB", maxItemSize: 0, key: "k", want: 1<<20 - 59 - 1},
		{name: "a 250-byte key at 1 MiB", maxItemSize: 0, key: strings.Repeat("k", 250), want: 1<<20 - 59 - 250},
		{name: "a hashed key counts as its 51-byte hash", maxItemSize: 0, key: strings.Repeat("k", 1000), want: 1<<20 - 59 - 51},
		{name: "the empty key counts as its hash", maxItemSize: 0, key: "", want: 1<<20 - 59 - 51},
		{name: "a 1-byte key at 2 MiB", maxItemSize: 2 << 20, key: "k", want: 2<<20 - 59 - 1},
		{name: "the longest key at the smallest limit leaves room", maxItemSize: 1024, key: strings.Repeat("k", 250), want: 1024 - 59 - 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, Options{Servers: []string{"127.0.0.1:11211"}, MaxItemSize: tt.maxItemSize})
			if got := s.MaxValueSize(tt.key); got != tt.want {
				t.Errorf("MaxValueSize(%d-byte key) = %d, want %d", len(tt.key), got, tt.want)
			}
		})
	}
}

// TestMaxValueSizeIsWhatTheServerAccepts pins itemOverhead to a real server:
// a value of MaxValueSize(key) bytes stores, and, sent past the Store's own
// check, one byte more is refused by memcached.
func TestMaxValueSizeIsWhatTheServerAccepts(t *testing.T) {
	servers := []struct {
		name        string
		maxItemSize int
	}{
		{name: "-I 1m", maxItemSize: 1 << 20},
		{name: "-I 2m", maxItemSize: 2 << 20},
	}
	keys := []struct {
		name string
		key  string
	}{
		{name: "1-byte key", key: "k"},
		{name: "100-byte key", key: strings.Repeat("k", 100)},
		{name: "250-byte key", key: strings.Repeat("k", 250)},
		{name: "hashed key", key: strings.Repeat("k", 251)},
	}
	for _, srv := range servers {
		m := testserver.NewMemcached(t, testserver.MemcachedOptions{MaxItemSize: srv.maxItemSize, MemoryMB: 64})
		s := newStore(t, Options{Servers: []string{m.Addr}, Timeout: 5 * time.Second, MaxItemSize: srv.maxItemSize})
		raw := memcache.New(m.Addr)
		raw.Timeout = 5 * time.Second
		for _, k := range keys {
			t.Run(srv.name+" "+k.name, func(t *testing.T) {
				ctx := context.Background()
				max := s.MaxValueSize(k.key)
				if err := s.Set(ctx, k.key, make([]byte, max), 0); err != nil {
					t.Fatalf("Set of MaxValueSize = %d bytes: got %v, want nil", max, err)
				}
				got, err := s.Get(ctx, k.key)
				if err != nil || len(got) != max {
					t.Fatalf("Get: got %d bytes (%v), want %d", len(got), err, max)
				}
				if err := s.Set(ctx, k.key, make([]byte, max+1), 0); !errors.Is(err, backends.ErrTooLarge) {
					t.Fatalf("Set of MaxValueSize+1 bytes: got %v, want ErrTooLarge", err)
				}
				err = raw.Set(&memcache.Item{Key: safeKey(k.key), Value: make([]byte, max+1)})
				if err == nil || !strings.Contains(err.Error(), "object too large") {
					t.Fatalf("raw set of MaxValueSize+1 = %d bytes: got %v, want the server's object too large", max+1, err)
				}
			})
		}
	}
}

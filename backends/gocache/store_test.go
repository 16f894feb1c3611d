package gocache

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eko/gocache/lib/v4/cache"
	"github.com/eko/gocache/lib/v4/store"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/testserver"
)

// TestCache runs gocache's own cache over a plugcache store. It uses a fake
// clock, which ristretto reads too.
func TestCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := ristretto.New(ristretto.Options{})
		if err != nil {
			t.Fatalf("ristretto.New: got error %v, want nil", err)
		}
		defer s.Close()
		c := cache.New[[]byte](NewStore(s))
		ctx := t.Context()
		if err := c.Set(ctx, "lasting", []byte("forever"), store.WithExpiration(0)); err != nil {
			t.Fatalf("Set: got error %v, want nil", err)
		}
		if err := c.Set(ctx, "expiring", []byte("for a minute"), store.WithExpiration(time.Minute)); err != nil {
			t.Fatalf("Set: got error %v, want nil", err)
		}

		tests := []struct {
			name    string
			sleep   time.Duration // before the Get, after the previous row's
			key     string
			want    string
			wantTTL time.Duration
			miss    bool
		}{
			{"a value round-trips", 0, "lasting", "forever", 0, false},
			{"an expiring value round-trips with its ttl", 0, "expiring", "for a minute", time.Minute, false},
			{"its ttl counts down", 30 * time.Second, "expiring", "for a minute", 30 * time.Second, false},
			{"a missing key is gocache's NotFound, wrapping ErrNotFound", 0, "missing", "", 0, true},
			{"past its ttl the value is gone", 31 * time.Second, "expiring", "", 0, true},
			{"a value without ttl stays", time.Hour, "lasting", "forever", 0, false},
		}
		for _, tt := range tests {
			time.Sleep(tt.sleep)
			got, ttl, err := c.GetWithTTL(ctx, tt.key)
			if tt.miss {
				if !errors.Is(err, store.NotFound{}) || !errors.Is(err, backends.ErrNotFound) {
					t.Errorf("%s: GetWithTTL(%q): got %q, %v, want store.NotFound wrapping backends.ErrNotFound", tt.name, tt.key, got, err)
				}
				continue
			}
			if err != nil || string(got) != tt.want || ttl != tt.wantTTL {
				t.Errorf("%s: GetWithTTL(%q): got %q, %v, %v, want %q, %v, nil", tt.name, tt.key, got, ttl, err, tt.want, tt.wantTTL)
			}
		}
	})
}

func TestCacheOfStrings(t *testing.T) {
	c := cache.New[string](NewStore(newRistretto(t)))
	ctx := t.Context()
	if err := c.Set(ctx, "k", "text"); err != nil {
		t.Fatalf("Set: got error %v, want nil", err)
	}
	if got, err := c.Get(ctx, "k"); err != nil || got != "text" {
		t.Errorf("Get: got %q, %v, want \"text\", nil", got, err)
	}
}

// TestChain checks that a chain finds a value in its lower cache and sets it in
// the upper one, with the ttl left when the lower store can tell it.
func TestChain(t *testing.T) {
	tests := []struct {
		name    string
		lower   func(*ristretto.Store) backends.Store
		wantTTL time.Duration
	}{
		{"the upper cache gets the ttl left", func(s *ristretto.Store) backends.Store { return s }, time.Minute},
		{"a lower store without GetWithTTL gives no expiry", func(s *ristretto.Store) backends.Store { return hidden{s} }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				upper, lower := newRistretto(t), newRistretto(t)
				ctx := t.Context()
				if err := lower.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
					t.Fatalf("lower Set: got error %v, want nil", err)
				}
				chain := cache.NewChain[[]byte](
					cache.New[[]byte](NewStore(upper)),
					cache.New[[]byte](NewStore(tt.lower(lower))),
				)
				got, err := chain.Get(ctx, "k")
				if err != nil || string(got) != "v" {
					t.Fatalf("chain Get: got %q, %v, want \"v\", nil", got, err)
				}
				chain.Close() // waits for the chain to set the value in upper

				got, ttl, err := upper.GetWithTTL(ctx, "k")
				if err != nil || string(got) != "v" || ttl != tt.wantTTL {
					t.Errorf("upper GetWithTTL: got %q, %v, %v, want \"v\", %v, nil", got, ttl, err, tt.wantTTL)
				}
			})
		})
	}
}

func TestSetIfNotExists(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	c := cache.New[[]byte](NewStore(newMemcached(t, m)))
	ctx := t.Context()
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		{"the first SetIfNotExists writes", "first", true},
		{"the second does not", "second", false},
	}
	for _, tt := range tests {
		added, err := c.SetIfNotExists(ctx, "k", []byte(tt.value), store.WithExpiration(time.Minute))
		if err != nil || added != tt.want {
			t.Errorf("%s: got %v, %v, want %v, nil", tt.name, added, err, tt.want)
		}
	}
	if got, err := c.Get(ctx, "k"); err != nil || string(got) != "first" {
		t.Errorf("Get: got %q, %v, want \"first\", nil", got, err)
	}

	noAdd := cache.New[[]byte](NewStore(newRistretto(t)))
	if _, err := noAdd.SetIfNotExists(ctx, "k", []byte("v")); !errors.Is(err, store.ErrNotSupported) {
		t.Errorf("SetIfNotExists over a store that is no Adder: got error %v, want store.ErrNotSupported", err)
	}
}

func TestStoreErrors(t *testing.T) {
	s := NewStore(newRistretto(t))
	noClear := NewStore(hidden{newRistretto(t)})
	ctx := t.Context()
	tests := []struct {
		name    string
		call    func() error
		wantErr error // errNotNil: any error
	}{
		{"Get of a key that is no string is an error, not a panic", func() error {
			_, err := s.Get(ctx, 42)
			return err
		}, errNotNil},
		{"GetWithTTL of a key that is no string is an error", func() error {
			_, _, err := s.GetWithTTL(ctx, []byte("k"))
			return err
		}, errNotNil},
		{"Set of a key that is no string is an error", func() error {
			return s.Set(ctx, 42, []byte("v"))
		}, errNotNil},
		{"Set of a value that is neither []byte nor string is an error", func() error {
			return s.Set(ctx, "k", 42)
		}, errNotNil},
		{"Set of an untyped nil value is an error", func() error {
			return s.Set(ctx, "k", nil)
		}, errNotNil},
		{"Delete of a key that is no string is an error", func() error {
			return s.Delete(ctx, 42)
		}, errNotNil},
		{"Set with tags is not supported", func() error {
			return s.Set(ctx, "k", []byte("v"), store.WithTags([]string{"t"}))
		}, store.ErrNotSupported},
		{"Invalidate with tags is not supported", func() error {
			return s.Invalidate(ctx, store.WithInvalidateTags([]string{"t"}))
		}, store.ErrNotSupported},
		{"Invalidate without tags does nothing", func() error {
			return s.Invalidate(ctx)
		}, nil},
		{"Clear is the backend's", func() error {
			return s.Clear(ctx)
		}, nil},
		{"Clear of a backend that is no Clearer is not supported", func() error {
			return noClear.Clear(ctx)
		}, store.ErrNotSupported},
		{"a backend's error comes back as it is", func() error {
			return s.Set(ctx, "k", make([]byte, 65<<20))
		}, backends.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			switch {
			case tt.wantErr == errNotNil:
				if err == nil {
					t.Error("got error nil, want one")
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
	if got := s.GetType(); got != "plugcache" {
		t.Errorf("GetType: got %q, want \"plugcache\"", got)
	}
}

// errNotNil, as a wantErr, accepts any error.
var errNotNil = errors.New("any error")

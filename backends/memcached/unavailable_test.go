package memcached

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
)

// storeCall is one Store call, as the tests of failures make it.
type storeCall struct {
	name string
	do   func(ctx context.Context, s *Store) error
}

var storeCalls = []storeCall{
	{name: "Get", do: func(ctx context.Context, s *Store) error { _, err := s.Get(ctx, "k"); return err }},
	{name: "Set", do: func(ctx context.Context, s *Store) error { return s.Set(ctx, "k", []byte("v"), time.Minute) }},
	{name: "Add", do: func(ctx context.Context, s *Store) error {
		_, err := s.Add(ctx, "k2", []byte("v"), time.Minute)
		return err
	}},
	{name: "Delete", do: func(ctx context.Context, s *Store) error { return s.Delete(ctx, "k") }},
}

func TestDoneContextFailsWithoutIO(t *testing.T) {
	// Through a stalled proxy, any I/O would hang for Timeout (10s).
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	proxy := testserver.NewStallProxy(t, m.Addr)
	proxy.Stall()
	s := newStore(t, Options{Servers: []string{proxy.Addr}, Timeout: 10 * time.Second})

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range storeCalls {
		t.Run(c.name+" on a canceled context", func(t *testing.T) {
			start := time.Now()
			err := c.do(canceled, s)
			if !errors.Is(err, backends.ErrUnavailable) || !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want an error wrapping ErrUnavailable and context.Canceled", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v, want it to return at once, with no I/O", d)
			}
		})
	}
}

func TestStalledServerIsUnavailableAfterTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	proxy := testserver.NewStallProxy(t, m.Addr)
	s := newStore(t, Options{Servers: []string{proxy.Addr}, Timeout: timeout})
	ctx := context.Background()
	if err := s.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatalf("Set before the stall: %v", err)
	}

	proxy.Stall()
	for _, c := range storeCalls {
		t.Run(c.name+" while stalled", func(t *testing.T) {
			start := time.Now()
			err := c.do(ctx, s)
			if !errors.Is(err, backends.ErrUnavailable) {
				t.Errorf("got %v, want an error wrapping ErrUnavailable", err)
			}
			// One Timeout per network step, with slack for a loaded machine.
			if d := time.Since(start); d > 10*timeout {
				t.Errorf("took %v, want about Timeout (%v)", d, timeout)
			}
		})
	}

	proxy.Resume()
	for _, c := range storeCalls {
		t.Run(c.name+" after Resume", func(t *testing.T) {
			if err := c.do(ctx, s); err != nil && !errors.Is(err, backends.ErrNotFound) {
				t.Errorf("got %v, want the call to work again", err)
			}
		})
	}
}

func TestDownServerIsUnavailableThenRecovers(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	s := newStore(t, Options{Servers: []string{m.Addr}, Timeout: time.Second})
	ctx := context.Background()
	if err := s.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatalf("Set before the kill: %v", err)
	}

	if err := m.Kill(); err != nil {
		t.Fatal(err)
	}
	for _, c := range storeCalls {
		t.Run(c.name+" while down", func(t *testing.T) {
			if err := c.do(ctx, s); !errors.Is(err, backends.ErrUnavailable) {
				t.Errorf("got %v, want an error wrapping ErrUnavailable", err)
			}
		})
	}

	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	for _, c := range storeCalls {
		t.Run(c.name+" after Restart", func(t *testing.T) {
			if err := c.do(ctx, s); err != nil && !errors.Is(err, backends.ErrNotFound) {
				t.Errorf("got %v, want the call to work again", err)
			}
		})
	}
}

package plugcache

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/ristretto"
)

// pausingStore is a map store that can hold one read of a generation key until
// released. It stands in for a real server because the test needs a Clear to
// land exactly while a generation is being read, which no real server can be
// made to do on cue: a stalled proxy would stall the Clear too.
type pausingStore struct {
	mu      sync.Mutex
	m       map[string][]byte
	hold    chan struct{} // the next generation read waits on it
	holding chan struct{} // told when that read has begun
}

func (s *pausingStore) Get(_ context.Context, k string) ([]byte, error) {
	s.mu.Lock()
	v, ok := s.m[k]
	var hold chan struct{}
	if strings.HasSuffix(k, "generation") {
		hold, s.hold = s.hold, nil
	}
	s.mu.Unlock()
	if hold != nil {
		s.holding <- struct{}{}
		<-hold
	}
	if !ok {
		return nil, backends.ErrNotFound
	}
	return v, nil
}

func (s *pausingStore) Set(_ context.Context, k string, v []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = append([]byte(nil), v...)
	return nil
}

func (s *pausingStore) Delete(_ context.Context, k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
	return nil
}

func (s *pausingStore) Close() error { return nil }

// TestClearDuringGenerationReadStays checks that a Clear made while the
// plugin's generation is being read again (after generationRefresh) is not
// undone when that read returns the token from before the Clear.
func TestClearDuringGenerationReadStays(t *testing.T) {
	ctx := context.Background()
	st := &pausingStore{m: map[string][]byte{}, holding: make(chan struct{})}
	var mu sync.Mutex
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	m, err := Open(nil, Options{Store: st, clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := m.ForPlugin("catalog")
	mustSet(t, c, "k", []byte("old"))

	mu.Lock()
	now = now.Add(generationRefresh)
	mu.Unlock()
	release := make(chan struct{})
	st.mu.Lock()
	st.hold = release
	st.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Get(ctx, "k") // reads the generation again, and is held there
	}()
	<-st.holding
	if err := c.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	close(release)
	<-done
	mustMiss(t, c, "k")
}

// TestClearHoldsForEveryManagerOverOneStore: Managers over one memory store
// given in Options, at the same time or one after another, and Managers over
// one plugin client's Store, keep each plugin's generation in the store, so a
// Clear made through one holds for the others.
func TestClearHoldsForEveryManagerOverOneStore(t *testing.T) {
	ctx := context.Background()
	memoryStore := func(t *testing.T) backends.Store {
		s, err := ristretto.New(ristretto.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	pluginClientStore := func(t *testing.T) backends.Store {
		m, err := Open(nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m.ForPlugin("outer").Store()
	}
	for _, tt := range []struct {
		name       string
		store      func(t *testing.T) backends.Store
		closeFirst bool // the first Manager is closed before the second opens
	}{
		{"a memory store, both Managers open", memoryStore, false},
		{"a memory store, the second Manager opened after the first closed", memoryStore, true},
		{"a plugin client's Store, both Managers open", pluginClientStore, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := tt.store(t)
			open := func() *Manager {
				m, err := Open(nil, Options{Store: store})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { m.Close() })
				return m
			}
			first := open()
			mustSet(t, first.ForPlugin("catalog"), "k", []byte("old"))
			second := open()
			mustGet(t, second.ForPlugin("catalog"), "k", []byte("old"))
			if err := first.ForPlugin("catalog").Clear(ctx); err != nil {
				t.Fatal(err)
			}
			if tt.closeFirst {
				first.Close()
				second.Close()
				second = open()
			}
			mustMiss(t, second.ForPlugin("catalog"), "k")
		})
	}
}

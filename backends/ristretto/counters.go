package ristretto

import (
	"sync"
	"sync/atomic"
)

// counters are the named counters a Store keeps for its callers
// (backends.Counters). They outlive Clear, which empties the entries only.
type counters struct {
	mu sync.Mutex
	m  map[string]*atomic.Uint64
}

// Counter returns the counter named name, at zero when first asked for, and
// the same counter for the same name ever after. It implements
// backends.Counters: plugcache keeps each plugin's generation there, so that
// every Manager over the store agrees on it.
func (s *Store) Counter(name string) *atomic.Uint64 {
	s.counters.mu.Lock()
	defer s.counters.mu.Unlock()
	c, ok := s.counters.m[name]
	if !ok {
		if s.counters.m == nil {
			s.counters.m = map[string]*atomic.Uint64{}
		}
		c = new(atomic.Uint64)
		s.counters.m[name] = c
	}
	return c
}

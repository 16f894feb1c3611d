package storetest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/plugcache/plugcache/backends"
)

// faults are the ways a memStore can break the rules that Run checks.
type faults struct {
	missIsNil         bool // a miss returns nil, nil
	emptyIsMiss       bool // an empty value reads as a miss
	keysCutAt250      bool // keys past 250 bytes are cut, so they meet
	ignoresTTL        bool // values never expire
	noSizeLimit       bool // Set takes values past MaxValueSize
	addOverwrites     bool // Add writes even when the key holds a value
	deleteMissingErrs bool // Delete of a missing key is an error
	panicsOnCancelled bool // calls with a done context panic
	hangsWhenDown     bool // calls hang while the server is down
	staysDown         bool // Restart does not bring the store back
	closeTwiceErrs    bool // a second Close is an error
	worksAfterClose   bool // calls after Close succeed
}

// memStore is a map held in memory that passes Run, but for its faults. Its
// down field plays a server that was killed.
type memStore struct {
	faults
	mu      sync.Mutex
	values  map[string][]byte
	expires map[string]time.Time
	down    bool
	closed  bool
}

const memMaxValueSize = 1000

func newMemStore(f faults) *memStore {
	return &memStore{faults: f, values: map[string][]byte{}, expires: map[string]time.Time{}}
}

// begin locks the store, and returns the error of a call that cannot proceed.
// The caller unlocks it.
func (m *memStore) begin(ctx context.Context) error {
	if ctx.Err() != nil && m.panicsOnCancelled {
		panic("memStore: cancelled")
	}
	m.mu.Lock()
	if m.closed && !m.worksAfterClose {
		return backends.Unavailable(errors.New("memStore: closed"))
	}
	if !m.down {
		return nil
	}
	if m.hangsWhenDown {
		m.mu.Unlock()
		select {}
	}
	return backends.Unavailable(errors.New("memStore: server down"))
}

func (m *memStore) key(key string) string {
	if m.keysCutAt250 && len(key) > 250 {
		return key[:250]
	}
	return key
}

func (m *memStore) Get(ctx context.Context, key string) ([]byte, error) {
	err := m.begin(ctx)
	defer m.mu.Unlock()
	if err != nil {
		return nil, err
	}
	key = m.key(key)
	v, ok := m.values[key]
	if exp, ok := m.expires[key]; ok && !m.ignoresTTL && time.Now().After(exp) {
		delete(m.values, key)
		v = nil
	}
	switch {
	case v == nil && m.missIsNil:
		return nil, nil
	case v == nil, !ok, len(v) == 0 && m.emptyIsMiss:
		return nil, backends.ErrNotFound
	}
	return v, nil
}

func (m *memStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if len(value) > memMaxValueSize && !m.noSizeLimit {
		return fmt.Errorf("memStore: %w", backends.ErrTooLarge)
	}
	err := m.begin(ctx)
	defer m.mu.Unlock()
	if err != nil {
		return err
	}
	m.set(m.key(key), value, ttl)
	return nil
}

func (m *memStore) set(key string, value []byte, ttl time.Duration) {
	m.values[key] = append([]byte{}, value...)
	delete(m.expires, key)
	if ttl > 0 {
		m.expires[key] = time.Now().Add(ttl)
	}
}

func (m *memStore) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	err := m.begin(ctx)
	defer m.mu.Unlock()
	if err != nil {
		return false, err
	}
	if _, ok := m.values[m.key(key)]; ok && !m.addOverwrites {
		return false, nil
	}
	m.set(m.key(key), value, ttl)
	return true, nil
}

func (m *memStore) Delete(ctx context.Context, key string) error {
	err := m.begin(ctx)
	defer m.mu.Unlock()
	if err != nil {
		return err
	}
	if _, ok := m.values[m.key(key)]; !ok && m.deleteMissingErrs {
		return errors.New("memStore: no such key")
	}
	delete(m.values, m.key(key))
	return nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed && m.closeTwiceErrs {
		return errors.New("memStore: already closed")
	}
	m.closed = true
	return nil
}

func (m *memStore) MaxValueSize(string) int { return memMaxValueSize }

func (m *memStore) setDown(down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.down = down
}

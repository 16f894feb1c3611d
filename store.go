package plugcache

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/memo"
)

// Store returns the client's namespace as a backends.Store, for code that
// deals in stores: the HTTP cache middleware, and gocache through
// backends/gocache. Its keys and values are the client's; Set with ttl 0 uses
// the client's default TTL; Get returns bytes that must not be modified;
// Clear empties the plugin. Close ends this Store only, whose calls then fail
// with ErrUnavailable, as any closed store's do: the client and the other
// Stores it returned go on, since the Manager owns the store beneath them.
func (c *Client) Store() backends.Store { return &pluginStore{c: c} }

type pluginStore struct {
	c      *Client
	closed atomic.Bool
}

// errStoreClosed is the error of a call on a pluginStore after its Close.
var errStoreClosed = fmt.Errorf("plugcache: plugin store is closed: %w", ErrUnavailable)

func (p *pluginStore) Get(ctx context.Context, key string) ([]byte, error) {
	if p.closed.Load() {
		return nil, errStoreClosed
	}
	return p.c.ns.get(ctx, key)
}

// GetMemo is Get, with the memo that the plugin's store keeps beside the
// value (see backends/ristretto.Store.GetMemo), or nil when it keeps none.
// The HTTP cache keeps its decoded response there.
func (p *pluginStore) GetMemo(ctx context.Context, key string) ([]byte, *memo.Memo, error) {
	if p.closed.Load() {
		return nil, nil, errStoreClosed
	}
	return p.c.ns.getMemo(ctx, key)
}

func (p *pluginStore) GetWithTTL(ctx context.Context, key string) ([]byte, time.Duration, error) {
	if p.closed.Load() {
		return nil, 0, errStoreClosed
	}
	return p.c.ns.getWithTTL(ctx, key)
}

func (p *pluginStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	switch {
	case p.closed.Load():
		return errStoreClosed
	case ttl == 0:
		return p.c.Set(ctx, key, value)
	}
	return p.c.Set(ctx, key, value, WithTTL(ttl))
}

func (p *pluginStore) Delete(ctx context.Context, key string) error {
	if p.closed.Load() {
		return errStoreClosed
	}
	return p.c.Delete(ctx, key)
}

// Local reports whether the plugin's store lives in this process
// (backends.Local), so that its bytes never crossed a network or a disk.
func (p *pluginStore) Local() bool { return p.c.ns.local }

// Checksummed reports true: Get checks each value's envelope, checksum
// included for stores outside this process, before returning it, so the HTTP
// cache need not check its entries' own checksum again.
func (p *pluginStore) Checksummed() bool { return true }

func (p *pluginStore) Clear(ctx context.Context) error {
	if p.closed.Load() {
		return errStoreClosed
	}
	return p.c.Clear(ctx)
}

func (p *pluginStore) Close() error {
	p.closed.Store(true)
	return nil
}

// Counter implements backends.Counters with the counters of the plugin's
// store, under names in the plugin's namespace, so that Managers opened over
// this Store agree on their plugins' generations as Managers over the store
// itself do. It returns nil when the plugin's store keeps no counters.
func (p *pluginStore) Counter(name string) *atomic.Uint64 {
	if c, ok := p.c.ns.store.(backends.Counters); ok {
		return c.Counter(p.c.ns.prefix + name)
	}
	return nil
}

func (p *pluginStore) MaxValueSize(key string) int {
	if n := p.c.MaxValueSize(key); n >= 0 {
		return n
	}
	return math.MaxInt
}

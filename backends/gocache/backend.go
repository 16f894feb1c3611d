package gocache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/eko/gocache/lib/v4/store"
	memcachestore "github.com/eko/gocache/store/memcache/v4"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/memcached"
)

// NewBackend adapts a gocache store into a backends.Store. The Store is safe
// for concurrent use as s is. NewBackend panics if s is nil. The Store passes s
// string keys and []byte values, so a ristretto store under it must be a
// RistrettoStore[string, []byte].
//
// Set hands s a copy of the value, with store.WithExpiration(ttl) when ttl is
// not zero (so ttl 0 leaves s's default expiration, if it has one, in force;
// for gocache's memcache store, ttl converted to what memcached reads, as
// memcached.GocacheExpiration does),
// and with store.WithCost(len(key)+len(value)) and store.WithSynchronousSet
// for the stores that use them, such as ristretto. Get accepts values that s
// returns as []byte or string; any other type is an error. The slice Get
// returns may be s's own, as an in-process store's is: a value Set into s,
// through this Store or any other way, must not be modified afterwards.
//
// A miss of s (store.NotFound) is backends.ErrNotFound. Any other error of s,
// or a context already done, wraps backends.ErrUnavailable, except
// store.ErrNotSupported, which is kept.
//
// The Store implements backends.Clearer with s.Clear, backends.Adder when s
// implements store.SetIfNotExistsStore, and GetWithTTL with s.GetWithTTL. Its
// Close leaves s open, since the caller owns s, but makes the Store's own
// calls fail with backends.ErrUnavailable, as any store's do after Close.
func NewBackend(s store.StoreInterface) backends.Store {
	if s == nil {
		panic("gocache: NewBackend of a nil store")
	}
	b := &backend{s: s, memcache: s.GetType() == memcachestore.MemcacheType}
	if a, ok := s.(store.SetIfNotExistsStore); ok {
		return &addBackend{backend: b, a: a}
	}
	return b
}

var (
	_ backends.Clearer = (*backend)(nil)
	_ backends.Adder   = (*addBackend)(nil)
)

// backend is what NewBackend returns for a gocache store.
type backend struct {
	s        store.StoreInterface
	memcache bool // s is gocache's memcache store, whose expirations need converting
	closed   atomic.Bool
}

// errClosed is the error of a call after Close.
var errClosed = backends.Unavailable(errors.New("gocache: store is closed"))

// begin returns the error of a call that must not reach s: the Store is
// closed, or ctx is done.
func (b *backend) begin(ctx context.Context) error {
	if b.closed.Load() {
		return errClosed
	}
	if err := ctx.Err(); err != nil {
		return fromGocache(err)
	}
	return nil
}

func (b *backend) Get(ctx context.Context, key string) ([]byte, error) {
	if err := b.begin(ctx); err != nil {
		return nil, err
	}
	v, err := b.s.Get(ctx, key)
	if err != nil {
		return nil, fromGocache(err)
	}
	return bytesOf(v)
}

// GetWithTTL is Get that also returns how long the value has left to live.
// Zero means it does not expire, and so does a negative TTL, which some stores
// (redis) return for a value without expiry.
func (b *backend) GetWithTTL(ctx context.Context, key string) ([]byte, time.Duration, error) {
	if err := b.begin(ctx); err != nil {
		return nil, 0, err
	}
	v, ttl, err := b.s.GetWithTTL(ctx, key)
	if err != nil {
		return nil, 0, fromGocache(err)
	}
	value, err := bytesOf(v)
	if err != nil {
		return nil, 0, err
	}
	return value, max(ttl, 0), nil
}

func (b *backend) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := b.checkSet(ctx, ttl); err != nil {
		return err
	}
	return fromGocache(b.s.Set(ctx, key, bytes.Clone(value), b.setOptions(key, value, ttl)...))
}

func (b *backend) Delete(ctx context.Context, key string) error {
	if err := b.begin(ctx); err != nil {
		return err
	}
	err := fromGocache(b.s.Delete(ctx, key))
	if err == backends.ErrNotFound { // some stores report deleting nothing as a miss
		return nil
	}
	return err
}

func (b *backend) Clear(ctx context.Context) error {
	if err := b.begin(ctx); err != nil {
		return err
	}
	return fromGocache(b.s.Clear(ctx))
}

func (b *backend) Close() error {
	b.closed.Store(true)
	return nil
}

// addBackend is what NewBackend returns for a gocache store that can set a key
// only when it is absent.
type addBackend struct {
	*backend
	a store.SetIfNotExistsStore
}

func (b *addBackend) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := b.checkSet(ctx, ttl); err != nil {
		return false, err
	}
	added, err := b.a.SetIfNotExists(ctx, key, bytes.Clone(value), b.setOptions(key, value, ttl)...)
	if err != nil {
		return false, fromGocache(err)
	}
	return added, nil
}

// checkSet returns the error of a Set or Add that must not reach the store.
func (b *backend) checkSet(ctx context.Context, ttl time.Duration) error {
	if ttl < 0 {
		return fmt.Errorf("gocache: ttl must be >= 0, got %v", ttl)
	}
	return b.begin(ctx)
}

// setOptions returns the options of a gocache Set of value under key for ttl.
func (b *backend) setOptions(key string, value []byte, ttl time.Duration) []store.Option {
	opts := []store.Option{
		store.WithCost(int64(len(key)) + int64(len(value))),
		store.WithSynchronousSet(),
	}
	if ttl == 0 {
		return opts
	}
	if b.memcache {
		// gocache's memcache store truncates the expiration to seconds and
		// sends it as memcached's exptime: a ttl under a second would mean
		// no expiry, and one over 30 days a time in 1970.
		ttl = memcached.GocacheExpiration(ttl, time.Now())
	}
	return append(opts, store.WithExpiration(ttl))
}

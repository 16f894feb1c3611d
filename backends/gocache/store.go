package gocache

import (
	"context"
	"fmt"
	"time"

	"github.com/eko/gocache/lib/v4/store"

	"github.com/plugcache/plugcache/backends"
)

// StoreType is what GetType returns for the stores that NewStore makes.
const StoreType = "plugcache"

// NewStore adapts a backends.Store into a gocache store, so that gocache's
// caches work over it: cache.New[[]byte](gocache.NewStore(s)), and chains,
// loadables and metric caches made of such caches. The store is safe for
// concurrent use as s is. NewStore panics if s is nil.
//
// The store takes string keys, and values as []byte or string; Get returns
// []byte, which the caller must not modify when s is an in-process store. Keys
// or values of other types are an error. A miss is a store.NotFound that wraps
// backends.ErrNotFound, so that gocache's caches report it as theirs; other
// errors of s come back as they are.
//
// Set reads the expiration of its options and ignores cost and synchronous
// set: s prices its own entries, and its Set returns once the value is stored.
// Tags, in Set or Invalidate, are an error wrapping store.ErrNotSupported, since
// s keeps no tag index. GetWithTTL uses s's GetWithTTL method when it has one,
// as ristretto.Store does, and otherwise reports a TTL of zero, so that a chain
// sets the value in its upper caches without expiry. Clear is s's Clear when s
// implements backends.Clearer, and store.ErrNotSupported otherwise.
//
// The store implements store.SetIfNotExistsStore when s implements
// backends.Adder. It has no Close, so cache.Cache.Close leaves s open: the
// caller owns s.
func NewStore(s backends.Store) store.StoreInterface {
	if s == nil {
		panic("gocache: NewStore of a nil backends.Store")
	}
	l := &libStore{s: s}
	if a, ok := s.(backends.Adder); ok {
		return &addLibStore{libStore: l, a: a}
	}
	return l
}

// ttlGetter is implemented by stores that can tell how long a value has left to
// live, such as ristretto.Store. Zero means it does not expire.
type ttlGetter interface {
	GetWithTTL(ctx context.Context, key string) ([]byte, time.Duration, error)
}

var _ store.SetIfNotExistsStore = (*addLibStore)(nil)

// libStore is what NewStore returns for a backends.Store.
type libStore struct {
	s backends.Store
}

func (l *libStore) Get(ctx context.Context, key any) (any, error) {
	k, err := keyOf(key)
	if err != nil {
		return nil, err
	}
	v, err := l.s.Get(ctx, k)
	if err != nil {
		return nil, toGocache(err)
	}
	return v, nil
}

func (l *libStore) GetWithTTL(ctx context.Context, key any) (any, time.Duration, error) {
	g, ok := l.s.(ttlGetter)
	if !ok {
		v, err := l.Get(ctx, key)
		return v, 0, err
	}
	k, err := keyOf(key)
	if err != nil {
		return nil, 0, err
	}
	v, ttl, err := g.GetWithTTL(ctx, k)
	if err != nil {
		return nil, 0, toGocache(err)
	}
	return v, ttl, nil
}

func (l *libStore) Set(ctx context.Context, key, value any, opts ...store.Option) error {
	k, v, ttl, err := setArgs(key, value, opts)
	if err != nil {
		return err
	}
	return l.s.Set(ctx, k, v, ttl)
}

func (l *libStore) Delete(ctx context.Context, key any) error {
	k, err := keyOf(key)
	if err != nil {
		return err
	}
	return l.s.Delete(ctx, k)
}

func (l *libStore) Invalidate(_ context.Context, opts ...store.InvalidateOption) error {
	if len(store.ApplyInvalidateOptions(opts...).Tags) > 0 {
		return fmt.Errorf("gocache: tags: %w", store.ErrNotSupported)
	}
	return nil
}

func (l *libStore) Clear(ctx context.Context) error {
	c, ok := l.s.(backends.Clearer)
	if !ok {
		return fmt.Errorf("gocache: clear: %w", store.ErrNotSupported)
	}
	return c.Clear(ctx)
}

func (l *libStore) GetType() string { return StoreType }

// addLibStore is what NewStore returns for a backends.Store that can set a key
// only when it is absent.
type addLibStore struct {
	*libStore
	a backends.Adder
}

func (l *addLibStore) SetIfNotExists(ctx context.Context, key, value any, opts ...store.Option) (bool, error) {
	k, v, ttl, err := setArgs(key, value, opts)
	if err != nil {
		return false, err
	}
	return l.a.Add(ctx, k, v, ttl)
}

// setArgs returns the arguments of a gocache Set as a Store takes them.
func setArgs(key, value any, opts []store.Option) (string, []byte, time.Duration, error) {
	k, err := keyOf(key)
	if err != nil {
		return "", nil, 0, err
	}
	v, err := bytesOf(value)
	if err != nil {
		return "", nil, 0, err
	}
	o := store.ApplyOptions(opts...)
	if len(o.Tags) > 0 {
		return "", nil, 0, fmt.Errorf("gocache: tags: %w", store.ErrNotSupported)
	}
	return k, v, o.Expiration, nil
}

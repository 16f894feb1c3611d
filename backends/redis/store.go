package redis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	libstore "github.com/eko/gocache/lib/v4/store"
	redisstore "github.com/eko/gocache/store/redis/v4"
	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/backends"
)

// maxValueSize is the longest string that redis takes, its default
// proto-max-bulk-len: 512 MiB.
const maxValueSize = 512 << 20

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Timeout is the deadline of every Store call, applied unless the call's
	// context ends sooner. Default: 100ms. Zero or less means the default.
	Timeout time.Duration
}

// Store is a [backends.Store] that keeps its entries in redis, one string per
// key, under the key itself: a gocache redis store on the same server sees the
// same entries. It is safe for concurrent use.
//
// Beyond [backends.Store], it implements [backends.Adder] and
// [backends.Limiter]. It does not implement [backends.Clearer]: redis can
// only clear whole databases at once (FLUSHALL, as gocache's Clear does),
// which would wipe the keys of every other application on the server.
type Store struct {
	client  goredis.UniversalClient
	gocache *redisstore.RedisStore
	timeout time.Duration
	closed  atomic.Bool
}

var (
	_ backends.Store   = (*Store)(nil)
	_ backends.Adder   = (*Store)(nil)
	_ backends.Limiter = (*Store)(nil)
)

// New returns a Store on client, which may be a single server's client or a
// cluster's, such as NewClient returns. The Store takes client over: its Close
// closes client. New does not contact the server. It panics if client is nil.
func New(client goredis.UniversalClient, opts Options) *Store {
	if client == nil {
		panic("redis: New: nil client")
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	return &Store{client: client, gocache: redisstore.NewRedis(client), timeout: timeout}
}

// Get returns the value stored under key, or [backends.ErrNotFound].
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	// The same GET gocache's store sends, read as bytes: go-redis hands out
	// its reply buffer, where gocache's string would be copied once more.
	v, err := s.client.Get(ctx, key).Bytes()
	switch {
	case errors.Is(err, goredis.Nil):
		return nil, backends.ErrNotFound
	case err != nil:
		return nil, backends.Unavailable(fmt.Errorf("redis: get: %w", err))
	}
	return v, nil
}

// Set stores value under key for ttl, rounded up to a whole millisecond: the
// precision of redis's expiry. Zero means no expiry; a negative ttl is an
// error. A value over 512 MiB fails with [backends.ErrTooLarge] before
// anything is sent.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	ttl, err := check("set", key, value, ttl)
	if err != nil {
		return err
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if err := s.gocache.Set(ctx, key, value, libstore.WithExpiration(ttl)); err != nil {
		return backends.Unavailable(fmt.Errorf("redis: set: %w", err))
	}
	return nil
}

// Add is Set done only when key holds nothing, atomically (SET NX), and
// reports whether it stored value. Should the server have applied a SET NX
// whose reply came too late, and go-redis's retry found the key taken, Add
// reports false although value is stored.
func (s *Store) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	ttl, err := check("add", key, value, ttl)
	if err != nil {
		return false, err
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	added, err := s.client.SetNX(ctx, key, value, ttl).Result()
	if err != nil {
		return false, backends.Unavailable(fmt.Errorf("redis: add: %w", err))
	}
	return added, nil
}

// Delete removes key. Removing a key that holds nothing is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if err := s.gocache.Delete(ctx, key); err != nil {
		return backends.Unavailable(fmt.Errorf("redis: delete: %w", err))
	}
	return nil
}

// MaxValueSize returns 512 MiB, the longest value that redis takes under its
// default proto-max-bulk-len, whatever the key.
func (s *Store) MaxValueSize(key string) int { return maxValueSize }

// Close closes the client that s was made with. Calls after Close fail with an
// error that wraps backends.ErrUnavailable. Close is idempotent: only the first
// call closes the client, which would report a second Close as an error.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.client.Close()
}

// withTimeout returns ctx bounded by the Store's timeout, or ctx itself when it
// ends sooner already.
func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= s.timeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// check refuses what redis cannot store, naming op in its errors, and returns
// ttl rounded up to a whole millisecond, so that no positive ttl becomes zero,
// which would mean no expiry.
func check(op, key string, value []byte, ttl time.Duration) (time.Duration, error) {
	switch {
	case len(value) > maxValueSize:
		return 0, fmt.Errorf("redis: %s: value of %d bytes is over %d: %w", op, len(value), maxValueSize, backends.ErrTooLarge)
	case len(key) > maxValueSize:
		return 0, fmt.Errorf("redis: %s: key of %d bytes is over %d: %w", op, len(key), maxValueSize, backends.ErrTooLarge)
	case ttl < 0:
		return 0, fmt.Errorf("redis: %s: ttl must be >= 0, got %v", op, ttl)
	}
	if frac := ttl % time.Millisecond; frac != 0 && ttl <= math.MaxInt64-time.Millisecond {
		ttl += time.Millisecond - frac
	}
	return ttl, nil
}

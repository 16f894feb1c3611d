package memcached

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	gocachestore "github.com/eko/gocache/lib/v4/store"
	gocachememcache "github.com/eko/gocache/store/memcache/v4"

	"github.com/plugcache/plugcache/backends"
)

// Store is a backends.Store on memcached. It is safe for concurrent use. It
// also implements backends.Adder and backends.Limiter, but not
// backends.Clearer (see the package doc).
//
// Every call fails at once, with an error that wraps backends.ErrUnavailable
// and the context's error, when its context is done; otherwise it runs until
// the server answers or Options.Timeout passes, whatever the context's
// deadline. Keys may be any string (see the package doc).
type Store struct {
	client      *memcache.Client               // Get, Add and Close (see Get; gocache has no add or close)
	gocache     *gocachememcache.MemcacheStore // Set and Delete
	maxItemSize int
	now         func() time.Time // for expiry times past 30 days
	closed      atomic.Bool
}

var (
	_ backends.Store   = (*Store)(nil)
	_ backends.Adder   = (*Store)(nil)
	_ backends.Limiter = (*Store)(nil)
)

// errClosed is the cause of the error that calls return after Close.
var errClosed = errors.New("store closed")

// New returns a Store on opts.Servers. It validates opts, with an error that
// names the field at fault, and the server for Servers: no servers, a server
// that does not parse or is listed twice, a negative value, or a MaxItemSize
// under 1024. It does no I/O, not even DNS: the first calls that need
// connections dial them.
func New(opts Options) (*Store, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	sel, err := newSelector(opts.Servers)
	if err != nil {
		return nil, err
	}
	client := memcache.NewFromSelector(sel)
	client.Timeout = opts.Timeout
	client.MaxIdleConns = opts.MaxIdleConns
	return &Store{
		client:      client,
		gocache:     gocachememcache.NewMemcache(client),
		maxItemSize: opts.MaxItemSize,
		now:         time.Now,
	}, nil
}

// Get returns the value stored under key, or an error that is
// backends.ErrNotFound when the key holds nothing.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	// The same get gocache's store sends, straight through gomemcache:
	// gocache's would pass the key and the value as any, an allocation each
	// on the hit path.
	var item *memcache.Item
	err := s.call(ctx, "get", func() (err error) {
		item, err = s.client.Get(safeKey(key))
		return err
	})
	if err != nil {
		return nil, err
	}
	return item.Value, nil
}

// Set stores value under key for ttl, rounded up to whole seconds; zero means
// no expiry, and a negative ttl leaves the key holding nothing. It refuses a
// value longer than MaxValueSize(key) with backends.ErrTooLarge, before
// sending anything.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	mkey, err := s.fit("set", key, value)
	if err != nil {
		return err
	}
	return s.call(ctx, "set", func() error {
		exp := GocacheExpiration(ttl, s.now())
		return s.gocache.Set(ctx, mkey, value, gocachestore.WithExpiration(exp))
	})
}

// Add stores value under key for ttl, as Set does, but only if the key holds
// nothing, and reports whether it did. Checking and storing are one atomic
// step on the server (memcached's add). It implements backends.Adder.
func (s *Store) Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	mkey, err := s.fit("add", key, value)
	if err != nil {
		return false, err
	}
	added := false
	err = s.call(ctx, "add", func() error {
		item := &memcache.Item{Key: mkey, Value: value, Expiration: expiration(ttl, s.now())}
		err := s.client.Add(item) // gocache has no add
		if errors.Is(err, memcache.ErrNotStored) {
			return nil // the key holds a value
		}
		added = err == nil
		return err
	})
	return added, err
}

// Delete removes the value stored under key. Deleting a key that holds
// nothing is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	return s.call(ctx, "delete", func() error {
		return s.gocache.Delete(ctx, safeKey(key))
	})
}

// Close closes the store's idle connections, and those of calls in flight as
// they end. Calls after Close fail with an error that wraps
// backends.ErrUnavailable. Close is idempotent.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("memcached: close: %w", err)
	}
	return nil
}

// call runs f, the I/O of the call named op, unless the store is closed or
// ctx is done, and maps its error to the sentinels of package backends.
func (s *Store) call(ctx context.Context, op string, f func() error) error {
	if err := s.checkCall(ctx, op); err != nil {
		return err
	}
	err := f()
	if s.closed.Load() {
		// Close ran during f, which has since put its connection back in the
		// client's pool: close it too.
		s.client.Close()
	}
	return callError(op, err)
}

// fit returns the key to send for key, or an error wrapping
// backends.ErrTooLarge when value does not fit in an item with it.
func (s *Store) fit(op, key string, value []byte) (string, error) {
	mkey := safeKey(key)
	if limit := s.maxValueSize(len(mkey)); len(value) > limit {
		return "", fmt.Errorf("memcached: %s: %w: %d bytes, limit %d for this key", op, backends.ErrTooLarge, len(value), limit)
	}
	return mkey, nil
}

// checkCall returns the error of a call named op that must not start because
// the store is closed or ctx is done. It does no I/O.
func (s *Store) checkCall(ctx context.Context, op string) error {
	if s.closed.Load() {
		return backends.Unavailable(fmt.Errorf("memcached: %s: %w", op, errClosed))
	}
	if err := ctx.Err(); err != nil {
		return backends.Unavailable(fmt.Errorf("memcached: %s: %w", op, err))
	}
	return nil
}

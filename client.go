package plugcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/envelope"
	"github.com/plugcache/plugcache/internal/memo"
)

// Sentinel errors of plugin clients; the same values as package backends', so
// errors.Is works across both.
var (
	ErrNotFound    = backends.ErrNotFound
	ErrTooLarge    = backends.ErrTooLarge
	ErrUnavailable = backends.ErrUnavailable
	// ErrCorrupt means the bytes stored under a key were not written by
	// plugcache, or were damaged. Get reports such a key as a miss.
	ErrCorrupt = envelope.ErrCorrupt
)

// Client is one plugin's cache: an isolated namespace in its store, like the
// client Backstage's CacheService gives each plugin. Keys of one plugin never
// meet another's, and Clear empties this plugin only. A Client is safe for
// concurrent use.
type Client struct {
	ns         *namespace
	defaultTTL time.Duration
}

// namespace is what every Client of one plugin shares.
type namespace struct {
	plugin  string
	store   backends.Store
	prefix  string // [namespace<sep>]<pluginId>@
	gen     generation
	limiter backends.Limiter // nil when the store has no size limit
	local   bool             // the store lives in this process: its bytes are shared, not copies
	// storeExpires is set when the store is Local and now is the real clock:
	// the store then enforces each entry's TTL itself (backends.Local), and
	// get need not read the clock to check the envelope's expiry again.
	storeExpires bool
	timeout      time.Duration // deadline for stores plugcache did not build; 0 for its own, which keep their own
	now          func() time.Time
	metrics      *nsMetrics   // nil without Options.Metrics
	closed       *atomic.Bool // the Manager's
	// memory is the store when it is a *ristretto.Store itself, built by
	// plugcache or given in Options, and not a wrapper whose Get or Set might
	// differ from the store's: get looks keys up in two parts (GetPrefixed),
	// without building prefix+key, and with the memo the store keeps beside
	// each value (internal/memo); set seals each value straight into the
	// store's copy of it (SetFill), which copies it once.
	memory *ristretto.Store
}

// SetOption changes one Set call.
type SetOption func(*setOptions)

type setOptions struct {
	ttl    time.Duration
	hasTTL bool
}

// WithTTL sets the entry's time to live, overriding the client's default TTL.
// Zero means no expiry.
func WithTTL(ttl time.Duration) SetOption {
	return func(o *setOptions) { o.ttl, o.hasTTL = ttl, true }
}

// Plugin returns the plugin ID the client serves.
func (c *Client) Plugin() string { return c.ns.plugin }

// DefaultTTL returns the TTL that Set uses when it is given none. Zero means no
// expiry.
func (c *Client) DefaultTTL() time.Duration { return c.defaultTTL }

// WithDefaultTTL returns a client of the same plugin and namespace whose Set
// uses ttl when it is given none, as Backstage's withOptions({defaultTtl})
// does. Zero means no expiry. c is unchanged.
func (c *Client) WithDefaultTTL(ttl time.Duration) *Client {
	return &Client{ns: c.ns, defaultTTL: ttl}
}

// Get returns the value stored under key and true, or false on a miss. An
// entry past its TTL is a miss, to the millisecond, on every store. A store
// that fails or times out gives a miss and an error wrapping ErrUnavailable;
// bytes that plugcache did not write give a miss and an error wrapping
// ErrCorrupt. The returned slice is the caller's own.
func (c *Client) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := c.ns.get(ctx, key)
	switch {
	case err == nil:
		if c.ns.local {
			v = bytes.Clone(v)
		}
		return v, true, nil
	case errors.Is(err, ErrNotFound):
		return nil, false, nil
	}
	return nil, false, err
}

// Set stores value under key for the TTL given WithTTL, or else the client's
// default TTL. A value the store cannot hold is refused with ErrTooLarge before
// anything is sent. The client keeps its own copy of value.
func (c *Client) Set(ctx context.Context, key string, value []byte, opts ...SetOption) error {
	o := setOptions{ttl: c.defaultTTL}
	for _, opt := range opts {
		opt(&o)
	}
	if o.ttl < 0 {
		return fmt.Errorf("plugcache: %s: set: negative TTL %v", c.ns.plugin, o.ttl)
	}
	return c.ns.set(ctx, key, value, o.ttl)
}

// Delete removes key. Deleting a missing key is not an error.
func (c *Client) Delete(ctx context.Context, key string) error {
	return c.ns.delete(ctx, key)
}

// Clear removes every entry of this plugin and no other's, on every store: it
// moves the plugin to a new generation of keys. Other processes sharing a
// network store see the Clear within a second; this process at once.
func (c *Client) Clear(ctx context.Context) (err error) {
	if c.ns.metrics != nil {
		defer c.ns.metrics.done(opClear, c.ns.metrics.now(), &err)
	}
	if c.ns.closed.Load() {
		return c.ns.fail("clear", errClosed)
	}
	ctx, cancel := c.ns.deadline(ctx)
	defer cancel()
	if err := c.ns.gen.bump(ctx); err != nil {
		return c.ns.fail("clear", err)
	}
	return nil
}

// MaxValueSize returns the largest value Set accepts under key, or -1 when the
// store sets no limit. It may ask the store for the plugin's generation.
func (c *Client) MaxValueSize(key string) int {
	if c.ns.limiter == nil {
		return -1
	}
	k, err := c.ns.storeKey(context.Background(), key)
	if err != nil {
		return 0
	}
	return c.ns.room(k)
}

// room is the largest value Set accepts under the store key k, of a store
// with a Limiter: the store's limit less the envelope.
func (ns *namespace) room(k string) int {
	return max(ns.limiter.MaxValueSize(k)-envelope.HeaderSize, 0)
}

func (ns *namespace) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if ns.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, ns.timeout)
}

func (ns *namespace) fail(op string, err error) error {
	return fmt.Errorf("plugcache: %s: %s: %w", ns.plugin, op, backends.Unavailable(err))
}

// keyPrefix is what the plugin's keys start with in the store now, or
// errClosed once the Manager is closed: a store given in Options outlives the
// Manager, but its clients must stop with the Manager all the same.
func (ns *namespace) keyPrefix(ctx context.Context) (string, error) {
	if ns.closed.Load() {
		return "", errClosed
	}
	return ns.gen.keyPrefix(ctx)
}

// storeKey is the key under which key lives in the store.
func (ns *namespace) storeKey(ctx context.Context, key string) (string, error) {
	prefix, err := ns.keyPrefix(ctx)
	if err != nil {
		return "", err
	}
	return prefix + key, nil
}

// get returns the stored value, which aliases the store's bytes for local
// stores, or ErrNotFound.
func (ns *namespace) get(ctx context.Context, key string) ([]byte, error) {
	v, _, _, err := ns.read(ctx, key, false)
	return v, err
}

// getWithTTL is get, with the time the entry has left (zero for none).
func (ns *namespace) getWithTTL(ctx context.Context, key string) ([]byte, time.Duration, error) {
	v, left, _, err := ns.read(ctx, key, true)
	return v, left, err
}

// getMemo is get, with the memo the store keeps beside the value, or nil.
func (ns *namespace) getMemo(ctx context.Context, key string) ([]byte, *memo.Memo, error) {
	v, _, m, err := ns.read(ctx, key, false)
	return v, m, err
}

// read is get, with the memo of a local store that keeps one, and
// getWithTTL when wantLeft is set.
func (ns *namespace) read(ctx context.Context, key string, wantLeft bool) (_ []byte, _ time.Duration, _ *memo.Memo, err error) {
	if ns.metrics != nil {
		defer ns.metrics.done(opGet, ns.metrics.now(), &err)
	}
	ctx, cancel := ns.deadline(ctx)
	defer cancel()
	prefix, err := ns.keyPrefix(ctx)
	if err != nil {
		return nil, 0, nil, ns.fail("get", err)
	}
	var b []byte
	var m *memo.Memo
	if ns.memory != nil {
		b, m, err = ns.memory.GetPrefixed(ctx, prefix, key)
	} else {
		b, err = ns.store.Get(ctx, prefix+key)
	}
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, 0, nil, err
		}
		return nil, 0, nil, ns.fail("get", err)
	}
	open := envelope.Open
	if ns.local {
		open = envelope.OpenLocal // the bytes never left this process
	}
	v, expires, err := open(b)
	switch {
	case errors.Is(err, envelope.ErrOtherVersion):
		return nil, 0, nil, ErrNotFound // another plugcache's value, during an upgrade: this one's Set replaces it
	case err != nil:
		return nil, 0, nil, fmt.Errorf("plugcache: %s: get: %w", ns.plugin, err)
	}
	var left time.Duration
	if !expires.IsZero() && (wantLeft || !ns.storeExpires) {
		if left = expires.Sub(ns.now()); left <= 0 {
			return nil, 0, nil, ErrNotFound
		}
	}
	return v, left, m, nil
}

func (ns *namespace) set(ctx context.Context, key string, value []byte, ttl time.Duration) (err error) {
	if ns.metrics != nil {
		defer ns.metrics.set(ns.metrics.now(), len(value), &err)
	}
	ctx, cancel := ns.deadline(ctx)
	defer cancel()
	k, err := ns.storeKey(ctx, key)
	if err != nil {
		return ns.fail("set", err)
	}
	// A value past the store's limit is refused here, before Seal copies it:
	// at redis's half GiB, the copy alone would cost more than the call.
	if ns.limiter != nil {
		if room := ns.room(k); len(value) > room {
			return fmt.Errorf("plugcache: %s: set: value of %d bytes is over the %d the store takes under this key: %w", ns.plugin, len(value), room, ErrTooLarge)
		}
	}
	var expires time.Time
	if ttl > 0 {
		expires = ns.now().Add(ttl)
	}
	size := envelope.HeaderSize + len(value)
	if ns.memory != nil {
		err = ns.memory.SetFill(ctx, k, size, func(dst []byte) []byte { return envelope.Seal(dst, value, expires) }, ttl)
	} else {
		err = ns.store.Set(ctx, k, envelope.Seal(make([]byte, 0, size), value, expires), ttl)
	}
	// A Store without a Limiter refuses a value it cannot hold with
	// ErrTooLarge before sending anything (backends.Store).
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return fmt.Errorf("plugcache: %s: set: %w", ns.plugin, err)
		}
		return ns.fail("set", err)
	}
	return nil
}

func (ns *namespace) delete(ctx context.Context, key string) (err error) {
	if ns.metrics != nil {
		defer ns.metrics.done(opDelete, ns.metrics.now(), &err)
	}
	ctx, cancel := ns.deadline(ctx)
	defer cancel()
	k, err := ns.storeKey(ctx, key)
	if err != nil {
		return ns.fail("delete", err)
	}
	if err := ns.store.Delete(ctx, k); err != nil && !errors.Is(err, ErrNotFound) {
		return ns.fail("delete", err)
	}
	return nil
}

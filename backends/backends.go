// Package backends defines the byte-level Store that every cache backend implements.
//
// A Store deals in keys and bytes, never in HTTP: the built-in stores live in the
// subpackages ristretto, memcached and redis; package gocache adapts any
// github.com/eko/gocache store in both directions; and storetest holds the
// acceptance suite that every Store passes.
//
//	s, err := ristretto.New(ristretto.Options{MaxCost: 64 << 20})
//	defer s.Close()
//	err := s.Set(ctx, "k", []byte("v"), time.Minute)
//	v, err := s.Get(ctx, "k") // errors.Is(err, backends.ErrNotFound) on a miss
package backends

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/plugcache/plugcache/internal/storeerr"
)

// Store is a byte-level cache store. Implementations are safe for concurrent use.
//
// Get returns ErrNotFound when the key holds nothing. The store never modifies
// a value once Get has returned it, so that callers may keep and share those
// bytes, as the HTTP cache does with the header fields of a hit: a network
// store's client reads each value into a new slice, and an in-process store
// keeps its own copy, which it replaces rather than updates. Set never
// modifies the value it is given. Set refuses a value that the
// store cannot hold with ErrTooLarge, before sending anything. Deleting a missing
// key is not an error. A store that cannot be reached, or does not answer in time
// (by the context's deadline, or by the store's own timeout where its client
// takes no context), returns an error that wraps ErrUnavailable, as do calls
// after Close. Close is idempotent. Keys may be any string: a store whose server
// limits keys (memcached) maps the ones it cannot take to safe keys, and never
// lets two different keys meet.
//
// The ttl passed to Set bounds how long the store keeps the value; zero means no
// expiry; a negative ttl is a caller's mistake that stores may refuse. Stores may round it
// (memcached keeps whole seconds), so callers that need exact expiry keep their
// own expiry time inside the value.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Delete(ctx context.Context, key string) error
	Close() error
}

// Sentinel errors that Store implementations return or wrap. Test them with errors.Is.
// They are the same values as package middleware's, so either package's can
// be tested against a store's errors.
var (
	// ErrNotFound means the key holds no value: a cache miss.
	ErrNotFound = storeerr.ErrNotFound
	// ErrTooLarge means the value (or key and value) exceeds what the store can hold.
	ErrTooLarge = storeerr.ErrTooLarge
	// ErrUnavailable means the store could not be reached or did not answer in time.
	ErrUnavailable = storeerr.ErrUnavailable
)

// Adder is implemented by stores that can write a key only when it is absent,
// atomically, as memcached's add and redis's SET NX do.
type Adder interface {
	// Add stores value under key if the key holds nothing, and reports whether
	// it did: a key that already holds a value gives (false, nil). ttl is as in
	// Store.Set.
	Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
}

// Limiter is implemented by stores that cannot hold values past a fixed size.
type Limiter interface {
	// MaxValueSize is the largest value, in bytes, that Set accepts for key,
	// the caller's key, with any remapping of it accounted for. Longer keys
	// may leave less room.
	MaxValueSize(key string) int
}

// Clearer is implemented by stores that can drop every entry they hold. A store
// whose server may be shared with other applications (memcached's flush_all,
// redis's FLUSHALL) must not implement it. plugcache never uses it to clear one
// plugin's entries: it does that by generation.
type Clearer interface {
	Clear(ctx context.Context) error
}

// Local is implemented by stores that live inside this process, such as the
// ristretto store. Their state is not shared with other processes, so plugcache
// keeps their plugin generations in memory rather than in the store itself.
//
// A Local store's bytes never cross a network or a disk, so callers need not
// check their checksums. Its Get must never return a value past the ttl it
// was Set with, so that a plugin client need not check each value's expiry
// against the clock a second time.
type Local interface {
	Local() bool
}

// Counters is implemented by Local stores that keep named counters beside
// their entries, for the code that uses them. plugcache keeps each plugin's
// generation there, so that every Manager over one store agrees on it, and a
// Clear made through one Manager holds for the others, and for a Manager
// opened later over the same store.
//
// Counter returns the counter named name, at zero when first asked for, and
// the same counter for the same name ever after; or nil when the store keeps
// no counters after all (a wrapper whose own store keeps none).
type Counters interface {
	Counter(name string) *atomic.Uint64
}

// Unavailable wraps err so that errors.Is(err, ErrUnavailable) holds, keeping
// err's own message and chain. It returns nil for a nil err and leaves errors
// that already wrap a sentinel of this package alone.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrTooLarge) {
		return err
	}
	return &unavailableError{err}
}

type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return "store unavailable: " + e.err.Error() }
func (e *unavailableError) Unwrap() []error {
	return []error{ErrUnavailable, e.err}
}

package middleware

import (
	"context"
	"time"

	"github.com/plugcache/plugcache/internal/storeerr"
)

// Store is what the cache keeps responses in: bytes under string keys. Any
// backends.Store satisfies it, and so does a plugcache plugin client's Store.
// Implementations must be safe for concurrent use.
//
// Get returns an error wrapping ErrNotFound on a miss; any other error is a
// store failure, which the cache treats as a miss and reports. The slice Get
// returns must never be modified afterwards, by the store or anyone else:
// the cache serves header values that share it. A network client's value,
// read into a new slice, is never touched again; an in-process store shares
// one slice, never changed, among the readers of a key. Set never modifies
// the value it is given either: the cache shares it with the requests
// waiting on the fetch that stored it. A store that also has a method
// Local() bool reporting true (backends.Local: its bytes never leave the
// process) spares the cache checking each entry's checksum. A
// store with a method Checksummed() bool reporting true verifies each value's
// integrity itself before Get returns it, as a plugcache plugin client's Store
// does, which also spares the cache the entry's checksum. A Local store that
// keeps a memo beside each value, as the memory store does
// (backends/ristretto.Store.GetMemo), lets the cache decode a value on its
// first hit only.
// Set's ttl is how long the store may keep the bytes; the cache keeps its own
// times inside them. Delete of a missing key is not an error.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Delete(ctx context.Context, key string) error
}

// Errors a Store returns. They are the same values as package backends', so a
// backends.Store's errors test true against them.
var (
	// ErrNotFound means the key holds nothing: a miss.
	ErrNotFound = storeerr.ErrNotFound
	// ErrTooLarge means the store refused a value as too large.
	ErrTooLarge = storeerr.ErrTooLarge
	// ErrUnavailable means the store could not be reached in time.
	ErrUnavailable = storeerr.ErrUnavailable
	// ErrCorrupt means the bytes under a key are damaged or not an entry, as
	// a plugcache plugin client's Store reports for a value whose checksum
	// fails. The cache takes it for a miss, not a store failure.
	ErrCorrupt = storeerr.ErrCorrupt
)

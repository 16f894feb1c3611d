package ristretto

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/dgraph-io/ristretto/v2"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/memo"
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// MaxCost bounds the memory the cached entries take: an entry costs
	// len(key)+len(value) plus EntryOverhead, for ristretto's bookkeeping
	// and the allocator's rounding, so that the heap the store holds stays
	// near MaxCost even for small values. Readers' memos (GetMemo, GetPrefixed) take at
	// most MaxCost/16 more. A MaxCost larger than memory is allowed, as
	// for "no limit": the admission policy's counters, which New allocates
	// up front, stop growing at 64 MiB, reached at a MaxCost of about
	// 1.6 GiB. Default: 64 MiB. Zero means the default.
	MaxCost int64
	// Stats makes the store count what Stats reports beyond Cost: hits,
	// misses, admissions, rejections and removals. The counters are shared
	// by every core, so each Get pays for them in contention: about 1.5% of
	// an HTTP hit's throughput on two cores. Off, Stats reports Cost only.
	Stats bool
}

// EntryOverhead is what an entry costs beyond the bytes of its key and value:
// ristretto's item, map slot and policy counters, the key's 8-byte conflict
// hash kept with the value, and the size class Go
// rounds a value up to. Measured with benchmarks/ (memory bound): about 430
// bytes an entry at 1 KiB values, of which this charges the part that does
// not shrink with the value.
const EntryOverhead = 256

// Settings of the ristretto cache that a Store does not expose.
const (
	defaultMaxCost = 64 << 20
	// avgEntryCost is the entry size assumed to size the admission policy's
	// frequency counters, which ristretto wants at 10 per entry.
	avgEntryCost = 1 << 10
	minCounters  = 10_000
	// maxCounters caps the counters, which ristretto allocates up front at
	// about 4 bytes each (the count-min sketch and its doorkeeper bloom
	// filter): 64 MiB at most, reached at a MaxCost of about 1.6 GiB. A
	// large in-process cache is legitimate, and a MaxCost written as "no
	// limit" is common, but sizing counters from it would allocate tens of
	// GiB for 1 TiB and make ristretto panic for 1 EiB. Past the cap each
	// counter stands for more entries, and admission decisions get coarser,
	// not wrong.
	maxCounters = 1 << 24
	bufferItems = 64
	// memoShare is the share of MaxCost, 1/memoShare, that memos may take.
	memoShare = 16
)

var (
	_ backends.Store    = (*Store)(nil)
	_ backends.Clearer  = (*Store)(nil)
	_ backends.Local    = (*Store)(nil)
	_ backends.Counters = (*Store)(nil)
	_ backends.Limiter  = (*Store)(nil)
)

// errClosed is what calls on a closed Store return.
var errClosed = fmt.Errorf("ristretto: store closed: %w", backends.ErrUnavailable)

// Store is a backends.Store held in this process's memory. It is safe for
// concurrent use. Create it with New: the zero Store is not usable.
//
// Besides backends.Store it implements backends.Clearer, backends.Local,
// backends.Counters and backends.Limiter, and its GetWithTTL serves gocache.NewStore.
type Store struct {
	maxCost int64
	cache   *ristretto.Cache[uint64, item] // keyed by keyHashes
	memos   *memo.Budget

	// guard guards closed and base. Close and Clear hold it exclusively,
	// because ristretto does not allow them while any other call is inside
	// the cache.
	guard  guard
	closed bool
	base   Stats // counters carried over from before the last Clear

	counters counters
}

// New returns a Store holding up to opts.MaxCost bytes of keys and values. It
// returns an error when MaxCost is negative.
func New(opts Options) (*Store, error) {
	maxCost := opts.MaxCost
	switch {
	case maxCost < 0:
		return nil, fmt.Errorf("ristretto: Options.MaxCost: must be >= 0, got %d", maxCost)
	case maxCost == 0:
		maxCost = defaultMaxCost
	}
	cache, err := ristretto.NewCache(&ristretto.Config[uint64, item]{
		NumCounters:        min(max(maxCost/avgEntryCost*10, minCounters), maxCounters),
		MaxCost:            maxCost,
		BufferItems:        bufferItems,
		Metrics:            opts.Stats, // ristretto's metrics are what Stats reads
		IgnoreInternalCost: true,       // costs are bytes of keys and values
		// However a value leaves (replaced, deleted, evicted, expired,
		// refused, cleared), its memo gives its bytes back.
		OnExit: func(it item) { it.memo.Release() },
	})
	if err != nil {
		return nil, fmt.Errorf("ristretto: %w", err)
	}
	return &Store{maxCost: maxCost, cache: cache, guard: newGuard(), memos: memo.NewBudget(maxCost / memoShare)}, nil
}

// item is what the cache holds under a key's hash: the key's conflict hash
// (keyHashes) and the value, in one slice, and the memo the value's readers
// keep beside it. A slice header and a pointer: ristretto copies an item of 32
// bytes in registers, and one of 40, with the conflict hash in a field of its
// own, made a Get take twice as long.
type item struct {
	stored []byte // the conflict hash, in conflictSize bytes, then the value
	memo   *memo.Memo
}

const conflictSize = 8

// newItem returns the item holding the bytes that fill appends, under a key
// whose conflict hash is conflict, with an empty memo drawing on budget. ok is
// false, and the item empty, unless fill appended size bytes and left the
// conflict hash before them alone; returned is then the length of what fill
// returned, for the caller's error.
func newItem(conflict uint64, size int, fill func(dst []byte) []byte, budget *memo.Budget) (it item, returned int, ok bool) {
	stored := fill(binary.LittleEndian.AppendUint64(make([]byte, 0, conflictSize+size), conflict))
	if len(stored) != conflictSize+size || binary.LittleEndian.Uint64(stored) != conflict {
		return item{}, len(stored), false
	}
	return item{stored, memo.New(budget)}, len(stored), true
}

// of reports whether it holds the value of the key with conflict hash
// conflict, and returns that value.
func (it item) of(conflict uint64) ([]byte, bool) {
	if len(it.stored) < conflictSize || binary.LittleEndian.Uint64(it.stored) != conflict {
		return nil, false
	}
	return it.stored[conflictSize:], true
}

// Get returns the value stored under key, or an error wrapping
// backends.ErrNotFound. The slice is the store's own: the caller must not modify
// it. Get does no I/O, so it ignores ctx, and it adds no allocation to
// ristretto's own.
func (s *Store) Get(_ context.Context, key string) ([]byte, error) {
	v, _, err := s.lookup(keyHashes("", key))
	return v, err
}

// GetMemo is Get, with the memo kept beside the value: a slot where a reader
// keeps what it derived from these bytes (the HTTP cache keeps the decoded
// response), so that the next Get of the same value skips that work. A new
// value under key comes with an empty memo. The memos of all values take at
// most MaxCost/16 bytes; past that, Store on a memo keeps nothing.
func (s *Store) GetMemo(_ context.Context, key string) ([]byte, *memo.Memo, error) {
	return s.lookup(keyHashes("", key))
}

// GetPrefixed is GetMemo for the key prefix+key, without building that
// string: a plugin's client keeps its entries under its namespace's prefix,
// and looks them up so on every hit.
func (s *Store) GetPrefixed(_ context.Context, prefix, key string) ([]byte, *memo.Memo, error) {
	return s.lookup(keyHashes(prefix, key))
}

// lookup is Get, GetMemo and GetPrefixed: the value and memo of the key with
// hashes hash and conflict, or an error.
func (s *Store) lookup(hash, conflict uint64) ([]byte, *memo.Memo, error) {
	call := s.guard.share()
	it, ok := s.cache.Get(hash)
	closed := s.closed
	s.guard.done(call)
	if v, mine := it.of(conflict); ok && mine {
		return v, it.memo, nil
	}
	if closed {
		return nil, nil, errClosed
	}
	return nil, nil, backends.ErrNotFound
}

// GetWithTTL is Get that also returns how long the value has left to live.
// Zero means the value does not expire.
func (s *Store) GetWithTTL(_ context.Context, key string) ([]byte, time.Duration, error) {
	defer s.guard.done(s.guard.share())
	if s.closed {
		return nil, 0, errClosed
	}
	hash, conflict := keyHashes("", key)
	it, _ := s.cache.Get(hash)
	v, ok := it.of(conflict)
	if !ok {
		return nil, 0, backends.ErrNotFound
	}
	ttl, ok := s.cache.GetTTL(hash)
	if !ok { // expired or deleted since the Get
		return nil, 0, backends.ErrNotFound
	}
	return v, ttl, nil
}

// Set stores a copy of value under key for ttl, so the caller may reuse value
// once Set returns. Zero ttl means no expiry; a negative ttl is an error. Set
// returns an error wrapping backends.ErrTooLarge, and stores nothing, when
// the entry's cost, len(key)+len(value)+EntryOverhead, exceeds MaxCost.
//
// Set waits until ristretto has applied the write, so that a Get after Set
// returns sees it, unless the admission policy refused the entry or evicted it
// already: under memory pressure a Get right after Set can miss. Set ignores
// ctx, as it does no I/O.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return s.SetFill(ctx, key, len(value), func(dst []byte) []byte { return append(dst, value...) }, ttl)
}

// SetFill is Set of the size bytes that fill appends to dst, memory of the
// store's own with room for them. A caller that builds the value it stores, as
// a plugin client seals each value in an envelope, builds it there, and the
// value is copied once rather than twice.
//
// fill must append exactly size bytes to dst and change nothing before them,
// or SetFill stores nothing and returns an error; and it must not keep dst,
// which becomes the slice every Get of the value returns. A size past
// MaxValueSize(key) is refused, as Set refuses such a value, before fill runs.
func (s *Store) SetFill(_ context.Context, key string, size int, fill func(dst []byte) []byte, ttl time.Duration) error {
	switch {
	case ttl < 0:
		return fmt.Errorf("ristretto: ttl must be >= 0, got %v", ttl)
	case size < 0:
		return fmt.Errorf("ristretto: SetFill of %q: negative size %d", key, size)
	case size > s.MaxValueSize(key):
		return fmt.Errorf("ristretto: key and value of %d bytes, with %d of overhead, exceed MaxCost of %d: %w", len(key)+size, EntryOverhead, s.maxCost, backends.ErrTooLarge)
	}
	hash, conflict := keyHashes("", key)
	// fill runs before the guard is taken, so that a slow fill never holds
	// off Close; on a closed store its work is thrown away.
	it, returned, ok := newItem(conflict, size, fill, s.memos)
	if !ok {
		return fmt.Errorf("ristretto: SetFill of %q: fill returned %d bytes, or changed the %d it was given; want those and %d more", key, returned, conflictSize, size)
	}
	defer s.guard.done(s.guard.share())
	if s.closed {
		return errClosed
	}
	s.cache.SetWithTTL(hash, it, int64(len(key)+size)+EntryOverhead, ttl) // false only when contention dropped it: Stats.Drops
	s.cache.Wait()
	return nil
}

// Delete removes the value stored under key, if any. It ignores ctx.
func (s *Store) Delete(_ context.Context, key string) error {
	defer s.guard.done(s.guard.share())
	if s.closed {
		return errClosed
	}
	// The entry under key's hash may be another key's whose hash is the
	// same: dropping it too costs that key one miss.
	hash, _ := keyHashes("", key)
	s.cache.Del(hash)
	return nil
}

// Clear drops every entry, waiting for calls in progress to finish first. It
// implements backends.Clearer and ignores ctx.
func (s *Store) Clear(context.Context) error {
	s.guard.lock()
	defer s.guard.unlock()
	if s.closed {
		return errClosed
	}
	s.base = s.retire()
	s.cache.Clear()
	return nil
}

// Close drops every entry and stops the cache's goroutines, waiting for calls
// in progress to finish first. Later calls return an error wrapping
// backends.ErrUnavailable, except Close, which does nothing, and Stats, which
// returns the final counters.
func (s *Store) Close() error {
	s.guard.lock()
	defer s.guard.unlock()
	if s.closed {
		return nil
	}
	s.base = s.retire()
	s.closed = true
	s.cache.Close()
	return nil
}

// Local reports true: the store lives in this process. It implements
// backends.Local.
func (s *Store) Local() bool { return true }

// MaxValueSize returns the largest value Set accepts for key: MaxCost less
// len(key) and EntryOverhead. It is negative when those alone exceed
// MaxCost. It implements
// backends.Limiter.
func (s *Store) MaxValueSize(key string) int {
	n := s.maxCost - int64(len(key)) - EntryOverhead
	return int(min(max(n, -1), math.MaxInt))
}

package ristretto

import (
	"bytes"
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		New: func(t *testing.T) backends.Store { return newTestStore(t, Options{}) },
	})
}

// newTestStore returns a Store made with opts, closed when the test ends.
func newTestStore(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New(%+v): got error %v, want nil", opts, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestNew(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		wantMaxCost int64
		wantErr     bool
	}{
		{"zero MaxCost means 64 MiB", Options{}, 64<<20 - EntryOverhead, false},
		{"MaxCost is kept", Options{MaxCost: 1000}, 1000 - EntryOverhead, false},
		{"a MaxCost below one entry's overhead is allowed, and holds nothing", Options{MaxCost: 1}, -1, false},
		{"negative MaxCost is an error", Options{MaxCost: -1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.opts)
			if tt.wantErr {
				if err == nil || !strings.HasPrefix(err.Error(), "ristretto: Options.MaxCost:") {
					t.Errorf("New(%+v): got error %v, want one naming ristretto: Options.MaxCost", tt.opts, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%+v): got error %v, want nil", tt.opts, err)
			}
			defer s.Close()
			if got := s.MaxValueSize(""); int64(got) != tt.wantMaxCost {
				t.Errorf("MaxValueSize(\"\"): got %d, want %d", got, tt.wantMaxCost)
			}
		})
	}
}

// TestNewWithLargeMaxCost checks that a MaxCost far past any machine's
// memory, as people write for "no limit", makes a working store without
// allocating counters in proportion to it.
func TestNewWithLargeMaxCost(t *testing.T) {
	// The capped counters take 64 MiB; the rest is ristretto's buffers.
	const allocLimit = 96 << 20
	tests := []struct {
		name    string
		maxCost int64
	}{
		{"1 TiB allocates no more counters than 1.6 GiB does", 1 << 40},
		{"1 EiB makes a store rather than panicking", 1 << 60},
		{"the largest int64 makes a store", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			s := newTestStore(t, Options{MaxCost: tt.maxCost})
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > allocLimit {
				t.Errorf("New allocated %d MiB, want at most %d MiB", got>>20, allocLimit>>20)
			}
			if got, want := int64(s.MaxValueSize("")), tt.maxCost-EntryOverhead; got != want {
				t.Errorf("MaxValueSize(\"\"): got %d, want %d", got, want)
			}
			if err := s.Set(t.Context(), "k", []byte("v"), 0); err != nil {
				t.Fatalf("Set: got error %v, want nil", err)
			}
			if got, err := s.Get(t.Context(), "k"); err != nil || string(got) != "v" {
				t.Errorf("Get: got %q, %v, want \"v\", nil", got, err)
			}
		})
	}
}

func TestSetSize(t *testing.T) {
	const room = 100 // MaxCost less EntryOverhead
	const maxCost = room + EntryOverhead
	tests := []struct {
		name     string
		key      string
		valueLen int
		wantErr  error
	}{
		{"key, value and overhead of exactly MaxCost are stored", "key", room - 3, nil},
		{"one byte past MaxCost is ErrTooLarge", "key", room - 2, backends.ErrTooLarge},
		{"a value of the whole room is ErrTooLarge once the key counts", "key", room, backends.ErrTooLarge},
		{"a key of the whole room with an empty value is stored", strings.Repeat("k", room), 0, nil},
		{"a key past the room is ErrTooLarge even with an empty value", strings.Repeat("k", room+1), 0, backends.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t, Options{MaxCost: maxCost}) // empty, so admission cannot refuse
			value := bytes.Repeat([]byte("v"), tt.valueLen)
			err := s.Set(t.Context(), tt.key, value, 0)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Set of %d+%d bytes: got error %v, want %v", len(tt.key), tt.valueLen, err, tt.wantErr)
			}
			got, err := s.Get(t.Context(), tt.key)
			if tt.wantErr != nil {
				if !errors.Is(err, backends.ErrNotFound) {
					t.Errorf("Get after a refused Set: got %q, %v, want ErrNotFound", got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, value) {
				t.Errorf("Get: got %d bytes, %v, want %d bytes, nil", len(got), err, len(value))
			}
		})
	}
}

func TestMaxValueSize(t *testing.T) {
	s := newTestStore(t, Options{MaxCost: 100 + EntryOverhead})
	tests := []struct {
		name string
		key  string
		want int
	}{
		{"the empty key leaves MaxCost less the overhead", "", 100},
		{"the key's bytes come off too", "key", 97},
		{"a key of the rest leaves room for an empty value", strings.Repeat("k", 100), 0},
		{"a key past the rest leaves no room, not even for an empty value", strings.Repeat("k", 150), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.MaxValueSize(tt.key); got != tt.want {
				t.Errorf("MaxValueSize of a %d-byte key: got %d, want %d", len(tt.key), got, tt.want)
			}
		})
	}
}

func TestSetCopiesValue(t *testing.T) {
	s := newTestStore(t, Options{})
	value := []byte("original")
	if err := s.Set(t.Context(), "k", value, 0); err != nil {
		t.Fatalf("Set: got error %v, want nil", err)
	}
	copy(value, "mutated!")
	if got, err := s.Get(t.Context(), "k"); err != nil || string(got) != "original" {
		t.Errorf("Get after the caller reused its slice: got %q, %v, want \"original\", nil", got, err)
	}
}

func TestSetNegativeTTL(t *testing.T) {
	s := newTestStore(t, Options{})
	err := s.Set(t.Context(), "k", []byte("v"), -time.Second)
	if err == nil || !strings.HasPrefix(err.Error(), "ristretto: ") {
		t.Errorf("Set with ttl -1s: got error %v, want a ristretto: error", err)
	}
}

func TestGetWithTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(Options{})
		if err != nil {
			t.Fatalf("New: got error %v, want nil", err)
		}
		defer s.Close()
		ctx := t.Context()
		if err := s.Set(ctx, "expiring", []byte("v"), time.Minute); err != nil {
			t.Fatalf("Set: got error %v, want nil", err)
		}
		if err := s.Set(ctx, "lasting", []byte("v"), 0); err != nil {
			t.Fatalf("Set: got error %v, want nil", err)
		}

		tests := []struct {
			name    string
			sleep   time.Duration // before the Get, after the previous row's
			key     string
			wantTTL time.Duration
			wantErr error
		}{
			{"the ttl is the one Set gave", 0, "expiring", time.Minute, nil},
			{"the ttl counts down", 20 * time.Second, "expiring", 40 * time.Second, nil},
			{"no expiry is ttl 0", 0, "lasting", 0, nil},
			{"past the ttl the value is gone", 41 * time.Second, "expiring", 0, backends.ErrNotFound},
			{"a value without ttl stays", time.Hour, "lasting", 0, nil},
			{"a missing key is ErrNotFound", 0, "never set", 0, backends.ErrNotFound},
		}
		for _, tt := range tests {
			time.Sleep(tt.sleep)
			_, ttl, err := s.GetWithTTL(ctx, tt.key)
			if ttl != tt.wantTTL || !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: GetWithTTL(%q): got %v, %v, want %v, %v", tt.name, tt.key, ttl, err, tt.wantTTL, tt.wantErr)
			}
		}
	})
}

func TestClear(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := t.Context()
	for _, key := range []string{"a", "b", "c"} {
		if err := s.Set(ctx, key, []byte(key), 0); err != nil {
			t.Fatalf("Set(%q): got error %v, want nil", key, err)
		}
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatalf("Clear: got error %v, want nil", err)
	}
	if err := s.Set(ctx, "d", []byte("d"), 0); err != nil {
		t.Fatalf("Set(\"d\") after Clear: got error %v, want nil", err)
	}

	tests := []struct {
		name    string
		key     string
		wantErr error
	}{
		{"a key set before Clear is gone", "a", backends.ErrNotFound},
		{"every key set before Clear is gone", "c", backends.ErrNotFound},
		{"a key set after Clear is kept", "d", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Get(ctx, tt.key)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Get(%q): got error %v, want %v", tt.key, err, tt.wantErr)
			}
		})
	}
}

func TestClosed(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	if err := s.Set(t.Context(), "k", []byte("v"), 0); err != nil {
		t.Fatalf("Set: got error %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}

	tests := []struct {
		name    string
		call    func(ctx context.Context) error
		wantErr error
	}{
		{"Get after Close is ErrUnavailable", func(ctx context.Context) error {
			_, err := s.Get(ctx, "k")
			return err
		}, backends.ErrUnavailable},
		{"GetWithTTL after Close is ErrUnavailable", func(ctx context.Context) error {
			_, _, err := s.GetWithTTL(ctx, "k")
			return err
		}, backends.ErrUnavailable},
		{"Set after Close is ErrUnavailable", func(ctx context.Context) error {
			return s.Set(ctx, "k", []byte("v"), 0)
		}, backends.ErrUnavailable},
		{"Delete after Close is ErrUnavailable", func(ctx context.Context) error {
			return s.Delete(ctx, "k")
		}, backends.ErrUnavailable},
		{"Clear after Close is ErrUnavailable", s.Clear, backends.ErrUnavailable},
		{"a second Close does nothing", func(context.Context) error { return s.Close() }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(t.Context())
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// errAny stands for any error in a test's table.
var errAny = errors.New("any error")

// TestSetFill checks that SetFill stores what fill appends when that is the
// size it was given, and stores nothing otherwise.
func TestSetFill(t *testing.T) {
	const maxCost = 1 << 20
	limit := int(maxCost - int64(len("k")) - EntryOverhead) // MaxValueSize("k")
	appending := func(s string) func([]byte) []byte {
		return func(dst []byte) []byte { return append(dst, s...) }
	}
	tests := []struct {
		name    string
		size    int
		fill    func([]byte) []byte
		want    string // what Get returns after, when SetFill succeeds
		wantErr error  // nil, ErrTooLarge, or errAny
	}{
		{"fill appends size bytes: stored", 5, appending("hello"), "hello", nil},
		{"an empty value: stored", 0, appending(""), "", nil},
		{"fill appends fewer bytes: refused", 5, appending("hell"), "", errAny},
		{"fill appends more bytes: refused", 5, appending("hello!"), "", errAny},
		{"fill returns less than it was given: refused", 5, func(dst []byte) []byte { return dst[:2] }, "", errAny},
		{"fill overwrites what it was given: refused", 5, func(dst []byte) []byte { return append(dst[:0], "12345678hello"...) }, "", errAny},
		{"a negative size: refused", -9, appending(""), "", errAny},
		{"a size past MaxValueSize: refused", 1 << 20, appending(""), "", backends.ErrTooLarge},
		{"a size of MaxValueSize: stored", limit, appending(strings.Repeat("v", limit)), strings.Repeat("v", limit), nil},
		{"a size one past MaxValueSize: refused", limit + 1, appending(strings.Repeat("v", limit+1)), "", backends.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			s := newTestStore(t, Options{MaxCost: maxCost})
			if got := s.MaxValueSize("k"); got != limit {
				t.Fatalf("MaxValueSize: got %d, want %d", got, limit)
			}
			err := s.SetFill(ctx, "k", tt.size, tt.fill, 0)
			switch {
			case tt.wantErr == nil && err != nil, tt.wantErr != nil && err == nil:
				t.Fatalf("SetFill: got error %v, want %v", err, tt.wantErr)
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("SetFill: got error %v, want %v", err, tt.wantErr)
			}
			got, err := s.Get(ctx, "k")
			switch {
			case tt.wantErr != nil && !errors.Is(err, backends.ErrNotFound):
				t.Errorf("Get after a refused SetFill: got %q, %v; want ErrNotFound", got, err)
			case tt.wantErr == nil && (err != nil || string(got) != tt.want):
				t.Errorf("Get: got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestCloseDuringCalls is meant for the race detector: ristretto panics when
// closed while a call is inside it, which Store's lock prevents.
func TestCloseDuringCalls(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	ctx := t.Context()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				var err error
				switch (g + i) % 4 {
				case 0:
					err = s.Set(ctx, "k", []byte("v"), 0)
				case 1:
					err = s.Delete(ctx, "k")
				case 2:
					err = s.Clear(ctx)
				default:
					_, err = s.Get(ctx, "k")
				}
				if err != nil && !errors.Is(err, backends.ErrNotFound) && !errors.Is(err, backends.ErrUnavailable) {
					t.Errorf("goroutine %d, call %d: got error %v, want nil, ErrNotFound or ErrUnavailable", g, i, err)
					return
				}
			}
		})
	}
	time.Sleep(time.Millisecond)
	if err := s.Close(); err != nil {
		t.Errorf("Close: got error %v, want nil", err)
	}
	wg.Wait()
}

func TestStats(t *testing.T) {
	s := newTestStore(t, Options{Stats: true})
	ctx := t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
	}
	get := func(key string) { s.Get(ctx, key) }
	const o = EntryOverhead

	tests := []struct {
		name string
		do   func()
		want Stats
	}{
		{"a new Store has no activity", func() {}, Stats{}},
		{"Set admits an entry of len(key)+len(value)+EntryOverhead", func() {
			must(s.Set(ctx, "a", []byte("12345"), 0))
		}, Stats{Admissions: 1, CostAdded: 6 + o, Entries: 1, Cost: 6 + o}},
		{"Get counts hits and misses", func() {
			get("a")
			get("b")
			get("b")
		}, Stats{Hits: 1, Misses: 2, Admissions: 1, CostAdded: 6 + o, Entries: 1, Cost: 6 + o}},
		{"a Set of a held key is an update", func() {
			must(s.Set(ctx, "a", []byte("123"), 0))
		}, Stats{Hits: 1, Misses: 2, Admissions: 1, Updates: 1, CostAdded: 4 + o, Entries: 1, Cost: 4 + o}},
		{"Delete is a removal", func() {
			must(s.Delete(ctx, "a"))
			must(s.Set(ctx, "b", []byte("1"), 0)) // Set waits for the Delete to apply
		}, Stats{Hits: 1, Misses: 2, Admissions: 2, Updates: 1, Removals: 1, CostAdded: 6 + 2*o, CostRemoved: 4 + o, Entries: 1, Cost: 2 + o}},
		{"Clear removes every entry, and counters carry over", func() {
			must(s.Clear(ctx))
		}, Stats{Hits: 1, Misses: 2, Admissions: 2, Updates: 1, Removals: 2, CostAdded: 6 + 2*o, CostRemoved: 6 + 2*o}},
		{"counters go on from there after Clear", func() {
			must(s.Set(ctx, "c", []byte("1"), 0))
			get("c")
		}, Stats{Hits: 2, Misses: 2, Admissions: 3, Updates: 1, Removals: 2, CostAdded: 8 + 3*o, CostRemoved: 6 + 2*o, Entries: 1, Cost: 2 + o}},
		{"Close keeps the final counters", func() {
			must(s.Close())
		}, Stats{Hits: 2, Misses: 2, Admissions: 3, Updates: 1, Removals: 3, CostAdded: 8 + 3*o, CostRemoved: 8 + 3*o}},
	}
	for _, tt := range tests { // each row goes on from the previous one
		tt.do()
		if got := s.Stats(); got != tt.want {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestGetBesideClearAndClose runs Gets while the store is cleared and then
// closed: under -race nothing races, no Get panics, and every Get returns the
// value, a miss, or, once closed, ErrUnavailable.
func TestGetBesideClearAndClose(t *testing.T) {
	ctx := t.Context()
	s := newTestStore(t, Options{})
	if err := s.Set(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				v, err := s.Get(ctx, "k")
				if err != nil && !errors.Is(err, backends.ErrNotFound) && !errors.Is(err, backends.ErrUnavailable) {
					t.Errorf("Get: got %q, %v", v, err)
					return
				}
			}
		})
	}
	time.Sleep(10 * time.Millisecond)
	if err := s.Clear(ctx); err != nil {
		t.Error(err)
	}
	time.Sleep(10 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	time.Sleep(10 * time.Millisecond)
	close(stop)
	wg.Wait()
	if _, err := s.Get(ctx, "k"); !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("Get after Close: got %v, want ErrUnavailable", err)
	}
}

// TestStatsOffCountsCostOnly: without Options.Stats, Get pays for no shared
// counters, and Stats reports the cost held and nothing else.
func TestStatsOffCountsCostOnly(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := t.Context()
	if err := s.Set(ctx, "a", []byte("12345"), 0); err != nil {
		t.Fatal(err)
	}
	s.Get(ctx, "a")
	s.Get(ctx, "b")
	if got, want := s.Stats(), (Stats{Cost: 6 + EntryOverhead}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	s.Close()
	if got := s.Stats(); got != (Stats{}) {
		t.Errorf("after Close: got %+v, want zero", got)
	}
}

// TestMemo checks that a memo belongs to one stored value: Gets of the value
// share it, a new value gets an empty one, and however a value leaves, its
// memo's bytes go back to the budget.
func TestMemo(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, Options{MaxCost: 16 << 10})
	full := s.memos.Left()
	if full != 1<<10 {
		t.Fatalf("memo budget: got %d, want MaxCost/16 = %d", full, 1<<10)
	}
	getMemo := func(key string) []any {
		t.Helper()
		_, m, err := s.GetMemo(ctx, key)
		if err != nil {
			t.Fatalf("GetMemo(%q): got error %v, want nil", key, err)
		}
		return []any{m, m.Load()}
	}
	mustSet := func(key, value string) {
		t.Helper()
		if err := s.Set(ctx, key, []byte(value), 0); err != nil {
			t.Fatalf("Set(%q): got error %v, want nil", key, err)
		}
	}

	mustSet("a", "v1")
	first := getMemo("a")
	if first[1] != nil {
		t.Fatalf("a new value's memo holds %v, want nothing", first[1])
	}
	_, m, _ := s.GetMemo(ctx, "a")
	if !m.Store("decoded v1", 100) {
		t.Fatal("Store within the budget: got false")
	}
	if got := getMemo("a"); got[0] != first[0] || got[1] != "decoded v1" {
		t.Errorf("a second Get of the same value: got memo %v holding %v, want the first, holding %q", got[0], got[1], "decoded v1")
	}

	mustSet("a", "v2") // replaced: the old memo is released
	if got := getMemo("a"); got[0] == first[0] || got[1] != nil {
		t.Errorf("a new value under the key: got memo %v holding %v, want a new empty one", got[0], got[1])
	}
	if got := s.memos.Left(); got != full {
		t.Errorf("budget after the value was replaced: got %d, want %d", got, full)
	}

	for name, leave := range map[string]func(){
		"deleted": func() { s.Delete(ctx, "b") },
		"cleared": func() { s.Clear(ctx) },
	} {
		mustSet("b", "v")
		_, m, _ := s.GetMemo(ctx, "b")
		m.Store("decoded", 100)
		leave()
		s.cache.Wait()
		if got := s.memos.Left(); got != full {
			t.Errorf("budget after the value was %s: got %d, want %d", name, got, full)
		}
		if m.Store("late", 1) {
			t.Errorf("a memo whose value was %s kept a late Store", name)
		}
	}
}

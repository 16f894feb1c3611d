package memcached

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
)

// newStore returns a Store with opts, closed when the test ends.
func newStore(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New(%+v): %v", opts, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newServerStore starts a memcached and returns a Store on it.
func newServerStore(t *testing.T) *Store {
	t.Helper()
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	return newStore(t, Options{Servers: []string{m.Addr}, Timeout: time.Second})
}

func TestStoreIsNotAClearer(t *testing.T) {
	var s any = &Store{}
	if _, ok := s.(backends.Clearer); ok {
		t.Fatal("*Store implements backends.Clearer, want it not to: flush_all would clear every application")
	}
}

func TestKeysRoundTrip(t *testing.T) {
	s := newServerStore(t)
	ctx := context.Background()
	long := strings.Repeat("k", 251)
	tests := []struct {
		name string
		key  string
	}{
		{name: "a plain key", key: "plugcache:v1:GET:/users/42"},
		{name: "a key of 250 bytes", key: strings.Repeat("k", 250)},
		{name: "a key of 251 bytes", key: long},
		{name: "a key of 251 bytes differing in its last byte", key: long[:250] + "x"},
		{name: "the empty key", key: ""},
		{name: "a key with spaces", key: "GET /a b"},
		{name: "a key with CR LF that would inject a command", key: "a\r\nflush_all"},
		{name: "a key with DEL", key: "a\x7f"},
		{name: "a UTF-8 key, sent as it is", key: "clé/ключ/鍵"},
		{name: "a key with bytes that are not UTF-8", key: "a\xff\xfe"},
		{name: "a key that starts with the hash marker", key: hashedKeyPrefix + "x"},
		{name: "a key equal to another key's hash", key: safeKey(long)},
	}
	for i, tt := range tests {
		value := fmt.Appendf(nil, "value %d", i)
		if err := s.Set(ctx, tt.key, value, time.Minute); err != nil {
			t.Fatalf("%s: Set(%q): %v", tt.name, tt.key, err)
		}
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := fmt.Appendf(nil, "value %d", i)
			got, err := s.Get(ctx, tt.key)
			if err != nil {
				t.Fatalf("Get(%q): got error %v, want %q", tt.key, err, want)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Get(%q) = %q, want %q: two keys met", tt.key, got, want)
			}
		})
	}
}

// presence is what a Get finds at some moment of a test.
type presence int

const (
	unchecked presence = iota // either: memcached's clock may tick at any time
	kept
	gone
)

func (p presence) String() string { return [...]string{"unchecked", "kept", "gone"}[p] }

func TestTTLOnServer(t *testing.T) {
	s := newServerStore(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		ttl   time.Duration
		now   presence // right after Set
		later presence // 2.5s later
	}{
		{name: "no expiry keeps the value", ttl: 0, now: kept, later: kept},
		{name: "a ttl under 1s expires, rather than meaning no expiry", ttl: 300 * time.Millisecond, now: unchecked, later: gone},
		{name: "a ttl of 1.5s rounds up to 2s: kept, then gone", ttl: 1500 * time.Millisecond, now: kept, later: gone},
		{name: "a ttl of 31 days, sent as an absolute time, keeps the value", ttl: 31 * 24 * time.Hour, now: kept, later: kept},
		{name: "a ttl of 10 years keeps the value", ttl: 10 * 365 * 24 * time.Hour, now: kept, later: kept},
		{name: "a negative ttl leaves nothing", ttl: -time.Second, now: gone, later: gone},
	}
	check := func(t *testing.T, when, key string, want presence) {
		t.Helper()
		if want == unchecked {
			return
		}
		_, err := s.Get(ctx, key)
		got := kept
		if errors.Is(err, backends.ErrNotFound) {
			got = gone
		} else if err != nil {
			t.Fatalf("Get %s: %v", when, err)
		}
		if got != want {
			t.Errorf("%s: got %v, want %v", when, got, want)
		}
	}
	for _, tt := range tests {
		if err := s.Set(ctx, "ttl:"+tt.name, []byte("v"), tt.ttl); err != nil {
			t.Fatalf("%s: Set: %v", tt.name, err)
		}
		check(t, tt.name+", right after Set", "ttl:"+tt.name, tt.now)
	}
	// memcached's clock ticks once a second: an exptime of 2s ends within 2s.
	time.Sleep(2500 * time.Millisecond)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, "2.5s after Set", "ttl:"+tt.name, tt.later)
		})
	}
}

func TestAdd(t *testing.T) {
	s := newServerStore(t)
	ctx := context.Background()
	if err := s.Set(ctx, "held", []byte("old"), time.Minute); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		key       string
		value     []byte
		wantAdded bool
		wantErr   error
		wantValue string
	}{
		{name: "an absent key is added", key: "absent", value: []byte("new"), wantAdded: true, wantValue: "new"},
		{name: "a held key is kept, without error", key: "held", value: []byte("new"), wantAdded: false, wantValue: "old"},
		{name: "an absent long key is added under its hash", key: strings.Repeat("a", 300), value: []byte("new"), wantAdded: true, wantValue: "new"},
		{name: "a value past MaxValueSize is ErrTooLarge", key: "big", value: make([]byte, 1<<20), wantErr: backends.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			added, err := s.Add(ctx, tt.key, tt.value, time.Minute)
			if added != tt.wantAdded || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Add(%q): got (%v, %v), want (%v, %v)", tt.key, added, err, tt.wantAdded, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			got, err := s.Get(ctx, tt.key)
			if err != nil || string(got) != tt.wantValue {
				t.Errorf("Get(%q) after Add: got (%q, %v), want %q", tt.key, got, err, tt.wantValue)
			}
		})
	}
}

func TestDeleteOfAMissingKeyIsNoError(t *testing.T) {
	s := newServerStore(t)
	if err := s.Delete(context.Background(), "never set"); err != nil {
		t.Errorf("Delete of a missing key: got %v, want nil", err)
	}
}

func TestSetRefusesTooLargeBeforeSending(t *testing.T) {
	s := newServerStore(t)
	ctx := context.Background()
	key := "k"
	if err := s.Set(ctx, key, []byte("old"), time.Minute); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, s.MaxValueSize(key)+1)
	if err := s.Set(ctx, key, big, time.Minute); !errors.Is(err, backends.ErrTooLarge) {
		t.Fatalf("Set of %d bytes: got %v, want ErrTooLarge", len(big), err)
	}
	// memcached drops the old value when it refuses a set as too large, so
	// the old value shows that nothing reached the server.
	got, err := s.Get(ctx, key)
	if err != nil || string(got) != "old" {
		t.Errorf("Get after a refused Set: got (%q, %v), want %q", got, err, "old")
	}
}

func TestServerWithASmallerLimitIsTooLarge(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{MaxItemSize: 1 << 20})
	s := newStore(t, Options{Servers: []string{m.Addr}, Timeout: time.Second, MaxItemSize: 2 << 20})
	ctx := context.Background()
	err := s.Set(ctx, "k", make([]byte, 3<<19), time.Minute)
	if !errors.Is(err, backends.ErrTooLarge) || errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Set of 1.5 MiB on a 1 MiB server: got %v, want ErrTooLarge only", err)
	}
	if err := s.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Errorf("Set after the server refused a value: got %v, want nil", err)
	}
}

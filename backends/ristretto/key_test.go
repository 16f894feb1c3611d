package ristretto

import (
	"errors"
	"strings"
	"testing"

	"github.com/plugcache/plugcache/backends"
)

func TestKeyHashesOfTheJoinedKey(t *testing.T) {
	long := strings.Repeat("x", joinedMax)
	tests := []struct {
		name, prefix, key string
	}{
		{"no prefix", "", "GET https://example.com/a"},
		{"a plugin's prefix", "techdocs@0:", "GET https://example.com/a"},
		{"an empty key", "techdocs@0:", ""},
		{"a key just short enough to join on the stack", "p:", long[:joinedMax-2]},
		{"a key too long to join on the stack", "p:", long},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := keyHashes(tt.prefix, tt.key)
			wantH, wantC := keyHashes("", tt.prefix+tt.key)
			if h != wantH || c != wantC {
				t.Errorf("keyHashes(%q, key) = %x, %x; keyHashes of the joined key = %x, %x: want equal", tt.prefix, h, c, wantH, wantC)
			}
		})
	}
	h1, c1 := keyHashes("a", "b")
	if h2, c2 := keyHashes("", "ba"); h1 == h2 || c1 == c2 {
		t.Errorf("keyHashes: \"ab\" and \"ba\" share a hash (%x, %x; %x, %x)", h1, c1, h2, c2)
	}
}

func TestGetPrefixed(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := t.Context()
	if err := s.Set(ctx, "techdocs@0:GET /a", []byte("a"), 0); err != nil {
		t.Fatalf("Set: got error %v, want nil", err)
	}
	if v, m, err := s.GetPrefixed(ctx, "techdocs@0:", "GET /a"); err != nil || string(v) != "a" || m == nil {
		t.Errorf("GetPrefixed of the key Set: got %q, memo %v, error %v, want \"a\", a memo, nil", v, m, err)
	}
	if _, _, err := s.GetPrefixed(ctx, "techdocs@1:", "GET /a"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("GetPrefixed under another prefix: got error %v, want ErrNotFound", err)
	}
	s.Close()
	if _, _, err := s.GetPrefixed(ctx, "techdocs@0:", "GET /a"); !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("GetPrefixed on a closed store: got error %v, want ErrUnavailable", err)
	}
}

// Two keys whose first hash is the same share the cache's slot. A real
// collision of 64-bit hashes cannot be found for a test, so this one puts an
// item of another key (another conflict hash) in the slot of a key.
func TestAKeyNeverReadsAnotherKeysItem(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := t.Context()
	hash, conflict := keyHashes("", "k")
	other := []byte("another key's value")
	it, _, _ := newItem(conflict+1, len(other), func(dst []byte) []byte { return append(dst, other...) }, s.memos)
	s.cache.Set(hash, it, 100)
	s.cache.Wait()
	if v, err := s.Get(ctx, "k"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get of a key whose slot holds another key's item: got %q, %v, want ErrNotFound", v, err)
	}
	if v, _, err := s.GetWithTTL(ctx, "k"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("GetWithTTL of a key whose slot holds another key's item: got %q, %v, want ErrNotFound", v, err)
	}
	if err := s.Set(ctx, "k", []byte("mine"), 0); err != nil {
		t.Fatalf("Set: got error %v, want nil", err)
	}
	if v, err := s.Get(ctx, "k"); err != nil || string(v) != "mine" {
		t.Errorf("Get after Set took the slot back: got %q, %v, want \"mine\", nil", v, err)
	}
}

package memcached

import (
	"strings"
	"testing"
)

func TestSafeKey(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		hashed bool
	}{
		{name: "a plain ASCII key is kept", key: "plugcache:v1:GET:/users/42", hashed: false},
		{name: "a key of 250 bytes is kept", key: strings.Repeat("k", 250), hashed: false},
		{name: "a key of 251 bytes is hashed", key: strings.Repeat("k", 251), hashed: true},
		{name: "the empty key is hashed", key: "", hashed: true},
		{name: "a key with a space is hashed", key: "a b", hashed: true},
		{name: "a key with a newline is hashed", key: "a\nb", hashed: true},
		{name: "a key with CR LF is hashed", key: "a\r\nget b", hashed: true},
		{name: "a key with a tab is hashed", key: "a\tb", hashed: true},
		{name: "a key with NUL is hashed", key: "a\x00b", hashed: true},
		{name: "a key with DEL (0x7f) is hashed", key: "a\x7fb", hashed: true},
		{name: "a key with ~ (0x7e, the last printable byte) is kept", key: "a~b", hashed: false},
		{name: "a key with ! (0x21, the first printable byte) is kept", key: "!", hashed: false},
		{name: "a UTF-8 key is kept: memcached takes bytes >= 0x80", key: "clé/ключ/鍵", hashed: false},
		{name: "a key with bytes that are not UTF-8 is kept", key: "a\xff\x80b", hashed: false},
		{name: "a 250-byte UTF-8 key is kept", key: strings.Repeat("é", 125), hashed: false},
		{name: "a 252-byte UTF-8 key of 126 runes is hashed", key: strings.Repeat("é", 126), hashed: true},
		{name: "a key that starts with the marker is hashed", key: hashedKeyPrefix + "abc", hashed: true},
		{name: "a key that is only the marker is hashed", key: hashedKeyPrefix, hashed: true},
		{name: "a key with the marker inside is kept", key: "x" + hashedKeyPrefix, hashed: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeKey(tt.key)
			if !legalKey(got) {
				t.Fatalf("safeKey(%q) = %q, which memcached does not accept", tt.key, got)
			}
			if hashed := got != tt.key; hashed != tt.hashed {
				t.Fatalf("safeKey(%q) = %q: got hashed %v, want %v", tt.key, got, hashed, tt.hashed)
			}
			if tt.hashed && !strings.HasPrefix(got, hashedKeyPrefix) {
				t.Errorf("safeKey(%q) = %q: got no prefix, want prefix %q", tt.key, got, hashedKeyPrefix)
			}
			if tt.hashed && len(got) != len(hashedKeyPrefix)+43 {
				t.Errorf("len(safeKey(%q)) = %d, want %d", tt.key, len(got), len(hashedKeyPrefix)+43)
			}
			if again := safeKey(tt.key); again != got {
				t.Errorf("safeKey(%q) twice: got %q then %q, want the same key", tt.key, got, again)
			}
		})
	}
}

func TestSafeKeyNeverMeets(t *testing.T) {
	long := strings.Repeat("k", 251)
	tests := []struct {
		name string
		a, b string
	}{
		{name: "a hashed key sent raw does not meet the key it was hashed from", a: long, b: safeKey(long)},
		{name: "the empty key does not meet its own hash", a: "", b: safeKey("")},
		{name: "keys that differ only in the byte past 250 do not meet", a: long + "a", b: long + "b"},
		{name: "a key with a space does not meet the same key with a tab", a: "a b", b: "a\tb"},
		{name: "a marker-prefixed key does not meet the key it names", a: "a b", b: safeKey("a b")[len(hashedKeyPrefix):]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ka, kb := safeKey(tt.a), safeKey(tt.b); ka == kb {
				t.Fatalf("safeKey(%q) = safeKey(%q) = %q, want different keys", tt.a, tt.b, ka)
			}
		})
	}
}

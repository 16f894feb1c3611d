package memcached

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeKey(t *testing.T) {
	const hashed = "<hashed>"
	tests := []struct {
		name string
		key  string
		want string // hashed for a key replaced by its hash
	}{
		{name: "a plain ASCII key is kept", key: "plugcache:v1:GET:/users/42", want: "plugcache:v1:GET:/users/42"},
		{name: "a key of 250 bytes is kept", key: strings.Repeat("k", 250), want: strings.Repeat("k", 250)},
		{name: "a key of 251 bytes is hashed", key: strings.Repeat("k", 251), want: hashed},
		{name: "the empty key is hashed", key: "", want: hashed},
		{name: "a space is escaped", key: "GET http://h/a", want: "GET%20http://h/a"},
		{name: "a newline is escaped", key: "a\nb", want: "a%0Ab"},
		{name: "CR LF is escaped, so no command can be smuggled", key: "a\r\nget b", want: "a%0D%0Aget%20b"},
		{name: "a tab is escaped", key: "a\tb", want: "a%09b"},
		{name: "NUL is escaped", key: "a\x00b", want: "a%00b"},
		{name: "DEL (0x7f) is escaped", key: "a\x7fb", want: "a%7Fb"},
		{name: "the escape byte is escaped", key: "a%20b", want: "a%2520b"},
		{name: "~ (0x7e, the last printable byte) is kept", key: "a~b", want: "a~b"},
		{name: "! (0x21, the first printable byte) is kept", key: "!", want: "!"},
		{name: "a UTF-8 key is kept: memcached takes bytes >= 0x80", key: "clé/ключ/鍵", want: "clé/ключ/鍵"},
		{name: "bytes that are not UTF-8 are kept", key: "a\xff\x80b", want: "a\xff\x80b"},
		{name: "a 250-byte UTF-8 key is kept", key: strings.Repeat("é", 125), want: strings.Repeat("é", 125)},
		{name: "a 252-byte UTF-8 key of 126 runes is hashed", key: strings.Repeat("é", 126), want: hashed},
		{name: "a key of 248 bytes with one space fits escaped", key: strings.Repeat("k", 247) + " ", want: strings.Repeat("k", 247) + "%20"},
		{name: "a key of 249 bytes with one space is hashed: escaped, it is 251", key: strings.Repeat("k", 248) + " ", want: hashed},
		{name: "a key that starts with the marker is hashed", key: hashedKeyPrefix + "abc", want: hashed},
		{name: "a key that is only the marker is hashed", key: hashedKeyPrefix, want: hashed},
		{name: "a key with the marker inside is kept", key: "x" + hashedKeyPrefix, want: "x" + hashedKeyPrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeKey(tt.key)
			if !legalKey(got) {
				t.Fatalf("safeKey(%q) = %q, which memcached does not accept", tt.key, got)
			}
			if n := safeKeyLen(tt.key); n != len(got) {
				t.Errorf("safeKeyLen(%q) = %d, want len(safeKey) = %d", tt.key, n, len(got))
			}
			if tt.want != hashed {
				if got != tt.want {
					t.Fatalf("safeKey(%q) = %q, want %q", tt.key, got, tt.want)
				}
				return
			}
			if !strings.HasPrefix(got, hashedKeyPrefix) || len(got) != len(hashedKeyPrefix)+43 {
				t.Fatalf("safeKey(%q) = %q, want %q and 43 bytes of hash", tt.key, got, hashedKeyPrefix)
			}
			if again := safeKey(tt.key); again != got {
				t.Errorf("safeKey(%q) twice: got %q then %q, want the same key", tt.key, got, again)
			}
		})
	}
}

// legalKey reports whether memcached's text protocol takes key as it is:
// between 1 and 250 bytes, with no space, control character or DEL.
func legalKey(key string) bool {
	if key == "" || len(key) > maxKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		// The rule spelled out again, not legalKeyByte: the test must not
		// take the code under test's word for it.
		if c := key[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

func TestSafeKeyAllocatesNothingForAKeptKey(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { safeKey("plugcache:v1:GET:/users/42") }); n != 0 {
		t.Errorf("safeKey of a legal key: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { safeKey("bench@1:GET http://127.0.0.1:8080/a") }); n != 1 {
		t.Errorf("safeKey of a key with a space: %v allocations, want 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { safeKeyLen("bench@1:GET http://127.0.0.1:8080/a") }); n != 0 {
		t.Errorf("safeKeyLen of a key with a space: %v allocations, want 0", n)
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
		{name: "a marker-prefixed key does not meet the key it names", a: "", b: safeKey("")[len(hashedKeyPrefix):]},
		{name: "an escaped key does not meet a key that spells its escape", a: "a b", b: "a%20b"},
		{name: "two long keys, hashed, one with a space and one spelling its escape, do not meet", a: strings.Repeat("k", 248) + " ", b: strings.Repeat("k", 248) + "%20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ka, kb := safeKey(tt.a), safeKey(tt.b); ka == kb {
				t.Fatalf("safeKey(%q) = safeKey(%q) = %q, want different keys", tt.a, tt.b, ka)
			}
		})
	}
}

// FuzzSafeKey checks that every key maps to one memcached takes, and that a
// key sent readable decodes back to the key it came from: no two keys meet.
func FuzzSafeKey(f *testing.F) {
	for _, k := range []string{"", "a b", "a%20b", "GET http://h/a?x=%41", hashedKeyPrefix, strings.Repeat("k", 248) + " ", "\r\n"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		got := safeKey(key)
		if !legalKey(got) {
			t.Fatalf("safeKey(%q) = %q, which memcached does not accept", key, got)
		}
		if n := safeKeyLen(key); n != len(got) {
			t.Fatalf("safeKeyLen(%q) = %d, want len(safeKey) = %d", key, n, len(got))
		}
		if strings.HasPrefix(got, hashedKeyPrefix) {
			return
		}
		back, err := url.PathUnescape(got)
		if err != nil || back != key {
			t.Fatalf("safeKey(%q) = %q, which unescapes to %q (%v), want the key", key, got, back, err)
		}
	})
}

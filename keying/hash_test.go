package keying

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func TestLongKeys(t *testing.T) {
	longPath := "/" + strings.Repeat("p", 300)
	full := "GET http://example.com" + longPath
	sum := sha256.Sum256([]byte(full))
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{"a key of 250 bytes is kept", "/" + strings.Repeat("p", 250-len("GET http://example.com/")),
			"GET http://example.com/" + strings.Repeat("p", 250-len("GET http://example.com/"))},
		{"a key over 250 bytes is its head, # and its hash", longPath,
			full[:100] + "#" + base64.RawURLEncoding.EncodeToString(sum[:])},
	}
	k := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := k.Key(request(http.MethodGet, tt.target, ""))
			if got != tt.want {
				t.Errorf("Key: got %q, want %q", got, tt.want)
			}
			if len(got) > maxKeyLen {
				t.Errorf("len(Key): got %d, want <= %d", len(got), maxKeyLen)
			}
		})
	}
}

func TestLongKeysWithTheSameHeadDiffer(t *testing.T) {
	k := New(Options{})
	a, _ := k.Key(request(http.MethodGet, "/"+strings.Repeat("p", 300)+"a", ""))
	b, _ := k.Key(request(http.MethodGet, "/"+strings.Repeat("p", 300)+"b", ""))
	if a == b || a[:hashedHeadLen] != b[:hashedHeadLen] {
		t.Errorf("keys: got %q and %q, want the same head and different hashes", a, b)
	}
}

package storetest

import (
	"strings"
	"testing"
)

func (su *suite) testKeys(t *testing.T) {
	long := strings.Repeat("k", 10<<10)
	past250 := strings.Repeat("p", 251)
	tests := []struct {
		name string
		key  string
	}{
		{"unicode", "ключ/キー/🔑"},
		{"spaces", "a key with spaces"},
		{"underscores where another key has spaces", "a_key_with_spaces"},
		{"control characters", "ctl\x00\x01\t\n\r\x1b\x7f"},
		{"invalid UTF-8", "bad\xff\xfe"},
		{"10 KB", long},
		{"10 KB differing from another in the last byte", long[:len(long)-1] + "K"},
		{"differing only past byte 250: a", past250 + "a"},
		{"differing only past byte 250: b", past250 + "b"},
	}
	// Set every key before reading any, so that two keys that a store maps to
	// one would show as one value overwriting the other.
	for _, tt := range tests {
		su.mustSet(t, su.key("keys/"+tt.key), []byte(tt.name), 0)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su.wantValue(t, su.key("keys/"+tt.key), []byte(tt.name))
		})
	}
}

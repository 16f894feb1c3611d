package storetest

import (
	"testing"

	"github.com/plugcache/plugcache/backends"
)

func (su *suite) testAdd(t *testing.T) {
	a, ok := su.s.(backends.Adder)
	if !ok {
		t.Skip("the store does not implement backends.Adder")
	}
	key := su.key("add")
	tests := []struct {
		name  string
		value []byte
		want  bool
	}{
		{"first Add of a key writes", []byte("first"), true},
		{"second Add of the key does not write", []byte("second"), false},
	}
	for _, tt := range tests {
		added, err := a.Add(t.Context(), key, tt.value, 0)
		if err != nil || added != tt.want {
			t.Fatalf("%s: Add(%s, %q): got %v, %v, want %v, nil", tt.name, su.show(key), tt.value, added, err, tt.want)
		}
	}
	su.wantValue(t, key, []byte("first"))
}

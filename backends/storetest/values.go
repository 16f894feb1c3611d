package storetest

import (
	"fmt"
	"testing"
)

func (su *suite) testValues(t *testing.T) {
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	tests := []struct {
		name  string
		value []byte
	}{
		{"all 256 byte values", every},
		{"an empty value is found, not a miss", []byte{}},
		{"protocol terminators inside the value", []byte("a\r\nEND\r\n$-1\r\n\x00b")},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := su.key(fmt.Sprintf("values/%d", i))
			su.mustSet(t, key, tt.value, 0)
			su.wantValue(t, key, tt.value)
		})
	}
}

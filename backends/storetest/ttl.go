package storetest

import (
	"fmt"
	"testing"
	"time"
)

// testTTL sleeps: what it checks is the server's own clock.
func (su *suite) testTTL(t *testing.T) {
	res := su.h.TTLResolution
	ttl := 2 * res
	tests := []struct {
		name     string
		ttl      time.Duration
		wantGone bool
	}{
		{fmt.Sprintf("ttl %v is gone after ttl + 2×resolution", ttl), ttl, true},
		{"ttl 0 is still there", 0, false},
	}
	for i, tt := range tests {
		key := su.key(fmt.Sprintf("ttl/%d", i))
		su.mustSet(t, key, []byte("value"), tt.ttl)
		su.wantValue(t, key, []byte("value")) // present right away
	}
	time.Sleep(ttl + 2*res)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := su.key(fmt.Sprintf("ttl/%d", i))
			if tt.wantGone {
				su.wantMiss(t, key)
			} else {
				su.wantValue(t, key, []byte("value"))
			}
		})
	}
}

package memcached

import (
	"math"
	"testing"
	"time"
)

func TestExpiration(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	const thirtyDays = 30 * 24 * time.Hour
	tests := []struct {
		name string
		ttl  time.Duration
		now  time.Time
		want int32
	}{
		{name: "zero means no expiry", ttl: 0, now: now, want: 0},
		{name: "a negative ttl expires at once", ttl: -time.Second, now: now, want: -1},
		{name: "1ns rounds up to 1s, not to 0 (no expiry)", ttl: time.Nanosecond, now: now, want: 1},
		{name: "999ms rounds up to 1s", ttl: 999 * time.Millisecond, now: now, want: 1},
		{name: "1s stays 1s", ttl: time.Second, now: now, want: 1},
		{name: "1.001s rounds up to 2s", ttl: 1001 * time.Millisecond, now: now, want: 2},
		{name: "1h is 3600s", ttl: time.Hour, now: now, want: 3600},
		{name: "30 days is still relative", ttl: thirtyDays, now: now, want: 2_592_000},
		{name: "30 days minus 1ns rounds up to relative 30 days", ttl: thirtyDays - time.Nanosecond, now: now, want: 2_592_000},
		{name: "30 days plus 1ns is absolute, rounded up", ttl: thirtyDays + time.Nanosecond, now: now, want: 1_700_000_000 + 2_592_001},
		{name: "31 days is an absolute unix time", ttl: 31 * 24 * time.Hour, now: now, want: 1_700_000_000 + 2_678_400},
		{name: "an absolute time rounds a fractional now up", ttl: 31 * 24 * time.Hour, now: time.Unix(1_700_000_000, 1), want: 1_700_000_000 + 2_678_400 + 1},
		{name: "a ttl past January 2038 is capped at the largest int32", ttl: 100 * 365 * 24 * time.Hour, now: now, want: math.MaxInt32},
		{name: "the largest duration is capped, not wrapped", ttl: math.MaxInt64, now: now, want: math.MaxInt32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expiration(tt.ttl, tt.now); got != tt.want {
				t.Errorf("expiration(%v, %v) = %d, want %d", tt.ttl, tt.now.Unix(), got, tt.want)
			}
			// gocache's memcache store sends int32(Expiration.Seconds()).
			if got := int32(GocacheExpiration(tt.ttl, tt.now).Seconds()); got != tt.want {
				t.Errorf("the exptime gocache sends for GocacheExpiration(%v, %v) = %d, want %d", tt.ttl, tt.now.Unix(), got, tt.want)
			}
		})
	}
}

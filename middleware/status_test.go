package middleware

import (
	"testing"
	"unsafe"
)

func TestHitValues(t *testing.T) {
	tests := []struct {
		name       string
		age        int64
		st         status
		wantAge    string
		wantStatus string
		shared     bool // a second call returns the same strings
	}{
		{"a fresh hit", 3, status{hit: true, ttl: 57, hasTTL: true}, "3", "plugcache; hit; ttl=57", true},
		{"a hit served stale", 70, status{hit: true, ttl: -10, hasTTL: true}, "70", "plugcache; hit; ttl=-10", true},
		{"a hit with a detail is formatted each time", 3, status{hit: true, ttl: 57, hasTTL: true, detail: "stale-while-revalidate"}, "3", "plugcache; hit; ttl=57; detail=stale-while-revalidate", false},
		{"a revalidated response is formatted each time", 0, status{fwd: fwdStale, fwdStatus: 304, stored: true}, "0", "plugcache; fwd=stale; fwd-status=304; stored", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m hitValues
			age1, status1 := m.values(tt.age, tt.st)
			age2, status2 := m.values(tt.age, tt.st)
			for _, got := range [][2]string{{age1, status1}, {age2, status2}} {
				if got != [2]string{tt.wantAge, tt.wantStatus} {
					t.Fatalf("values: got Age %q, Cache-Status %q; want %q, %q", got[0], got[1], tt.wantAge, tt.wantStatus)
				}
			}
			if shared := unsafe.StringData(status1) == unsafe.StringData(status2); shared != tt.shared {
				t.Errorf("second call shares the first's string: %v, want %v", shared, tt.shared)
			}
		})
	}
}

// TestHitValuesCollide checks that two hits whose numbers share a slot each
// get their own values, however they take turns.
func TestHitValuesCollide(t *testing.T) {
	var m hitValues
	a := status{hit: true, ttl: 100, hasTTL: true}
	b := status{hit: true, ttl: 100 - 31*int64(len(m)), hasTTL: true} // the same slot as a, at age 5+len(m)
	for range 3 {
		if age, st := m.values(5, a); age != "5" || st != "plugcache; hit; ttl=100" {
			t.Fatalf("a: got %q, %q", age, st)
		}
		if age, st := m.values(5+int64(len(m)), b); age != "69" || st != "plugcache; hit; ttl=-1884" {
			t.Fatalf("b: got %q, %q", age, st)
		}
	}
}

func TestHitValuesAllocateOncePerSecond(t *testing.T) {
	var m hitValues
	st := status{hit: true, ttl: 3599, hasTTL: true}
	m.values(1, st)
	if n := testing.AllocsPerRun(100, func() { m.values(1, st) }); n != 0 {
		t.Errorf("repeated hit: %v allocations, want 0", n)
	}
	age := int64(0)
	if n := testing.AllocsPerRun(100, func() { age++; m.values(age, st) }); n != 1 {
		t.Errorf("a new age each time: %v allocations, want 1", n)
	}
}

// TestHitValuesOfExtremeNumbers fills a slot's text to its longest.
func TestHitValuesOfExtremeNumbers(t *testing.T) {
	var m hitValues
	const maxInt64, minInt64 = int64(^uint64(0) >> 1), -int64(^uint64(0)>>1) - 1
	age, st := m.values(maxInt64, status{hit: true, ttl: minInt64, hasTTL: true})
	if age != "9223372036854775807" || st != "plugcache; hit; ttl=-9223372036854775808" {
		t.Errorf("got Age %q, Cache-Status %q", age, st)
	}
}

package main

import (
	"testing"
	"time"
)

// pprofTop is go tool pprof -top's output, as of Go 1.26.
const pprofTop = `File: benchmarks
Type: cpu
Duration: 2.01s, Total samples = 3.56s (177.37%)
Active filters:
   focus=plugcache
Showing nodes accounting for 580ms, 16.29% of 3.56s total
Showing top 2 nodes out of 190
      flat  flat%   sum%        cum   cum%
     440ms 12.36% 12.36%      440ms 12.36%  internal/runtime/syscall/linux.Syscall6
      20ms  0.56% 12.92%      1.20s 33.71%  slices.insertionSortCmpFunc[go.shape.struct { net/http.key string }]
`

func TestParseTop(t *testing.T) {
	total, rows := parseTop([]byte(pprofTop))
	if total != 3560*time.Millisecond {
		t.Errorf("total = %v, want 3.56s", total)
	}
	want := []profileRow{
		{name: "internal/runtime/syscall/linux.Syscall6", flat: 12.36, cum: 12.36, flatTime: "440ms", cumTime: "440ms"},
		{name: "slices.insertionSortCmpFunc[go.shape.struct { net/http.key string }]", flat: 0.56, cum: 33.71, flatTime: "20ms", cumTime: "1.20s"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(rows), rows, len(want))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	if got := focusTime([]byte(pprofTop)); got != 580*time.Millisecond {
		t.Errorf("focusTime = %v, want 580ms", got)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"890ms", 890 * time.Millisecond},
		{"3.56s", 3560 * time.Millisecond},
		{"1.50mins", 90 * time.Second},
		{"0", 0},
	}
	for _, tt := range tests {
		if got := parseDuration(tt.in); got != tt.want {
			t.Errorf("parseDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

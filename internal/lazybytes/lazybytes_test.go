package lazybytes

import (
	"runtime"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"an empty slice", 0},
		{"one byte", 1},
		{"half a GiB and one byte, the size redis refuses", 512<<20 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			b, release := New(tt.n)
			defer release()
			if len(b) != tt.n {
				t.Fatalf("len: got %d, want %d", len(b), tt.n)
			}
			if tt.n > 0 && (b[0] != 0 || b[tt.n-1] != 0) {
				t.Errorf("the first and last bytes: got %d and %d, want zeros", b[0], b[tt.n-1])
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc); runtime.GOOS == "linux" && grew > 1<<20 {
				t.Errorf("the Go heap grew by %d bytes, want the slice outside it", grew)
			}
		})
	}
}

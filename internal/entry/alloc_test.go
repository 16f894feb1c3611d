package entry

import (
	"net/http"
	"strconv"
	"testing"
)

// wide returns the sample with n more fields, each of two values.
func wide(n int) *Entry {
	e := sample()
	for i := range n {
		e.Header["X-Field-"+strconv.Itoa(i)] = []string{"a", strconv.Itoa(i)}
	}
	return e
}

func TestHitPathAllocations(t *testing.T) {
	for _, fields := range []int{0, 100, 1000} {
		b := Append(nil, wide(fields))
		v, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse: got %v, want nil", err)
		}
		// dst is reused and cleared, as a map that already has room: growing
		// it costs a handler setting the same fields as much, so it is not
		// counted against WriteHeaders.
		dst := make(http.Header, v.fields+2)
		prepared := v
		prepared.Prepare()
		tests := []struct {
			name string
			max  float64
			f    func()
		}{
			{name: "Parse", max: 0, f: func() { v, err = Parse(b) }},
			{name: "Get", max: 0, f: func() { v.Get("Vary") }},
			{name: "Values", max: 0, f: func() { v.Values(func(name, value []byte) {}) }},
			// The names and values share the View's bytes: only the []string
			// of values is allocated.
			{name: "WriteHeaders", max: 1, f: func() { clear(dst); v.WriteHeaders(dst, "Age", "3", "Cache-Status", "plugcache; hit") }},
			{name: "WriteHeaders of a prepared View", max: 1, f: func() { clear(dst); prepared.WriteHeaders(dst, "Age", "3", "Cache-Status", "plugcache; hit") }},
		}
		for _, tt := range tests {
			t.Run(tt.name+" with "+strconv.Itoa(6+fields)+" fields", func(t *testing.T) {
				if got := testing.AllocsPerRun(100, tt.f); got > tt.max {
					t.Errorf("allocations: got %v, want at most %v", got, tt.max)
				}
			})
		}
	}
}

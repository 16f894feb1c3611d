package main

import (
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 1000, 1 << 20, 1<<20 + 12345, 1 << 40, 1<<62 + 999} {
		b := bucketOf(v)
		if lo, hi := lowerBound(b), lowerBound(b+1); v < lo || v >= hi || b >= numBuckets {
			t.Errorf("bucketOf(%d) = %d, covering [%d, %d): want a bucket under %d that holds it", v, b, lo, hi, numBuckets)
		}
	}
}

func TestHistogramQuantile(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	tests := []struct {
		name string
		q    float64
		want time.Duration
	}{
		{"the median is the 500th of 1000", 0.5, 500 * time.Microsecond},
		{"p99 is the 990th", 0.99, 990 * time.Microsecond},
		{"q=1 is the largest", 1, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A bucket is 1/64 of its power of two wide: the middle is
			// within 1/128 of any value in it.
			got := h.quantile(tt.q)
			if diff := got - tt.want; diff < -tt.want/64 || diff > tt.want/64 {
				t.Errorf("quantile(%v) = %v, want %v within 1/64", tt.q, got, tt.want)
			}
		})
	}
	if got := new(histogram).quantile(0.5); got != 0 {
		t.Errorf("an empty histogram's median = %v, want 0", got)
	}
}

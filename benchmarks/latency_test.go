package main

import (
	"context"
	"errors"
	"slices"
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

// TestInterleaveCallsGivesEachOpItsOwnCalls checks the bookkeeping of
// interleaveCalls: every round gives each op about as many calls, in blocks
// of random length, and counts the errors of the op that failed only.
func TestInterleaveCallsGivesEachOpItsOwnCalls(t *testing.T) {
	// runs counts the calls of each run of calls by one op, in order: a count
	// per run rather than a record per call, so that the record does not
	// grow, and weigh on the op whose block it grows in, by millions.
	var runs []int
	last := -1
	call := func(op int) {
		if op != last {
			runs, last = append(runs, 0), op
		}
		runs[len(runs)-1]++
	}
	ops := []opFunc{
		func(context.Context, int) error { call(0); return nil },
		func(context.Context, int) error { call(1); return errors.New("failed") },
	}
	out := interleaveCalls(context.Background(), 3, 30*time.Millisecond, ops)
	// Blocks run 8 to 23 calls, two of one op's may meet across turns, and
	// their lengths vary, so that nothing periodic keeps to one op: fixed
	// blocks of alternateBlock would make every run a multiple of it.
	runs = runs[:max(len(runs)-2, 0)] // the last two are the heap runs, one op each
	fixedBlocks := !slices.ContainsFunc(runs, func(n int) bool { return n%alternateBlock != 0 })
	if len(runs) < 4 || slices.Min(runs) < 8 || slices.Max(runs) > 46 || fixedBlocks {
		t.Errorf("runs of calls by one op: %v, want at least 4, of 8 to 46 calls, not all whole blocks of %d", runs, alternateBlock)
	}
	if len(out) != 2 || len(out[0]) != 3 || len(out[1]) != 3 {
		t.Fatalf("samples: got %d ops with %d and %d rounds, want 2 ops with 3 rounds each", len(out), len(out[0]), len(out[1]))
	}
	for r := range 3 {
		a, b := out[0][r], out[1][r]
		if lo, hi := min(a.ops, b.ops), max(a.ops, b.ops); lo == 0 || float64(hi) > 1.25*float64(lo) {
			t.Errorf("round %d: got %d and %d calls, want about as many for each op", r, a.ops, b.ops)
		}
		if a.errs != 0 || b.errs != b.ops {
			t.Errorf("round %d: got %d and %d errors, want 0 and %d", r, a.errs, b.errs, b.ops)
		}
		if a.elapsed <= 0 || b.elapsed <= 0 || a.conc != 1 {
			t.Errorf("round %d: got elapsed %v and %v, conc %d; want positive times for one caller", r, a.elapsed, b.elapsed, a.conc)
		}
	}
}

// TestInterleaveGroups checks the order interleave runs in: each round runs
// every run once, a group's runs one after the other, and in a random order,
// so that each run of a group sometimes comes first and the groups do too.
func TestInterleaveGroups(t *testing.T) {
	const rounds = 40
	var order []int
	runs := make([]func(context.Context, time.Duration) sample, 6)
	for i := range runs {
		runs[i] = func(context.Context, time.Duration) sample { order = append(order, i); return sample{ops: 1} }
	}
	groups := [][]int{{0, 3, 5}, {1}, {2, 4}}
	out := interleave(context.Background(), rounds, rounds*time.Millisecond, runs, groups)
	for i, s := range out {
		if len(s) != rounds {
			t.Errorf("run %d: %d samples, want one per round, %d", i, len(s), rounds)
		}
	}
	if len(order) != rounds*len(runs) {
		t.Fatalf("%d runs in all, want %d", len(order), rounds*len(runs))
	}
	firstOfGroup := map[int]bool{}
	firstOfRound := map[int]bool{}
	for r := range rounds {
		round := order[r*len(runs) : (r+1)*len(runs)]
		firstOfRound[round[0]] = true
		for _, g := range groups {
			at := slices.IndexFunc(round, func(i int) bool { return slices.Contains(g, i) })
			together := at >= 0 && at+len(g) <= len(round)
			for _, i := range round[max(at, 0):min(at+len(g), len(round))] {
				together = together && slices.Contains(g, i)
			}
			if !together {
				t.Fatalf("round %d ran %v: want group %v's runs one after the other", r, round, g)
			}
			firstOfGroup[round[at]] = true
		}
	}
	for _, i := range []int{0, 3, 5, 2, 4} {
		if !firstOfGroup[i] {
			t.Errorf("run %d never came first in its group: want each group's runs in a random order", i)
		}
	}
	if len(firstOfRound) < 3 {
		t.Errorf("rounds began with runs %v only: want the groups in a random order", firstOfRound)
	}
}

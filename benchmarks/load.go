package main

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// sample is what one run of a load measured: calls made by a fixed number of
// concurrent callers during a fixed time.
type sample struct {
	conc    int
	ops     uint64
	errs    uint64
	elapsed time.Duration
	lat     *histogram
	// bytes and allocs are what the heap allocated during the run, by every
	// goroutine of the process: the callers, and for HTTP the server too.
	bytes, allocs uint64
	// cpu is the CPU time the whole process used during the run and to
	// collect its garbage afterwards, zero where it cannot be read.
	cpu time.Duration
}

func (s sample) opsPerSec() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ops) / s.elapsed.Seconds()
}

// nsPerOp is the time one caller spends on a call: what a Go benchmark
// reports for a sequential loop, and its equivalent under concurrency.
func (s sample) nsPerOp() float64 {
	if s.ops == 0 {
		return 0
	}
	return float64(s.elapsed.Nanoseconds()) * float64(s.conc) / float64(s.ops)
}

// opFunc is one call of a load, made by caller number worker. A non-nil error
// counts the call as failed; the load goes on.
type opFunc func(ctx context.Context, worker int) error

// timeEvery is how often a caller times its call: timing each costs two clock
// reads, which would weigh on in-memory calls of a few tens of nanoseconds.
const timeEvery = 8

// runLoad makes calls with op from conc goroutines for d, or until ctx ends,
// and measures them. It collects its garbage at its end, within its CPU time
// but not its elapsed time, so that the next run does not pay for it: every
// measured run follows another run, a warm-up at least.
func runLoad(ctx context.Context, conc int, d time.Duration, op opFunc) sample {
	hists := make([]*histogram, conc)
	for i := range hists {
		hists[i] = new(histogram)
	}
	ops := make([]paddedCount, conc)
	errs := make([]paddedCount, conc)
	var stop atomic.Bool
	unwatch := context.AfterFunc(ctx, func() { stop.Store(true) })
	defer unwatch()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)

	cpuBefore := processCPU()
	start := time.Now()
	deadline := start.Add(d)
	// The timer stops callers that wait on I/O; callers that keep the CPU
	// busy watch the clock themselves, as the timer's goroutine would queue
	// behind them for as long as their time slices, tens of milliseconds.
	timer := time.AfterFunc(d, func() { stop.Store(true) })
	defer timer.Stop()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			h := hists[w]
			var n, failed uint64
			for ; !stop.Load(); n++ {
				var err error
				if n%timeEvery == 0 {
					t0 := time.Now()
					if t0.After(deadline) {
						break
					}
					err = op(ctx, w)
					h.record(time.Since(t0))
				} else {
					err = op(ctx, w)
				}
				if err != nil {
					failed++
				}
			}
			ops[w].n, errs[w].n = n, failed
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	runtime.GC()
	cpu := processCPU() - cpuBefore

	s := sample{conc: conc, elapsed: elapsed, lat: hists[0], cpu: cpu}
	for w := range conc {
		s.ops += ops[w].n
		s.errs += errs[w].n
		if w > 0 {
			s.lat.merge(hists[w])
		}
	}
	s.bytes = after.TotalAlloc - before.TotalAlloc
	s.allocs = after.Mallocs - before.Mallocs
	return s
}

// heapRunTime is how long interleaveCalls runs each of n ops alone, after
// measuring them for d, to count its allocations: enough calls for a steady
// figure, which the longest runs do not need more of.
func heapRunTime(d time.Duration, n int) time.Duration {
	return min(max(d/time.Duration(4*n), 10*time.Millisecond), 100*time.Millisecond)
}

// alternateBlock is about how many calls interleaveCalls makes with one op
// before it moves to the next (8 to 23): few enough that they all see the same moment of the
// machine, enough that reading the clock around them costs nothing.
const alternateBlock = 16

// interleaveCalls is interleave for one caller, finer: within each of rounds
// rounds it makes calls with each of ops in a random order, blocks of about
// alternateBlock calls at a time, and it returns each op's samples, one per round, of its own calls and
// the time they took. Sequential calls to a network store take tens of
// microseconds, most of it waiting on the other process, and that wait drifts
// by 10% from one tenth of a second to the next on a shared machine: rounds of
// 100 ms left the ratio of two clients off by as much, while blocks of some 16
// calls put both on the same moment. The heap figures come from a run of each
// op alone afterwards, as one loop cannot tell its ops' allocations apart.
func interleaveCalls(ctx context.Context, rounds int, d time.Duration, ops []opFunc) [][]sample {
	out := make([][]sample, len(ops))
	per := max(d/time.Duration(rounds), time.Millisecond)
	for range rounds {
		if ctx.Err() != nil {
			break
		}
		for i, s := range alternate(ctx, per, ops) {
			out[i] = append(out[i], s)
		}
	}
	for i, op := range ops {
		heap := runLoad(ctx, 1, heapRunTime(d, len(ops)), op)
		for r := range out[i] {
			if s := &out[i][r]; heap.ops > 0 {
				s.bytes = heap.bytes * s.ops / heap.ops
				s.allocs = heap.allocs * s.ops / heap.ops
			}
		}
	}
	return out
}

// alternate is one round of interleaveCalls, for d.
func alternate(ctx context.Context, d time.Duration, ops []opFunc) []sample {
	out := make([]sample, len(ops))
	for i := range out {
		out[i] = sample{conc: 1, lat: new(histogram)}
	}
	runtime.GC()
	deadline := time.Now().Add(d)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		// Random order and block lengths, so that what recurs in the
		// process cannot fall on the same op all round long. The garbage
		// collector, which 256 KiB values start every 16 calls or so, could
		// run in step with a fixed rotation from the GC that starts each
		// round.
		for _, i := range rand.Perm(len(ops)) {
			s := &out[i]
			block := alternateBlock/2 + rand.IntN(alternateBlock)
			start := time.Now()
			for n := range block {
				var err error
				if n%timeEvery == 0 {
					t0 := time.Now()
					err = ops[i](ctx, 0)
					s.lat.record(time.Since(t0))
				} else {
					err = ops[i](ctx, 0)
				}
				if err != nil {
					s.errs++
				}
			}
			s.elapsed += time.Since(start)
			s.ops += uint64(block)
		}
	}
	return out
}

// paddedCount keeps each caller's counter on a cache line of its own.
type paddedCount struct {
	n uint64
	_ [56]byte
}

// interleave runs each of runs rounds times, for d/rounds each. groups holds
// every index of runs once, in the sets whose runs are compared with each
// other: a baseline and its candidates. The runs of a group come one after
// the other, so that they see the same moment of a noisy machine and the
// medians of their ratios over rounds compare them fairly. Each round takes
// the groups, and each group's runs, in a random order, so that no run keeps
// to one place or one predecessor: a run is slower after some others (a miss
// run's stores, a copying client's garbage) by a few hundredths, and a fixed
// order that put a candidate after its baseline, and the baseline after a
// miss, biased their ratio. It returns the samples of each run, one per
// round, and stops early when ctx ends.
func interleave(ctx context.Context, rounds int, d time.Duration, runs []func(ctx context.Context, d time.Duration) sample, groups [][]int) [][]sample {
	out := make([][]sample, len(runs))
	per := max(d/time.Duration(rounds), time.Millisecond)
	for range rounds {
		for _, g := range rand.Perm(len(groups)) {
			group := groups[g]
			for _, k := range rand.Perm(len(group)) {
				if ctx.Err() != nil {
					return out
				}
				i := group[k]
				out[i] = append(out[i], runs[i](ctx, per))
			}
		}
	}
	return out
}

// oneGroup is interleave's groups for n runs that are all compared with each
// other.
func oneGroup(n int) [][]int {
	g := make([]int, n)
	for i := range g {
		g[i] = i
	}
	return [][]int{g}
}

// summary is one run's figures over its rounds: medians of throughput and
// time per call, latency percentiles of every timed call, and allocation per
// call over all the calls.
type summary struct {
	opsPerSec, nsPerOp      float64
	p50, p90, p99, max      time.Duration
	bytesPerOp, allocsPerOp float64
	// cpuPerOp is the process's CPU time per call over all the calls, zero
	// where it cannot be read and for interleaveCalls' samples, which share
	// the process's time between their ops: the HTTP tables show it.
	cpuPerOp  time.Duration
	ops, errs uint64
}

func summarize(samples []sample) summary {
	var s summary
	if len(samples) == 0 {
		return s
	}
	lat := new(histogram)
	var bytes, allocs uint64
	var cpu time.Duration
	for _, x := range samples {
		lat.merge(x.lat)
		s.ops += x.ops
		s.errs += x.errs
		bytes += x.bytes
		allocs += x.allocs
		cpu += x.cpu
	}
	s.opsPerSec = median(samples, sample.opsPerSec)
	s.nsPerOp = median(samples, sample.nsPerOp)
	s.p50, s.p90, s.p99, s.max = lat.quantile(0.50), lat.quantile(0.90), lat.quantile(0.99), lat.max
	if s.ops > 0 {
		s.bytesPerOp = float64(bytes) / float64(s.ops)
		s.allocsPerOp = float64(allocs) / float64(s.ops)
		s.cpuPerOp = cpu / time.Duration(s.ops)
	}
	return s
}

// median returns the median of f over xs; zero for none.
func median[T any](xs []T, f func(T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	sort.Float64s(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

// roundRatios returns, for each round, f of a's sample over f of b's: the
// ratio of a candidate to the baseline measured beside it.
func roundRatios(a, b []sample, f func(sample) float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if d := f(b[i]); d > 0 {
			out = append(out, f(a[i])/d)
		}
	}
	return out
}

func medianOf(v []float64) float64 { return median(v, func(x float64) float64 { return x }) }

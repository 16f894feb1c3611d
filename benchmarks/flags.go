package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// config is what a run measures, from the command line.
type config struct {
	stores   []string
	sizes    []int // value and body sizes, in bytes
	conc     []int // concurrent callers of the store operations
	conns    int   // concurrent keep-alive connections of the HTTP runs
	duration time.Duration
	rounds   int
	quick    bool
	out      string
	// tempOut says out is a temporary directory made for a -quick run.
	tempOut bool

	redisURL     string
	clusterAddrs []string
	memcacheAddr string

	stampede      int           // concurrent requests for one cold key
	stampedeDelay time.Duration // the origin's time to answer it
	missDelay     time.Duration // the origin's time on the HTTP miss runs
	memMaxCost    int64         // the memory store's size in the memory bound run
	args          []string      // the command line, for the report
}

// warmup is how long each load runs unmeasured before its rounds.
func (c config) warmup() time.Duration {
	return min(max(c.duration/10, time.Millisecond), 200*time.Millisecond)
}

// parseFlags reads the command line. With -quick, the durations and cases
// not given shrink so that the whole run takes well under a minute.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("benchmarks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./benchmarks [flags]\n\nCompares plugcache's stores and HTTP cache with bare clients and writes a Markdown report. Flags:")
		fs.PrintDefaults()
	}
	stores := fs.String("stores", strings.Join(allStores, ","), "stores to measure, comma-separated: "+strings.Join(allStores, ", "))
	sizes := fs.String("sizes", "1K,16K,256K", "value and response body sizes, comma-separated, with K (KiB) or M (MiB)")
	duration := fs.Duration("duration", time.Second, "time of each measurement, split into -rounds alternating rounds (HTTP runs take 3x the time, in 15x the rounds)")
	rounds := fs.Int("rounds", 10, "rounds each measurement is split into, alternating with its baseline (HTTP: 15x)")
	conns := fs.Int("conns", 32, "concurrent keep-alive connections of the HTTP runs")
	quick := fs.Bool("quick", false, "tiny durations and fewer cases, for CI: the whole run takes well under a minute; the report goes to a temporary directory unless -out is given")
	out := fs.String("out", "benchmarks/results", "directory of the report, its charts and the CPU profiles")
	redisURL := fs.String("redis", "", "redis URL to use instead of starting redis-server")
	cluster := fs.String("redis-cluster", "", "comma-separated host:port of redis cluster nodes to use instead of starting a cluster")
	memcacheAddr := fs.String("memcache", "", "memcached host:port to use instead of starting memcached")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	c := config{
		duration: *duration, rounds: *rounds, conns: *conns, quick: *quick, out: *out,
		redisURL: *redisURL, memcacheAddr: *memcacheAddr,
		conc:     []int{1, 8, 64},
		stampede: 1000, stampedeDelay: 50 * time.Millisecond, missDelay: 5 * time.Millisecond,
		memMaxCost: memoryMaxCost,
		args:       args,
	}
	if *cluster != "" {
		c.clusterAddrs = strings.Split(*cluster, ",")
	}
	var err error
	if c.stores, err = parseStores(*stores); err != nil {
		return config{}, usageError(fs, "-stores: %v", err)
	}
	if c.quick && !set["sizes"] {
		*sizes = "1K"
	}
	if c.sizes, err = parseSizes(*sizes); err != nil {
		return config{}, usageError(fs, "-sizes: %v", err)
	}
	if c.quick {
		c.shrink(set)
	}
	if err := c.check(); err != nil {
		return config{}, usageError(fs, "%v", err)
	}
	return c, nil
}

// shrink makes c a -quick run: the durations and cases not set on the
// command line shrink, and the report goes to a temporary directory unless
// -out is set.
func (c *config) shrink(set map[string]bool) {
	if !set["duration"] {
		c.duration = 40 * time.Millisecond
	}
	if !set["rounds"] {
		c.rounds = 2
	}
	c.memMaxCost = 8 << 20
	c.tempOut = !set["out"]
}

func (c config) check() error {
	switch {
	case c.duration <= 0:
		return fmt.Errorf("-duration: must be > 0, got %v", c.duration)
	case c.rounds < 1:
		return fmt.Errorf("-rounds: must be >= 1, got %d", c.rounds)
	case c.conns < 1:
		return fmt.Errorf("-conns: must be >= 1, got %d", c.conns)
	}
	return nil
}

func usageError(fs *flag.FlagSet, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	fmt.Fprintln(fs.Output(), "benchmarks:", err)
	fs.Usage()
	return err
}

func parseStores(s string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(allStores, name) {
			return nil, fmt.Errorf("unknown store %q; the stores are %s", name, strings.Join(allStores, ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// parseSizes reads sizes such as "1K,16K,256K": bytes, or KiB and MiB with K
// and M.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.ToUpper(strings.TrimSpace(f))
		mult := 1
		switch {
		case strings.HasSuffix(f, "K"):
			mult, f = 1<<10, strings.TrimSuffix(f, "K")
		case strings.HasSuffix(f, "M"):
			mult, f = 1<<20, strings.TrimSuffix(f, "M")
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a size such as 1K, 16K or 1M", f)
		}
		if n*mult > 512<<10 {
			return nil, fmt.Errorf("%s is over 512K: memcached's 1 MiB items and the HTTP cache's 1 MiB body limit leave no room for the larger", sizeName(n*mult))
		}
		out = append(out, n*mult)
	}
	return out, nil
}

// sizeName writes a size as -sizes takes it: 1K, 256K, 1M, or bytes.
func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "M"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "K"
	}
	return strconv.Itoa(n)
}

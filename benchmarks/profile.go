package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// profileTop is how many functions each list of "Where the time goes" shows.
const profileTop = 15

// profileResult compares CPU profiles of two HTTP scenarios run under the
// same load, a hit and its baseline, summarised with go tool pprof:
// github.com/google/pprof/profile, which would parse them in process, is not
// in the module graph, and one table is not worth a dependency.
type profileResult struct {
	size      int
	duration  time.Duration
	hit, base profileRun
	// about says what the two are, for the report: "the memory HTTP hit and
	// the prebuilt handler".
	about     string
	flat, cum []profileRow // the hit's top functions
	groups    []profileGroup
	err       string // why there is no summary, when there is none
}

// profileRun is one profiled load.
type profileRun struct {
	name     string // the scenario: "prebuilt", "memcache hit"
	file     string // the profile, beside the report
	requests uint64
	cpu      time.Duration // the samples' total
}

// perRequest is CPU time per request, in microseconds.
func (r profileRun) perRequest(cpu time.Duration) float64 {
	if r.requests == 0 {
		return 0
	}
	return float64(cpu.Microseconds()) / float64(r.requests)
}

type profileRow struct {
	name              string
	flat, cum         float64 // percent of all samples
	flatTime, cumTime string
}

// profileGroup is the CPU time of the samples whose stack passes through a
// function matching focus, in each profile.
type profileGroup struct {
	name, focus string
	ignore      string // samples whose stack passes through this are left out; "" for none
	hit, base   time.Duration
}

var profileGroups = []profileGroup{
	// plugcache's library packages, not the harness's own handlers nor its
	// load generator (internal/rawhttp), and not the network stores'
	// clients, which the bare GET calls as well: plugcache's frames and what
	// they call outside those clients.
	{name: "plugcache, outside the store's client (middleware, entry, keying, client, store)", focus: `github\.com/plugcache/plugcache(\.|/(middleware|keying|backends|internal/(entry|envelope|rfc9111|memo|fieldlist|storeerr)))`, ignore: storeClients},
	{name: "ristretto", focus: `dgraph-io/ristretto`},
	{name: "memcached and redis clients", focus: storeClients},
	{name: "net/http server (conn.serve)", focus: `net/http\.\(\*conn\)\.serve`},
	{name: "load generator (internal/rawhttp)", focus: `plugcache/internal/rawhttp|main\.runLoad`},
	{name: "system calls", focus: `syscall\.|internal/runtime/syscall`},
	{name: "allocation (mallocgc)", focus: `runtime\.mallocgc`},
	{name: "garbage collection", focus: `runtime\.gcBgMarkWorker|runtime\.gcAssistAlloc`},
}

// storeClients matches the network stores' client libraries.
const storeClients = `bradfitz/gomemcache|redis/go-redis`

// profileHit runs sub's HTTP hit and its baseline, the prebuilt handler or
// sub's bare GET handler, for d each under the CPU profiler, with the
// scenarios of subjects served in the process, writes the profiles beside
// the report as prefix-<scenario>.pprof, and compares them.
func profileHit(ctx context.Context, sub *subject, subjects []*subject, baseline scenarioKind, size int, d time.Duration, prefix string, cfg config) (*profileResult, error) {
	suite, err := newHTTPSuite(ctx, subjects, size, cfg)
	if err != nil {
		return nil, err
	}
	defer suite.Close()
	baseStore := sub.name
	if baseline == kindPrebuilt {
		baseStore = ""
	}
	res := &profileResult{size: size, duration: d, about: fmt.Sprintf("the %s HTTP hit and the %s handler", sub.name, baseline)}
	if res.base, err = profileLoad(ctx, suite.find(baseline, baseStore), d, prefix, cfg); err != nil {
		return nil, err
	}
	if res.hit, err = profileLoad(ctx, suite.find(kindHit, sub.name), d, prefix, cfg); err != nil {
		return nil, err
	}
	if err := res.summarise(ctx, filepath.Dir(prefix)); err != nil {
		res.err = err.Error()
	}
	return res, nil
}

// profilePart is the end of the name of scenario's profile, after the
// report's: one function for profileLoad, which writes the file, and for
// removeStale, which must know every name a run writes.
func profilePart(scenario string) string { return strings.ReplaceAll(scenario, " ", "-") + ".pprof" }

// profileLoad profiles t's load for d into prefix-<scenario>.pprof.
func profileLoad(ctx context.Context, t *target, d time.Duration, prefix string, cfg config) (profileRun, error) {
	path := prefix + "-" + profilePart(t.sc.name)
	op := t.op(cfg.conns)
	runLoad(ctx, cfg.conns, cfg.warmup(), op)
	f, err := os.Create(path)
	if err != nil {
		return profileRun{}, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return profileRun{}, err
	}
	s := runLoad(ctx, cfg.conns, d, op)
	pprof.StopCPUProfile()
	return profileRun{name: t.sc.name, file: filepath.Base(path), requests: s.ops}, f.Close()
}

func (p *profileResult) summarise(ctx context.Context, dir string) error {
	// go run ./benchmarks has the go command on PATH; pprof reads the file.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("summarising the CPU profiles: %w", err)
	}
	top := func(file string, args ...string) ([]byte, error) {
		args = append([]string{"tool", "pprof", "-top"}, append(args, filepath.Join(dir, file))...)
		out, err := exec.CommandContext(ctx, goCmd, args...).Output()
		if err != nil {
			return nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
		return out, nil
	}
	out, err := top(p.base.file, "-nodecount", "1")
	if err != nil {
		return err
	}
	p.base.cpu, _ = parseTop(out)
	if out, err = top(p.hit.file, "-nodecount", strconv.Itoa(profileTop)); err != nil {
		return err
	}
	p.hit.cpu, p.flat = parseTop(out)
	if out, err = top(p.hit.file, "-cum", "-nodecount", strconv.Itoa(profileTop)); err != nil {
		return err
	}
	_, p.cum = parseTop(out)
	for _, g := range profileGroups {
		for _, side := range []struct {
			run *profileRun
			cpu *time.Duration
		}{{&p.hit, &g.hit}, {&p.base, &g.base}} {
			args := []string{"-focus", g.focus, "-nodecount", "1000000"}
			if g.ignore != "" {
				args = append(args, "-ignore", g.ignore)
			}
			out, err := top(side.run.file, args...)
			if err != nil {
				return err
			}
			*side.cpu = focusTime(out)
		}
		p.groups = append(p.groups, g)
	}
	return nil
}

// parseTop reads go tool pprof -top's output: the samples' total from its
// header "Duration: 2s, Total samples = 3.56s (178%)", and a row per line of
// its table.
func parseTop(out []byte) (total time.Duration, rows []profileRow) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	table := false
	for sc.Scan() {
		line := sc.Text()
		if _, rest, ok := strings.Cut(line, "Total samples = "); ok {
			total = parseDuration(strings.Fields(rest)[0])
		}
		f := strings.Fields(line)
		if len(f) >= 5 && f[0] == "flat" {
			table = true
			continue
		}
		if !table || len(f) < 6 {
			continue
		}
		flat, _ := strconv.ParseFloat(strings.TrimSuffix(f[1], "%"), 64)
		cum, _ := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		rows = append(rows, profileRow{name: strings.Join(f[5:], " "), flat: flat, cum: cum, flatTime: f[0], cumTime: f[3]})
	}
	return total, rows
}

// focusTime reads the CPU time of the samples that -focus kept, from the
// header "Showing nodes accounting for 1.2s, 30.00% of 4s total", which with
// every node shown counts every kept sample. It is zero when focus matched
// nothing.
func focusTime(out []byte) time.Duration {
	for line := range strings.Lines(string(out)) {
		if rest, ok := strings.CutPrefix(line, "Showing nodes accounting for "); ok {
			v, _, _ := strings.Cut(rest, ",")
			return parseDuration(v)
		}
	}
	return 0
}

// parseDuration reads pprof's times: 890ms, 3.56s, 1.20mins.
func parseDuration(s string) time.Duration {
	if v, ok := strings.CutSuffix(s, "mins"); ok {
		f, _ := strconv.ParseFloat(v, 64)
		return time.Duration(f * float64(time.Minute))
	}
	d, _ := time.ParseDuration(s)
	return d
}

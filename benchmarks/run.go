package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// results is everything a run measured, for the report.
type results struct {
	cfg      config
	started  time.Time
	elapsed  time.Duration
	machine  machine
	modules  [][2]string
	servers  *servers
	storeOps []opResult
	http     []httpResult
	profiles []*profileResult
	stampede []stampedeResult
	membound []memResult
	failures []string // the steps that failed, and why
}

// step is one part of a run, shown by the progress bar.
type step struct {
	name string
	est  time.Duration
	do   func(ctx context.Context) error
}

// run measures what cfg asks for and writes the report into cfg.out (a new
// temporary directory for -quick without -out), and unless -quick also as
// latest.md there (publishLatest). It returns the report's path, and what it
// measured; an error only when a step failed to run, never for a missed
// target. The servers it starts are stopped before it
// returns, also when ctx ends (SIGINT).
func run(ctx context.Context, cfg config, p *progress) (string, *results, error) {
	dir := cfg.out
	if cfg.tempOut {
		d, err := os.MkdirTemp("", "plugcache-benchmarks-")
		if err != nil {
			return "", nil, err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	res := &results{cfg: cfg, started: time.Now(), machine: readMachine(), modules: moduleVersions()}
	base := filepath.Join(dir, res.started.Format("2006-01-02")+"-"+safeName(res.machine.host))

	subjects := map[string]*subject{}
	defer func() {
		for _, s := range subjects {
			s.Close()
		}
		if res.servers != nil {
			res.servers.Close()
		}
	}()
	open := step{name: "start servers, open stores", est: 5 * time.Second, do: func(ctx context.Context) error {
		res.servers = startServers(cfg)
		for _, name := range cfg.stores {
			if why, ok := res.servers.skipped[name]; ok {
				p.warn(fmt.Sprintf("benchmarks: %s left out: %s", name, why))
				continue
			}
			s, err := openSubject(name, res.servers)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			subjects[name] = s
			for _, size := range cfg.sizes {
				if err := s.seed(ctx, size); err != nil {
					return err
				}
			}
		}
		return nil
	}}
	steps := append([]step{open}, plan(cfg, res, subjects, base)...)
	steps = append(steps, step{name: reportStep, est: 2 * time.Second, do: func(context.Context) error {
		res.elapsed = time.Since(res.started)
		linked, err := writeReport(base, res)
		if err != nil {
			return err
		}
		if err := removeStale(filepath.Dir(base), filepath.Base(base)+"-", linked); err != nil || cfg.quick {
			return err
		}
		return publishLatest(base, linked)
	}})

	var est time.Duration
	for _, s := range steps {
		est += s.est
	}
	p.begin(len(steps), est)
	defer p.finish()
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return "", res, fmt.Errorf("interrupted: %w", err)
		}
		p.step(s.name, s.est)
		err := s.do(ctx)
		switch {
		case ctx.Err() != nil:
			return "", res, fmt.Errorf("interrupted: %w", ctx.Err())
		case err != nil && s.name == reportStep:
			return "", res, err
		case err != nil:
			// Go on: a run of many minutes is worth its other figures.
			// The report lists what failed.
			msg := fmt.Sprintf("%s: %v", s.name, err)
			p.warn("benchmarks: " + msg)
			res.failures = append(res.failures, msg)
		}
	}
	if len(res.failures) > 0 {
		return base + ".md", res, fmt.Errorf("%d steps failed, listed in %s.md; the first: %s", len(res.failures), base, res.failures[0])
	}
	return base + ".md", res, nil
}

const reportStep = "write report and charts"

// plan lists the measuring steps of cfg, in order. A step of a store whose
// server did not start does nothing.
func plan(cfg config, res *results, subjects map[string]*subject, base string) []step {
	steps := storeOpSteps(cfg, res, subjects)
	steps = append(steps, httpSteps(cfg, res, subjects, base)...)
	for _, name := range cfg.stores {
		steps = append(steps, step{name: "stampede " + name, est: cfg.stampedeDelay + time.Second, do: func(ctx context.Context) error {
			s := subjects[name]
			if s == nil {
				return nil
			}
			r, err := measureStampede(ctx, s, cfg)
			res.stampede = append(res.stampede, r)
			return err
		}})
	}
	if slices.Contains(cfg.stores, storeMemory) {
		for _, size := range cfg.sizes {
			// Filling runs at some 200 MB/s.
			est := time.Duration(memOffered*cfg.memMaxCost/(200<<20))*time.Second + time.Second
			steps = append(steps, step{name: "memory bound " + sizeName(size), est: est, do: func(ctx context.Context) error {
				r, err := measureMemBound(ctx, size, cfg.memMaxCost)
				res.membound = append(res.membound, r)
				return err
			}})
		}
	}
	return steps
}

// measureTime is what one side of a comparison takes, warm-up included.
func measureTime(cfg config) time.Duration { return cfg.duration + cfg.warmup() }

func storeOpSteps(cfg config, res *results, subjects map[string]*subject) []step {
	var steps []step
	for _, name := range cfg.stores {
		for _, size := range cfg.sizes {
			for _, conc := range cfg.conc {
				for _, kind := range opKinds {
					sides := 2 // plugin and bare
					if kind == opGetHit {
						sides++ // and Client.Get
					}
					steps = append(steps, step{
						name: fmt.Sprintf("store ops %s %s c=%d %s", name, sizeName(size), conc, kind),
						est:  storeOpTime(cfg, name, conc, sides),
						do: func(ctx context.Context) error {
							if s := subjects[name]; s != nil {
								res.storeOps = append(res.storeOps, measureStoreOp(ctx, s, kind, size, conc, cfg))
							}
							return nil
						},
					})
				}
			}
		}
	}
	return steps
}

// httpSteps measures each body size, then profiles the memory store's hit
// and the first network store's.
func httpSteps(cfg config, res *results, subjects map[string]*subject, base string) []step {
	var steps []step
	network := slices.DeleteFunc(slices.Clone(cfg.stores), func(s string) bool { return s == storeMemory })
	scenarios := 1 + 2*len(cfg.stores) + len(network)
	for _, size := range cfg.sizes {
		steps = append(steps, step{
			name: fmt.Sprintf("http %s: prebuilt, hits, bare GETs, misses", sizeName(size)),
			est:  time.Duration(scenarios) * (measureTime(cfg) + (httpTime-1)*cfg.duration),
			do: func(ctx context.Context) error {
				suite, err := newHTTPSuite(ctx, present(cfg.stores, subjects), size, cfg)
				if err != nil {
					return err
				}
				defer suite.Close()
				res.http = append(res.http, suite.measure(ctx, cfg)...)
				return nil
			},
		})
	}
	d := max(2*cfg.duration, 500*time.Millisecond)
	if slices.Contains(cfg.stores, storeMemory) {
		steps = append(steps, step{name: "cpu profiles of the memory HTTP hit and prebuilt", est: 2*d + 3*time.Second, do: func(ctx context.Context) error {
			mem := subjects[storeMemory]
			if mem == nil {
				return nil
			}
			p, err := profileHit(ctx, mem, []*subject{mem}, kindPrebuilt, cfg.sizes[0], d, base, cfg)
			if p != nil {
				res.profiles = append(res.profiles, p)
			}
			return err
		}})
	}
	if len(network) > 0 {
		steps = append(steps, step{name: "cpu profiles of a network store's HTTP hit and bare GET", est: 2*d + 5*time.Second, do: func(ctx context.Context) error {
			// The first network store whose server started.
			opened := present(network, subjects)
			if len(opened) == 0 {
				return nil
			}
			p, err := profileHit(ctx, opened[0], present(cfg.stores, subjects), kindBareGet, cfg.sizes[0], d, base, cfg)
			if p != nil {
				res.profiles = append(res.profiles, p)
			}
			return err
		}})
	}
	return steps
}

// present returns the subjects of names that were opened, in that order.
func present(names []string, subjects map[string]*subject) []*subject {
	var out []*subject
	for _, n := range names {
		if s := subjects[n]; s != nil {
			out = append(out, s)
		}
	}
	return out
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName makes a host name fit for a file name.
func safeName(host string) string {
	if host = unsafeChars.ReplaceAllString(host, "-"); host == "" {
		return "unknown-host"
	}
	return host
}

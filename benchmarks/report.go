package main

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// writeReport writes base+".md", with the charts beside it. It returns the
// names of the files beside the report that it links: the charts, and the
// CPU profiles when there are some.
func writeReport(base string, res *results) ([]string, error) {
	charts, chartErr := writeCharts(base, res)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	cfg := res.cfg
	w("# plugcache benchmarks, %s on %s\n\n", res.started.Format("2006-01-02 15:04 MST"), res.machine.host)
	w("`%s`: %s per measurement in %d alternating rounds (HTTP: %d over %s; sequential network calls: %d over %s), %d HTTP connections, %s in all.\n\n",
		strings.Join(append([]string{"go run ./benchmarks"}, cfg.args...), " "), cfg.duration, cfg.rounds, httpRounds*cfg.rounds, httpTime*cfg.duration,
		sequentialRounds*cfg.rounds, sequentialRounds*cfg.duration, cfg.conns, res.elapsed.Round(time.Second))
	if cfg.quick {
		w("**A -quick run**: durations too short for figures to mean much; it checks that the harness works.\n\n")
	}
	if len(res.failures) > 0 {
		w("## Failures\n\nThese steps failed; their figures are missing below.\n\n")
		for _, f := range res.failures {
			w("- %s\n", f)
		}
		w("\n")
	}
	writeTargets(w, targets(res))
	writeMachine(w, res)
	w("## Store operations\n\n%s\n\n", storeOpsIntro)
	for _, name := range cfg.stores {
		writeStoreOps(w, res, name)
	}
	w("## HTTP, end to end over loopback\n\n%s\n\n", httpIntro)
	for _, size := range cfg.sizes {
		writeHTTP(w, res, size)
	}
	writeStampede(w, res)
	writeMemBound(w, res)
	writeGrowth(w, res)
	w("## Charts\n\n")
	for _, c := range charts {
		w("![%s](%s)\n\n", c.title, c.file)
	}
	if chartErr != nil {
		w("Charts failed: %v\n\n", chartErr)
	}
	writeProfiles(w, res.profiles)
	w("## How it was measured\n\n%s\n", methodNotes)
	var linked []string
	for _, c := range charts {
		linked = append(linked, c.file)
	}
	for _, p := range res.profiles {
		linked = append(linked, p.base.file, p.hit.file)
	}
	return linked, os.WriteFile(base+".md", []byte(b.String()), 0o644)
}

type writer func(format string, args ...any)

// writeTargets writes the summary of rows, one line per figure over its
// sizes or stores, and then every row.
func writeTargets(w writer, rows []targetRow) {
	w("## Targets\n\n")
	s := &table{head: []string{"figure", "target", "measured", "met"}}
	for _, r := range summarizeTargets(rows) {
		s.add(r.group, r.target, r.measured, r.verdict())
	}
	w("%s\nEach figure, per size:\n\n", s)
	t := &table{head: []string{"figure", "target", "measured", "met?"}}
	for _, r := range rows {
		t.add(r.figure, r.target, r.measured, r.verdict())
	}
	w("%s\n", t)
}

func writeMachine(w writer, res *results) {
	m := res.machine
	w("## Machine\n\n")
	t := &table{head: []string{"", ""}}
	t.add("CPU", m.cpu)
	t.add("cores (GOMAXPROCS)", fmt.Sprintf("%d (%d)", m.cores, m.maxProcs))
	t.add("GOOS/GOARCH", m.goos+"/"+m.goarch)
	t.add("Go", m.goVersion)
	if m.kernel != "" {
		t.add("kernel", m.kernel)
	}
	if m.commit != "" {
		t.add("plugcache", m.commit)
	}
	if s := res.servers; s != nil {
		for _, name := range allStores[1:] {
			switch {
			case s.skipped[name] != "":
				t.add(name, "left out: "+s.skipped[name])
			case s.versions[name] != "":
				how := "started by the harness"
				if s.given[name] {
					how = "given by flag"
				}
				t.add(name, s.versions[name]+", "+how)
			}
		}
	}
	for _, mod := range res.modules {
		t.add("`"+mod[0]+"`", mod[1])
	}
	w("%s\n", t)
}

func writeStoreOps(w writer, res *results, store string) {
	t := &table{head: []string{"size", "op", "callers", "through", "ops/s", "bare ops/s", "time / bare", "p50 / p99", "bare p50 / p99", "B/op, allocs/op", "bare B/op, allocs/op", "errors"}}
	row := func(r opResult, through string, s summary, ratioToBare float64) {
		t.add(sizeName(r.size), string(r.kind), strconv.Itoa(r.conc), through,
			rate(s.opsPerSec), rate(r.bare.opsPerSec), ratio(ratioToBare),
			dur(s.p50)+" / "+dur(s.p99), dur(r.bare.p50)+" / "+dur(r.bare.p99),
			perOp(s.bytesPerOp)+", "+perOp(s.allocsPerOp), perOp(r.bare.bytesPerOp)+", "+perOp(r.bare.allocsPerOp),
			strconv.FormatUint(s.errs+r.bare.errs, 10))
	}
	for _, r := range res.storeOps {
		if r.store != store {
			continue
		}
		row(r, "plugin", r.plugin, r.ratio)
		if r.client.ops > 0 {
			row(r, "*Client.Get, copying*", r.client, r.clientRatio)
		}
	}
	if len(t.rows) > 0 {
		w("### %s\n\n%s\n", store, t)
	}
}

// httpOrder sorts a size's scenarios: the prebuilt baseline, then per store
// its bare GET, hit and miss.
func httpOrder(stores []string) func(a, b httpResult) int {
	kinds := []scenarioKind{kindPrebuilt, kindBareGet, kindHit, kindMiss}
	return func(a, b httpResult) int {
		return cmp.Or(
			cmp.Compare(slices.Index(stores, a.store), slices.Index(stores, b.store)),
			cmp.Compare(slices.Index(kinds, a.kind), slices.Index(kinds, b.kind)))
	}
}

func writeHTTP(w writer, res *results, size int) {
	var rs []httpResult
	for _, r := range res.http {
		if r.size == size {
			rs = append(rs, r)
		}
	}
	slices.SortStableFunc(rs, httpOrder(res.cfg.stores))
	t := &table{head: []string{"scenario", "req/s", "vs prebuilt", "vs bare GET", "p50", "p90", "p99", "CPU/req", "B/req", "allocs/req", "errors"}}
	for _, r := range rs {
		name := r.name
		if r.kind == kindMiss {
			name += fmt.Sprintf(" (%s origin)", res.cfg.missDelay)
		}
		t.add(name, rate(r.sum.opsPerSec), ratio(r.vsPrebuilt), ratio(r.vsBareGet), dur(r.sum.p50), dur(r.sum.p90), dur(r.sum.p99),
			cpuTime(r.sum.cpuPerOp), perOp(r.sum.bytesPerOp), perOp(r.sum.allocsPerOp), strconv.FormatUint(r.sum.errs, 10))
	}
	if len(t.rows) > 0 {
		w("### %s bodies\n\n%s\n", sizeName(size), t)
	}
}

func writeStampede(w writer, res *results) {
	if len(res.stampede) == 0 {
		return
	}
	w("## Stampede\n\n%d concurrent requests, each on a keep-alive connection of its own opened beforehand, for one cold URL through the HTTP cache (coalescing on), in front of an origin that takes %s. **stored** counts the requests that called the origin and stored its response; the others are waiters: collapsed onto such a fetch, or hits on what it stored. **origin caller** is the slowest of the storing requests.\n\n",
		res.cfg.stampede, res.cfg.stampedeDelay)
	t := &table{head: []string{"store", "origin calls", "stored", "collapsed", "hits", "other", "errors", "origin caller", "waiters p50", "p99", "max"}}
	for _, s := range res.stampede {
		t.add(s.store, strconv.FormatInt(s.originCalls, 10), strconv.Itoa(s.leaders), strconv.Itoa(s.collapsed), strconv.Itoa(s.hits), strconv.Itoa(s.other), strconv.Itoa(s.errs),
			dur(s.leader), dur(s.waiters.quantile(0.5)), dur(s.waiters.quantile(0.99)), dur(s.waiters.max))
	}
	w("%s\n", t)
	listed := false
	for _, s := range res.stampede {
		for _, st := range slices.Sorted(maps.Keys(s.otherStatus)) {
			w("- %s, other: %d with `Cache-Status: %s`\n", s.store, s.otherStatus[st], st)
			listed = true
		}
	}
	if listed {
		w("\n")
	}
}

func writeMemBound(w writer, res *results) {
	if len(res.membound) == 0 {
		return
	}
	w("## Memory bound\n\nA memory store of maxCost is offered %dx maxCost in distinct entries through a plugin client; heap growth is HeapAlloc after a GC once it is full, against before it was opened. Entries and cost held are what ristretto reports (plugcache_memory_entries, plugcache_memory_cost_bytes).\n\n", memOffered)
	t := &table{head: []string{"values", "maxCost", "offered", "Sets", "heap growth", "growth / maxCost", "entries held", "cost held"}}
	for _, m := range res.membound {
		t.add(sizeName(m.size), bytesOf(float64(m.maxCost)), bytesOf(float64(m.offered)), strconv.Itoa(m.sets),
			bytesOf(float64(m.growth)), fmt.Sprintf("%.2f", m.ratio()), fmt.Sprintf("%.0f", m.entries), bytesOf(m.cost))
	}
	w("%s\n", t)
}

func writeGrowth(w writer, res *results) {
	if len(res.storeOps) == 0 {
		return
	}
	cfg := res.cfg
	w("## Growth\n\nGet hit through the plugin client as a gocache store, ops/s, as callers and value size grow (from the store operations above).\n\n")
	head := []string{"store", "size"}
	for _, c := range cfg.conc {
		head = append(head, fmt.Sprintf("c=%d", c))
	}
	t := &table{head: append(head, fmt.Sprintf("c=%d / c=%d", cfg.conc[len(cfg.conc)-1], cfg.conc[0]))}
	for _, store := range cfg.stores {
		for _, size := range cfg.sizes {
			row := []string{store, sizeName(size)}
			var first, last float64
			for i, c := range cfg.conc {
				v := opsAt(res, store, size, c, opGetHit)
				row = append(row, rate(v))
				if i == 0 {
					first = v
				}
				last = v
			}
			if first == 0 {
				continue
			}
			t.add(append(row, fmt.Sprintf("%.2f", last/first))...)
		}
	}
	w("%s\n", t)
	ht := &table{head: []string{"HTTP hit, req/s"}}
	for _, size := range cfg.sizes {
		ht.head = append(ht.head, sizeName(size))
	}
	for _, store := range append([]string{""}, cfg.stores...) {
		row := []string{cmp.Or(store, "prebuilt")}
		for _, size := range cfg.sizes {
			row = append(row, rate(httpAt(res, store, size)))
		}
		ht.add(row...)
	}
	w("%s\n", ht)
}

// opsAt is the plugin store's ops/s of kind, or zero.
func opsAt(res *results, store string, size, conc int, kind opKind) float64 {
	for _, r := range res.storeOps {
		if r.store == store && r.size == size && r.conc == conc && r.kind == kind {
			return r.plugin.opsPerSec
		}
	}
	return 0
}

// httpAt is the req/s of store's HTTP hit, or of prebuilt for store "".
func httpAt(res *results, store string, size int) float64 {
	for _, r := range res.http {
		if r.store == store && r.size == size && (r.kind == kindHit || r.kind == kindPrebuilt) {
			return r.sum.opsPerSec
		}
	}
	return 0
}

func writeProfiles(w writer, ps []*profileResult) {
	if len(ps) == 0 {
		return
	}
	w("## Where the time goes\n\n")
	for _, p := range ps {
		writeProfile(w, p)
	}
}

func writeProfile(w writer, p *profileResult) {
	w("### %s\n\nCPU profiles of %s, %s bodies, %s each under the same load: [`%s`](%s) and [`%s`](%s) (`go tool pprof -http : <file>`). The load generator runs in the same process, so its client side is in the profiles too.\n\n",
		p.hit.name, p.about, sizeName(p.size), p.duration, p.hit.file, p.hit.file, p.base.file, p.base.file)
	if p.err != "" {
		w("No summary: %s\n\n", p.err)
		return
	}
	perReq := func(r profileRun, d time.Duration) string { return fmt.Sprintf("%.1f µs", r.perRequest(d)) }
	t := &table{head: []string{"CPU per request, by part of the process", p.base.name, p.hit.name, "hit − " + p.base.name, "share of the hit's CPU"}}
	t.add("**all**", perReq(p.base, p.base.cpu), perReq(p.hit, p.hit.cpu),
		fmt.Sprintf("%+.1f µs", p.hit.perRequest(p.hit.cpu)-p.base.perRequest(p.base.cpu)), "100%")
	for _, g := range p.groups {
		if g.hit == 0 && g.base == 0 {
			continue
		}
		share := 0.0
		if p.hit.cpu > 0 {
			share = 100 * float64(g.hit) / float64(p.hit.cpu)
		}
		t.add(g.name, perReq(p.base, g.base), perReq(p.hit, g.hit),
			fmt.Sprintf("%+.1f µs", p.hit.perRequest(g.hit)-p.base.perRequest(g.base)), fmt.Sprintf("%.1f%%", share))
	}
	w("%s\nA part's time is that of the samples whose stack passes through it, so parts overlap (system calls happen inside the server and the client).\n\n", t)
	w("The hit's top functions by flat time (%s sampled, %d requests):\n\n%s\n", p.hit.cpu, p.hit.requests, profileTable(p.flat))
	w("By cumulative time:\n\n%s\n", profileTable(p.cum))
}

func profileTable(rows []profileRow) *table {
	t := &table{head: []string{"function", "flat", "flat %", "cum", "cum %"}}
	for _, r := range rows {
		t.add("`"+r.name+"`", r.flatTime, fmt.Sprintf("%.1f%%", r.flat), r.cumTime, fmt.Sprintf("%.1f%%", r.cum))
	}
	return t
}

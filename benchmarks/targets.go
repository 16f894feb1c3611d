package main

import (
	"fmt"
	"slices"
	"strconv"
)

// The targets of issue 5.
const (
	// maxPluginOverBare bounds the Get time of a plugin client used as a
	// gocache store over gocache's bare store's.
	maxPluginOverBare = 1.10
	// minHitOverPrebuilt bounds the memory store's HTTP hit throughput under
	// the prebuilt handler's, at 1 KiB.
	minHitOverPrebuilt = 0.95
	// minHitOverBareGet bounds a network store's HTTP hit throughput under
	// the bare GET handler's.
	minHitOverBareGet = 0.95
	// maxHeapOverCost bounds the memory store's heap growth over maxCost.
	maxHeapOverCost = 1.30
)

// targetRow is one line of the report's Targets table.
type targetRow struct {
	figure, target, measured string
	// group is the line of the summary that the row joins: its figure
	// without the size, or without the store where every store shares it.
	group   string
	v       float64 // the measured value, for the summary's range
	met     bool
	missing bool // not measured in this run
}

func (t targetRow) verdict() string {
	switch {
	case t.missing:
		return "not measured"
	case t.met:
		return "yes"
	}
	return "**no**"
}

// targets checks every target that the run measured.
func targets(res *results) []targetRow {
	var rows []targetRow
	for _, r := range res.storeOps {
		// The bound holds at every number of callers: a plugin client that
		// kept up alone but not under load would not be the bare store's
		// equal.
		if r.kind == opGetHit {
			row := atMost(fmt.Sprintf("Get hit, plugin client / bare gocache store, time per call: %s %s, %s", r.store, sizeName(r.size), callersName(r.conc)), r.ratio, maxPluginOverBare, "x")
			row.group = "Get hit, plugin client / bare gocache store, time per call: " + r.store
			rows = append(rows, row)
		}
	}
	for _, r := range res.http {
		switch {
		case r.kind == kindHit && r.store == storeMemory && r.size == 1<<10:
			row := atLeast("HTTP hit / prebuilt handler, req/s: memory 1K", r.vsPrebuilt, minHitOverPrebuilt)
			row.group = row.figure
			rows = append(rows, row)
		case r.kind == kindHit && r.store != storeMemory:
			row := atLeast(fmt.Sprintf("HTTP hit / bare GET handler, req/s: %s %s", r.store, sizeName(r.size)), r.vsBareGet, minHitOverBareGet)
			row.group = "HTTP hit / bare GET handler, req/s: " + r.store
			rows = append(rows, row)
		}
	}
	for _, s := range res.stampede {
		rows = append(rows, targetRow{
			figure:   fmt.Sprintf("stampede of %d requests on one cold key, origin calls: %s", s.requests, s.store),
			group:    fmt.Sprintf("stampede of %d requests on one cold key, origin calls, every store", s.requests),
			target:   "= 1",
			measured: strconv.FormatInt(s.originCalls, 10),
			v:        float64(s.originCalls),
			met:      s.originCalls == 1 && s.errs == 0,
		})
	}
	for _, m := range res.membound {
		row := atMost(fmt.Sprintf("memory store heap growth / maxCost, %dx maxCost offered: %s values", memOffered, sizeName(m.size)), m.ratio(), maxHeapOverCost, "")
		row.group = fmt.Sprintf("memory store heap growth / maxCost, %dx maxCost offered, every value size", memOffered)
		rows = append(rows, row)
	}
	return rows
}

// callersName is how a row names its number of concurrent callers.
func callersName(n int) string {
	if n == 1 {
		return "sequential"
	}
	return fmt.Sprintf("%d callers", n)
}

func atMost(figure string, v, limit float64, unit string) targetRow {
	return targetRow{figure: figure, target: fmt.Sprintf("≤ %.2f%s", limit, unit), measured: fmt.Sprintf("%.2f%s", v, unit), v: v, met: v > 0 && v <= limit, missing: v == 0}
}

func atLeast(figure string, v, limit float64) targetRow {
	return targetRow{figure: figure, target: fmt.Sprintf("≥ %.2f", limit), measured: fmt.Sprintf("%.2f", v), v: v, met: v >= limit, missing: v == 0}
}

// summaryRow is one line of the Targets summary: the rows of a group, with
// the range of what they measured and how many met their target.
type summaryRow struct {
	group, target, measured string
	met, of                 int
}

func (s summaryRow) verdict() string {
	if s.of == 0 {
		return "not measured"
	}
	return fmt.Sprintf("%d of %d", s.met, s.of)
}

// summarizeTargets joins rows by group, in the order the groups first come.
func summarizeTargets(rows []targetRow) []summaryRow {
	var out []summaryRow
	lo, hi := map[string]targetRow{}, map[string]targetRow{}
	for _, r := range rows {
		i := slices.IndexFunc(out, func(s summaryRow) bool { return s.group == r.group })
		if i < 0 {
			out = append(out, summaryRow{group: r.group, target: r.target})
			i = len(out) - 1
		}
		if r.missing {
			continue
		}
		out[i].of++
		if r.met {
			out[i].met++
		}
		if l, ok := lo[r.group]; !ok || r.v < l.v {
			lo[r.group] = r
		}
		if h, ok := hi[r.group]; !ok || r.v > h.v {
			hi[r.group] = r
		}
	}
	for i, s := range out {
		switch l, h := lo[s.group], hi[s.group]; {
		case s.of == 0:
			out[i].measured = "—"
		case l.measured == h.measured:
			out[i].measured = l.measured
		default:
			out[i].measured = l.measured + " – " + h.measured
		}
	}
	return out
}

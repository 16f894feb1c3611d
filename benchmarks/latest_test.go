package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPublishLatest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("latest-stale.svg", "from an earlier run")
	write("2026-01-02-host.md", "# report\n\n![throughput](2026-01-02-host-throughput.svg)\n[`2026-01-02-host-prebuilt.pprof`](2026-01-02-host-prebuilt.pprof)\n")
	write("2026-01-02-host-throughput.svg", "<svg/>")
	write("2026-01-02-host-prebuilt.pprof", "profile")

	base := filepath.Join(dir, "2026-01-02-host")
	if err := publishLatest(base, []string{"2026-01-02-host-throughput.svg", "2026-01-02-host-prebuilt.pprof"}); err != nil {
		t.Fatalf("publishLatest: got error %v, want nil", err)
	}
	tests := []struct {
		name, file, want string
	}{
		{name: "the report links the copies", file: "latest.md", want: "# report\n\n![throughput](latest-throughput.svg)\n[`latest-prebuilt.pprof`](latest-prebuilt.pprof)\n"},
		{name: "a chart is copied", file: "latest-throughput.svg", want: "<svg/>"},
		{name: "a profile is copied", file: "latest-prebuilt.pprof", want: "profile"},
		{name: "the dated report is left as it was", file: "2026-01-02-host.md", want: "2026-01-02-host-throughput.svg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Errorf("%s: got %q, want it to contain %q", tt.file, got, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "latest-stale.svg")); !os.IsNotExist(err) {
		t.Errorf("latest-stale.svg: got stat error %v, want it removed", err)
	}
}

func TestSummarizeTargets(t *testing.T) {
	rows := []targetRow{
		atMost("a 1K", 1.05, 1.10, "x"), atMost("a 16K", 0.98, 1.10, "x"), atMost("a 256K", 1.30, 1.10, "x"),
		atLeast("b", 0, 0.95),
		atLeast("c", 0.97, 0.95),
	}
	for i, g := range []string{"a", "a", "a", "b", "c"} {
		rows[i].group = g
	}
	tests := []struct {
		name, group, measured, verdict string
	}{
		{name: "a group shows its range and how many met", group: "a", measured: "0.98x – 1.30x", verdict: "2 of 3"},
		{name: "a group measured nowhere says so", group: "b", measured: "—", verdict: "not measured"},
		{name: "a group of one shows its figure", group: "c", measured: "0.97", verdict: "1 of 1"},
	}
	got := summarizeTargets(rows)
	if len(got) != len(tests) {
		t.Fatalf("got %d summary rows %+v, want %d", len(got), got, len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := got[i]
			if s.group != tt.group || s.measured != tt.measured || s.verdict() != tt.verdict {
				t.Errorf("got %q %q %q, want %q %q %q", s.group, s.measured, s.verdict(), tt.group, tt.measured, tt.verdict)
			}
		})
	}
}

// TestTargetsOfGetHit checks that the plugin/bare Get target is checked at
// every number of callers, and only for Get hit, each row named by its store,
// size and callers and joined with its store's other rows.
func TestTargetsOfGetHit(t *testing.T) {
	res := &results{storeOps: []opResult{
		{store: storeMemcache, size: 1 << 10, conc: 1, kind: opGetHit, ratio: 1.02},
		{store: storeMemcache, size: 16 << 10, conc: 8, kind: opGetHit, ratio: 1.20},
		{store: storeMemcache, size: 1 << 10, conc: 64, kind: opGetHit, ratio: 0.98},
		{store: storeMemcache, size: 1 << 10, conc: 8, kind: opSet, ratio: 2.00},
		{store: storeMemcache, size: 1 << 10, conc: 8, kind: opGetMiss, ratio: 1.50},
	}}
	tests := []struct {
		name, figure string
		met          bool
	}{
		{"sequential calls", "Get hit, plugin client / bare gocache store, time per call: memcache 1K, sequential", true},
		{"8 callers", "Get hit, plugin client / bare gocache store, time per call: memcache 16K, 8 callers", false},
		{"64 callers", "Get hit, plugin client / bare gocache store, time per call: memcache 1K, 64 callers", true},
	}
	got := targets(res)
	if len(got) != len(tests) {
		t.Fatalf("got %d rows %+v, want %d: one per Get hit measurement, none for Set or Get miss", len(got), got, len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := got[i]
			if r.figure != tt.figure || r.met != tt.met {
				t.Errorf("got %q, met %v; want %q, met %v", r.figure, r.met, tt.figure, tt.met)
			}
			if want := "Get hit, plugin client / bare gocache store, time per call: memcache"; r.group != want {
				t.Errorf("group: got %q, want %q", r.group, want)
			}
		})
	}
}

// TestRemoveStale checks that a run removes the charts and profiles an
// earlier run wrote under its report's name, keeps its own, and leaves alone
// the files of a host whose name starts like this one's.
func TestRemoveStale(t *testing.T) {
	tests := []struct {
		name, file string
		wantKept   bool
	}{
		{"an earlier run's profile of a store this run did not profile goes", "2026-01-02-vm-memcache-hit.pprof", false},
		{"an earlier run's bare GET profile goes", "2026-01-02-vm-redis-cluster-bare-GET.pprof", false},
		{"an earlier run's prebuilt profile goes", "2026-01-02-vm-prebuilt.pprof", false},
		{"an earlier run's chart this run did not draw goes", "2026-01-02-vm-latency.svg", false},
		{"the chart of host vm-memcache stays", "2026-01-02-vm-memcache-throughput.svg", true},
		{"this run's profile stays", "2026-01-02-vm-redis-hit.pprof", true},
		{"this run's chart stays", "2026-01-02-vm-throughput.svg", true},
		{"the chart of host vm-2 stays", "2026-01-02-vm-2-throughput.svg", true},
		{"a name no run writes stays", "2026-01-02-vm-memcache-hit.pprof.x", true},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		if err := os.WriteFile(filepath.Join(dir, tt.file), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keep := []string{"2026-01-02-vm-redis-hit.pprof", "2026-01-02-vm-throughput.svg"}
	if err := removeStale(dir, "2026-01-02-vm-", keep); err != nil {
		t.Fatalf("removeStale: got error %v, want nil", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := os.Stat(filepath.Join(dir, tt.file))
			if kept := err == nil; kept != tt.wantKept {
				t.Errorf("%s kept: got %v (%v), want %v", tt.file, kept, err, tt.wantKept)
			}
		})
	}
}

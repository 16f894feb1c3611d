package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQuickRun runs the whole harness as -quick does, into a temporary
// directory, with durations shorter still so that it takes seconds under the
// race detector. It checks that every part ran and wrote its section, not
// what the figures are.
func TestQuickRun(t *testing.T) {
	dir := t.TempDir()
	cfg, err := parseFlags([]string{"-quick", "-out", dir}, io.Discard)
	if err != nil {
		t.Fatalf("parseFlags: got error %v, want nil", err)
	}
	cfg.duration, cfg.stampede, cfg.memMaxCost = 4*time.Millisecond, 50, 1<<20
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	path, res, err := run(ctx, cfg, newProgress(testWriter{t}, false))
	if err != nil {
		t.Fatalf("run: got error %v, want nil", err)
	}
	if filepath.Dir(path) != dir {
		t.Errorf("report in %s, want in %s", filepath.Dir(path), dir)
	}
	report, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"## Targets", "## Machine", "## Store operations", "## HTTP", "## Stampede", "## Memory bound", "## Growth", "## Charts", "## Where the time goes"} {
		if !strings.Contains(string(report), section) {
			t.Errorf("report has no %q section", section)
		}
	}
	svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	if len(svgs) != 4 {
		t.Errorf("got %d charts %v, want 4", len(svgs), svgs)
	}
	opened := len(cfg.stores) - len(res.servers.skipped)
	if got, want := len(res.storeOps), opened*len(cfg.sizes)*len(cfg.conc)*len(opKinds); got != want {
		t.Errorf("got %d store op results, want %d", got, want)
	}
	for _, r := range res.storeOps {
		if r.plugin.ops == 0 || r.bare.ops == 0 {
			t.Errorf("%s %s c=%d: plugin made %d calls, bare %d, want some of each", r.store, r.kind, r.conc, r.plugin.ops, r.bare.ops)
		}
		if got, want := r.client.ops > 0, r.kind == opGetHit; got != want {
			t.Errorf("%s %s c=%d: Client.Get made %d calls, want some only for %s", r.store, r.kind, r.conc, r.client.ops, opGetHit)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, latestName+".md")); !os.IsNotExist(err) {
		t.Errorf("a -quick run wrote %s.md (stat: %v), want it left to full runs", latestName, err)
	}
	for _, r := range res.http {
		if r.sum.ops == 0 {
			t.Errorf("HTTP %s: no requests", r.name)
		}
		if r.sum.cpuPerOp <= 0 && processCPU() > 0 {
			t.Errorf("HTTP %s: CPU per request %v, want some", r.name, r.sum.cpuPerOp)
		}
	}
	if len(res.stampede) != opened || len(res.membound) != len(cfg.sizes) {
		t.Errorf("got %d stampede and %d memory bound results, want %d and %d", len(res.stampede), len(res.membound), opened, len(cfg.sizes))
	}
	for _, s := range res.stampede {
		if s.originCalls < 1 {
			t.Errorf("stampede on %s: origin called %d times, want at least once", s.store, s.originCalls)
		}
	}
}

// testWriter sends the progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(config) bool
	}{
		{name: "defaults measure every store at three sizes", args: nil, check: func(c config) bool {
			return len(c.stores) == 4 && len(c.sizes) == 3 && c.duration == time.Second && !c.tempOut
		}},
		{name: "-quick writes into a temporary directory", args: []string{"-quick"}, check: func(c config) bool {
			return c.tempOut && len(c.sizes) == 1 && c.duration < time.Second
		}},
		{name: "-quick with -out writes there", args: []string{"-quick", "-out", "x"}, check: func(c config) bool {
			return !c.tempOut && c.out == "x"
		}},
		{name: "sizes take K suffixes", args: []string{"-sizes", "512,4K"}, check: func(c config) bool {
			return len(c.sizes) == 2 && c.sizes[0] == 512 && c.sizes[1] == 4096
		}},
		{name: "given servers are kept", args: []string{"-redis-cluster", "a:1,b:2,c:3", "-memcache", "m:1"}, check: func(c config) bool {
			return len(c.clusterAddrs) == 3 && c.memcacheAddr == "m:1"
		}},
		{name: "an unknown store is refused", args: []string{"-stores", "memory,valkey"}, wantErr: `unknown store "valkey"`},
		{name: "a bad size is refused", args: []string{"-sizes", "1G"}, wantErr: "-sizes"},
		{name: "a size over 512K is refused", args: []string{"-sizes", "1M"}, wantErr: "over 512K"},
		{name: "zero rounds are refused", args: []string{"-rounds", "0"}, wantErr: "-rounds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, io.Discard)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("got error %v, want nil", err)
			case !tt.check(c):
				t.Errorf("got config %+v, which fails the check", c)
			}
		})
	}
}

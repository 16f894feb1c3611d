package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
)

// machine describes where a run ran, for the report.
type machine struct {
	host, cpu, kernel       string
	cores, maxProcs         int
	goos, goarch, goVersion string
	commit                  string // plugcache's git commit, "" when unknown
}

func readMachine() machine {
	m := machine{
		cpu: cpuModel(), cores: runtime.NumCPU(), maxProcs: runtime.GOMAXPROCS(0),
		goos: runtime.GOOS, goarch: runtime.GOARCH, goVersion: runtime.Version(),
		commit: gitCommit(),
	}
	m.host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	return m
}

// cpuModel reads the model name from /proc/cpuinfo, where there is one.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// gitCommit is the commit of the work tree, marked when it has changes.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		commit += " with uncommitted changes"
	}
	return commit
}

// keyModules are the modules whose versions the report lists.
var keyModules = []string{
	"github.com/redis/go-redis/v9",
	"github.com/bradfitz/gomemcache",
	"github.com/dgraph-io/ristretto/v2",
	"github.com/eko/gocache/lib/v4",
	"github.com/eko/gocache/store/redis/v4",
	"github.com/eko/gocache/store/memcache/v4",
	"github.com/eko/gocache/store/ristretto/v4",
	"gonum.org/v1/plot",
}

// moduleVersions returns the version of each key module built in.
func moduleVersions() [][2]string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	got := map[string]string{}
	for _, d := range info.Deps {
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Path + " " + d.Replace.Version
		}
		got[d.Path] = v
	}
	var out [][2]string
	for _, p := range keyModules {
		if v, ok := got[p]; ok {
			out = append(out, [2]string{p, v})
		}
	}
	return out
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/plugcache/plugcache"
)

func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var configs files
	fs.Var(&configs, "config", "config `file`; repeat to merge files in order (later wins)")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on the whole check")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // asked for the usage, which Parse printed
		}
		return errReported
	}
	if fs.NArg() > 0 {
		// A file named without --config would otherwise go unread, and the
		// check pass on app-config.yaml instead.
		return fmt.Errorf("check: unexpected argument %q; give config files with --config", fs.Arg(0))
	}
	if len(configs) == 0 {
		configs = files{"app-config.yaml"}
	}
	cfg, err := checkConfig(configs)
	if err != nil {
		return err
	}
	mgr, err := plugcache.NewManager(cfg)
	if err != nil {
		return err
	}
	defer mgr.Close()

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	results := mgr.Check(ctx)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLUGIN\tSTORE\tCONNECTION\tROUND TRIP")
	failed := 0
	for _, r := range results {
		outcome := "ok " + r.Latency.Round(time.Microsecond).String()
		if r.Err != nil {
			failed++
			outcome = "FAILED: " + r.Err.Error()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Plugin, r.Store, r.Connection, outcome)
	}
	tw.Flush()
	if failed > 0 {
		return fmt.Errorf("check: %d of %d plugins could not reach their store", failed, len(results))
	}
	return nil
}

// checkConfig loads the cache config of the files, and checks their proxy
// block with the proxy's own loader and checks, so that check passes only
// what the proxy would start with. Backstage's own proxy block is left alone:
// Backstage's app-config uses a top-level proxy block for proxy-backend, and
// a service that never runs plugcache's proxy must still be able to check its
// cache config. A block that holds none of plugcache's keys, and one of
// proxy-backend's or an endpoint path ("/api"), is taken for Backstage's.
func checkConfig(paths []string) (*plugcache.Config, error) {
	cfg, tree, err := parseFiles(paths)
	if err != nil {
		return nil, err
	}
	if backstageProxy(tree.Section("proxy").Keys()) {
		return cfg, nil
	}
	block, err := decodeProxyBlock(tree)
	if err != nil {
		return nil, err
	}
	return cfg, checkBlock(cfg, block, tree)
}

// backstageProxy reports whether a proxy block with keys is Backstage's.
func backstageProxy(keys []string) bool {
	backstage := false
	for _, k := range keys {
		switch {
		case slices.Contains(proxyKeys, k):
			return false
		case slices.Contains(backstageProxyKeys, k), strings.HasPrefix(k, "/"):
			backstage = true
		}
	}
	return backstage
}

// proxyKeys are the keys of plugcache's proxy block (proxyBlock), and
// backstageProxyKeys those of Backstage's proxy-backend.
var (
	proxyKeys          = []string{"listen", "upstream", "upstreamTimeout", "routes", "admin"}
	backstageProxyKeys = []string{"endpoints", "reviveConsumedRequestBodies", "skipInvalidProxies"}
)

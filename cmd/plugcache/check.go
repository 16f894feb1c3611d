package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	// The proxy's own loader and checks, so that check passes only what
	// the proxy would start with.
	cfg, block, tree, err := loadFiles(configs)
	if err != nil {
		return err
	}
	if err := checkBlock(cfg, block, tree); err != nil {
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

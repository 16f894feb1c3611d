// Command plugcache checks plugcache configurations against their stores and
// runs the caching reverse proxy.
//
//	plugcache check --config app-config.yaml [--config app-config.production.yaml]
//
// check makes a set, get and delete round trip through every plugin's store and
// exits non-zero, with the reason, when any fails.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "plugcache:", err)
		}
		os.Exit(1)
	}
}

// errReported is returned by a command that has already told the user why it
// failed.
var errReported = errors.New("failure reported")

const usage = `usage: plugcache <command> [flags]

commands:
  check   verify a configuration against its stores (set/get/delete per plugin)
`

// run is the whole program, apart from the process's exit, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "check":
		return check(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// files is a flag that may be given more than once.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

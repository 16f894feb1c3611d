package demo

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/backends/redis"
)

// Program is one example: the demo service on one web framework. The zero
// Program is not usable: every field is required.
type Program struct {
	// Name is the example's directory under examples/, such as "nethttp".
	// It names the program in its usage and errors, and its embedded
	// config in config errors.
	Name string
	// Config is the example's app-config.yaml, embedded in the program with
	// go:embed so that it runs the same from any directory, and a built
	// binary needs no file beside it.
	Config []byte
	// Routes returns the example's root handler, which serves site under
	// /docs/ behind mgr.Middleware("techdocs") and cat's routes under
	// /api/catalog/ behind mgr.Middleware("catalog"), and redirects / to
	// /docs/. It is called once, at start.
	Routes func(mgr *plugcache.Manager, site *Site, cat *Catalog) http.Handler
}

// Main runs p as a command, with the arguments of its command line, until
// SIGINT or SIGTERM; requests in flight may then finish. It exits with status
// 1, the error on stderr, if p could not start or stop cleanly.
//
// Before that, it sends go-redis's own log lines, such as "failed to dial"
// while a server is down, to the program's logger with
// redis.RouteClientLogs. That sets go-redis's logger for the whole process,
// so it is done here, once, rather than in Run.
func (p Program) Main() {
	logger := newLogger(os.Stdout)
	redis.RouteClientLogs(logger)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := p.run(ctx, os.Args[1:], os.Stdout, logger)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", p.Name, err)
		os.Exit(1)
	}
}

// Run is the whole program but for signals, the exit status and go-redis's
// logger, so that tests can start it, talk to it over HTTP and stop it by
// cancelling ctx. It takes the flags -addr and -config from args and prints
// the address it listens on, the curl commands to try and its log to stdout.
// It returns nil after -h, or once ctx is done and the server and the caches
// are closed.
func (p Program) Run(ctx context.Context, args []string, stdout io.Writer) error {
	return p.run(ctx, args, stdout, newLogger(stdout))
}

// run is Run with the logger that Main shares with go-redis.
func (p Program) run(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	flags := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	flags.SetOutput(stdout)
	addr := flags.String("addr", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
	var files configFiles
	flags.Var(&files, "config", "a config `file` merged after app-config.yaml; repeatable")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	cfg, err := p.LoadConfig(files)
	if err != nil {
		return err
	}
	return p.start(ctx, *addr, cfg, stdout, logger)
}

// start opens the caches of cfg, builds the service and serves it on addr
// until ctx is done, then closes the caches.
func (p Program) start(ctx context.Context, addr string, cfg *plugcache.Config, stdout io.Writer, logger *slog.Logger) (err error) {
	mgr, err := plugcache.Open(cfg, plugcache.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, mgr.Close()) }()

	changed, err := purgeList(mgr, logger)
	if err != nil {
		return err
	}
	site := newSite(RenderDelay, logger)
	handler := p.Routes(mgr, site, newCatalog(seedEntities(), changed))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	printTryIt(stdout, p.Name, "http://"+ln.Addr().String(), storeName(cfg), site.etag("intro"))
	return serve(ctx, srv, ln)
}

// newLogger returns the program's logger, which writes text lines to w.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}

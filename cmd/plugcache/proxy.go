package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/backends/redis"
)

// proxyFlags are the proxy command's flags.
type proxyFlags struct {
	configs         files
	listen          string
	upstream        string
	upstreamTimeout time.Duration
	adminListen     string
	adminToken      string
	requireStore    bool
	grace           time.Duration
	logFormat       string
	logLevel        string
	accessLog       bool
	set             map[string]bool // the flags given on the command line
}

// given reports whether flag name was on the command line.
func (f *proxyFlags) given(name string) bool { return f.set[name] }

// parseProxyFlags reads the proxy command's flags from args.
func parseProxyFlags(args []string, stderr io.Writer) (*proxyFlags, error) {
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &proxyFlags{set: map[string]bool{}}
	fs.Var(&f.configs, "config", "config `file`; repeat to merge files in order (later wins). Default: app-config.yaml when it exists")
	fs.StringVar(&f.listen, "listen", "", "`address` to serve the proxy on (proxy.listen; default "+defaultListen+")")
	fs.StringVar(&f.upstream, "upstream", "", "`URL` of the service behind the proxy (proxy.upstream)")
	fs.DurationVar(&f.upstreamTimeout, "upstream-timeout", defaultUpstreamTimeout, "how long to wait for the upstream's response header, then answer 504 (proxy.upstreamTimeout; 0 means no limit)")
	fs.StringVar(&f.adminListen, "admin-listen", "", "`address` of the admin listener: /metrics, /healthz, /readyz, status page, /purge (proxy.admin.listen; default off)")
	fs.StringVar(&f.adminToken, "admin-token", "", "`token` that POST /purge requires (proxy.admin.token, or $"+tokenEnv+"; default: no /purge)")
	fs.BoolVar(&f.requireStore, "require-store", false, "refuse to start when a store does not answer, rather than serve uncached")
	fs.DurationVar(&f.grace, "grace", 30*time.Second, "on SIGINT or SIGTERM, how long requests in flight may take to finish")
	fs.StringVar(&f.logFormat, "log-format", "text", "log `format`: text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "lowest `level` logged: debug, info, warn or error")
	fs.BoolVar(&f.accessLog, "access-log", false, "log one line per request")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errReported
	}
	if fs.NArg() > 0 {
		return nil, errors.New("proxy: unexpected arguments; every setting is a flag")
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if len(f.configs) == 0 {
		if _, err := os.Stat("app-config.yaml"); err == nil {
			f.configs = files{"app-config.yaml"}
		}
	}
	return f, nil
}

// proxy runs the caching reverse proxy until ctx is done.
func proxy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseProxyFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logger, err := newLogger(stderr, f.logFormat, f.logLevel)
	if err != nil {
		return err
	}
	redis.RouteClientLogs(logger)
	cfg, block, tree, err := loadFiles(f.configs)
	if err != nil {
		return err
	}
	s, err := resolve(cfg, block, tree, f)
	if err != nil {
		return err
	}
	return runProxy(ctx, s, logger)
}

// runProxy opens the stores, listens, checks the stores and serves until ctx
// is done, then closes the stores.
func runProxy(ctx context.Context, s settings, logger *slog.Logger) (err error) {
	// Metrics cost every request a few clock reads and atomic adds; only the
	// admin listener shows them.
	var metrics *plugcache.Metrics
	if s.adminListen != "" {
		metrics = plugcache.NewMetrics()
	}
	mgr, err := plugcache.Open(s.cache, plugcache.Options{Metrics: metrics, Logger: logger})
	if err != nil {
		return err
	}
	defer func() {
		// A failure to close is returned, and main prints it; only a clean
		// close is logged here, so that it is not told twice.
		cerr := mgr.Close()
		if cerr == nil {
			logger.Info("stores closed")
		}
		err = errors.Join(err, cerr)
	}()

	eps, err := listenAll(s)
	if err != nil {
		return err
	}
	proxyHandler, plugins := newProxyHandler(mgr, s, logger)
	eps[0].srv = newServer(proxyHandler, logger)
	h := newHealth(mgr)
	if err := checkAtStart(ctx, h, s.requireStore, logger); err != nil {
		closeAll(eps)
		return err
	}
	if len(eps) > 1 {
		a := newAdmin(mgr, h, metrics, s, plugins, eps[0].ln.Addr().String(), logger)
		eps[1].srv = newServer(a.handler(), logger)
	}
	logListening(logger, s, eps, plugins)
	return serve(ctx, s.grace, logger, eps...)
}

// listenAll opens the proxy's listener, then the admin one when configured.
func listenAll(s settings) ([]endpoint, error) {
	ln, err := listen("proxy", s.listen)
	if err != nil {
		return nil, err
	}
	eps := []endpoint{{name: "proxy", ln: ln}}
	if s.adminListen != "" {
		aln, err := listen("admin", s.adminListen)
		if err != nil {
			ln.Close()
			return nil, err
		}
		eps = append(eps, endpoint{name: "admin", ln: aln})
	}
	return eps, nil
}

func closeAll(eps []endpoint) {
	for _, ep := range eps {
		ep.ln.Close()
	}
}

// newProxyHandler returns the proxy: each route's requests pass through its
// plugin's cache to the upstream, and requests no route covers go to the
// upstream uncached. It returns the plugins the config and the routes name,
// sorted.
func newProxyHandler(mgr *plugcache.Manager, s settings, logger *slog.Logger) (http.Handler, []string) {
	up := newUpstream(s.upstream, s.upstreamTimeout, logger)
	wrap := func(plugin string, h http.Handler) http.Handler {
		if s.accessLog {
			return logRequests(logger, plugin, h)
		}
		return h
	}
	rt := newRouter(s.routes, func(plugin string) http.Handler {
		return wrap(plugin, mgr.Middleware(plugin)(up))
	}, wrap("", up))
	plugins := slices.Concat(mgr.Plugins(), rt.plugins())
	slices.Sort(plugins)
	return rt, slices.Compact(plugins)
}

// newAdmin returns the admin listener's handlers, with metrics from a
// registry of this proxy's own.
func newAdmin(mgr *plugcache.Manager, h *health, m *plugcache.Metrics, s settings, plugins []string, proxyAddr string, logger *slog.Logger) *admin {
	reg := prometheus.NewRegistry()
	reg.MustRegister(m, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &admin{
		mgr:       mgr,
		health:    h,
		metrics:   promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		token:     s.adminToken,
		plugins:   plugins,
		routes:    s.routes,
		upstream:  s.upstream.Redacted(),
		proxyHost: proxyAddr,
		started:   time.Now(),
		logger:    logger,
	}
}

// logListening logs where the proxy serves and how, once the listeners are
// open. Port 0 in the config is resolved here.
func logListening(logger *slog.Logger, s settings, eps []endpoint, plugins []string) {
	admin, purge := "off", "off"
	if len(eps) > 1 {
		admin = eps[1].ln.Addr().String()
		if s.adminToken != "" {
			purge = "on"
		}
	}
	var routes []string
	for _, r := range s.routes {
		routes = append(routes, r.Path+"="+r.Plugin)
	}
	if len(routes) == 0 {
		routes = []string{"/=default"}
	}
	logger.Info("listening",
		"proxy", eps[0].ln.Addr().String(),
		"admin", admin,
		"purge", purge,
		"upstream", s.upstream.Redacted(),
		"routes", routes,
		"plugins", plugins,
	)
	if s.adminToken != "" && len(eps) == 1 {
		logger.Warn("an admin token is set but no admin listener: purge is off; set proxy.admin.listen or --admin-listen")
	}
	for _, id := range plugins {
		if _, ok := s.cache.Plugin[id]; !ok && id != plugcache.DefaultPlugin {
			logger.Info("route plugin has no block under backend.cache.plugin; it uses backend.cache's settings", "plugin", id)
		}
	}
}

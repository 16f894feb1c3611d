package main

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/internal/confyaml"
)

// proxyBlock is the top-level proxy block of app-config.yaml, beside
// backend. Flags override each of its keys.
type proxyBlock struct {
	// Listen is the address the proxy serves on, host:port. Default:
	// 127.0.0.1:8090. Port 0 picks a free port, which the "listening" log
	// line gives.
	Listen string `yaml:"listen"`
	// Upstream is the http or https URL of the service behind the proxy.
	// Required.
	Upstream string `yaml:"upstream"`
	// UpstreamTimeout is how long the proxy waits for the upstream's
	// response header once it has sent a request, before it answers 504, or
	// the stale entry within staleIfError. It bounds every request coalesced
	// on the same key too. The body may take as long as it needs. A pointer,
	// so that 0 is told from no key. Default: 30s. Zero means no limit.
	UpstreamTimeout *time.Duration `yaml:"upstreamTimeout"`
	// Routes send each path prefix to one plugin's cache; the longest prefix
	// wins. Default: none. None means every path uses plugin default.
	Routes []routeConfig `yaml:"routes"`
	// Admin configures the admin listener.
	Admin adminBlock `yaml:"admin"`
}

// routeConfig is one entry of proxy.routes.
type routeConfig struct {
	// Path is a clean path prefix starting with "/", written unescaped and
	// without '%'. A prefix ending in "/" covers the paths under it; any
	// other covers itself and the paths under it ("/api" covers /api and
	// /api/x, not /apix).
	Path string `yaml:"path"`
	// Plugin is the ID of the plugin whose cache serves the route: its store
	// and its http options from backend.cache.plugin.<id>.
	Plugin string `yaml:"plugin"`
}

// adminBlock is proxy.admin.
type adminBlock struct {
	// Listen is the admin listener's address, host:port. Default: "". Empty
	// means no admin listener.
	Listen string `yaml:"listen"`
	// Token guards POST /purge, as "Authorization: Bearer <token>" or the
	// status page's form. Default: "". Empty means no /purge.
	Token string `yaml:"token"`
}

// defaultListen is where the proxy listens when neither --listen nor
// proxy.listen says.
const defaultListen = "127.0.0.1:8090"

// defaultUpstreamTimeout is how long the proxy waits for the upstream's
// response header when neither --upstream-timeout nor proxy.upstreamTimeout
// says.
const defaultUpstreamTimeout = 30 * time.Second

// tokenEnv is the environment variable that gives the admin token when
// --admin-token does not.
const tokenEnv = "PLUGCACHE_ADMIN_TOKEN"

// settings is what the proxy runs with: the proxy block with the flags laid
// over it, checked, and the cache config beside it.
type settings struct {
	cache    *plugcache.Config
	listen   string
	upstream *url.URL
	// upstreamTimeout bounds the wait for the upstream's response header.
	// Zero means no limit.
	upstreamTimeout time.Duration
	routes          []routeConfig
	adminListen     string
	adminToken      string
	requireStore    bool
	grace           time.Duration
	accessLog       bool
}

// loadFiles reads the config files once and decodes both backend.cache and
// proxy from them. With no files it is the zero Config and an empty block.
// Errors name the file, the line and the key.
func loadFiles(paths []string) (*plugcache.Config, proxyBlock, *confyaml.Tree, error) {
	cfg, tree, err := parseFiles(paths)
	if err != nil {
		return nil, proxyBlock{}, nil, err
	}
	b, err := decodeProxyBlock(tree)
	if err != nil {
		return nil, proxyBlock{}, nil, err
	}
	return cfg, b, tree, nil
}

// parseFiles reads the config files once and parses them into the cache
// config and the merged tree. With no files it is the zero Config and no tree.
func parseFiles(paths []string) (*plugcache.Config, *confyaml.Tree, error) {
	if len(paths) == 0 {
		return &plugcache.Config{}, nil, nil
	}
	raw, err := readFiles(paths)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := plugcache.ParseConfig(configFiles(raw)...)
	if err != nil {
		return nil, nil, err
	}
	tree, err := confyaml.ParseFiles(raw...)
	if err != nil {
		return nil, nil, err // ParseConfig would have said so first
	}
	return cfg, tree, nil
}

// decodeProxyBlock decodes the proxy block of tree, strictly.
func decodeProxyBlock(tree *confyaml.Tree) (proxyBlock, error) {
	var b proxyBlock
	err := tree.Section("proxy").Decode(&b, os.LookupEnv)
	return b, err
}

// readFiles reads the config files, in order.
func readFiles(paths []string) ([]confyaml.File, error) {
	raw := make([]confyaml.File, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		raw[i] = confyaml.File{Name: p, Data: data}
	}
	return raw, nil
}

// configFiles are raw as plugcache.ParseConfig takes them.
func configFiles(raw []confyaml.File) []plugcache.ConfigFile {
	files := make([]plugcache.ConfigFile, len(raw))
	for i, f := range raw {
		files[i] = plugcache.ConfigFile{Name: f.Name, Data: f.Data}
	}
	return files
}

// resolve lays the flags over the block and checks the result. Every
// problem is reported, joined; each names the flag, or the key with its
// file and line.
func resolve(cfg *plugcache.Config, b proxyBlock, tree *confyaml.Tree, f *proxyFlags) (settings, error) {
	return (&resolver{f: f, tree: tree}).resolve(cfg, b)
}

// checkBlock checks the proxy block as the proxy does when it starts with
// no flags, so that check passes no config the proxy would refuse. A
// missing upstream is no problem here: the proxy may be given --upstream.
func checkBlock(cfg *plugcache.Config, b proxyBlock, tree *confyaml.Tree) error {
	r := &resolver{f: &proxyFlags{}, tree: tree, upstreamLater: true}
	_, err := r.resolve(cfg, b)
	return err
}

// resolve does the work of resolve and checkBlock: one path, so that the
// two cannot drift apart.
func (r *resolver) resolve(cfg *plugcache.Config, b proxyBlock) (settings, error) {
	f := r.f
	s := settings{
		cache:        cfg,
		routes:       b.Routes,
		requireStore: f.requireStore,
		grace:        f.grace,
		accessLog:    f.accessLog,
	}
	listen, listenSrc := r.pick("listen", "proxy.listen", f.listen, b.Listen)
	s.listen = cmp.Or(listen, defaultListen)
	r.check(listenSrc, checkAddr(s.listen))

	up, src := r.pick("upstream", "proxy.upstream", f.upstream, b.Upstream)
	if up != "" || !r.upstreamLater {
		u, err := parseUpstream(up)
		r.check(src, err)
		s.upstream = u
	}
	s.upstreamTimeout = r.upstreamTimeout(b)

	s.adminListen, src = r.pick("admin-listen", "proxy.admin.listen", f.adminListen, b.Admin.Listen)
	if s.adminListen != "" {
		err := checkAddr(s.adminListen)
		if err == nil && sameAddr(s.adminListen, s.listen) {
			err = errors.New("must differ from " + listenSrc.name)
		}
		r.check(src, err)
	}
	s.adminToken = cmp.Or(os.Getenv(tokenEnv), b.Admin.Token)
	if f.given("admin-token") {
		s.adminToken = f.adminToken
	}
	if f.grace < 0 {
		r.check(source{name: "--grace"}, errors.New("must be >= 0"))
	}
	r.errs = append(r.errs, checkRoutes(b.Routes, r.tree)...)
	return s, errors.Join(r.errs...)
}

// resolver gathers the settings' problems as resolve finds them.
type resolver struct {
	f    *proxyFlags
	tree *confyaml.Tree
	// upstreamLater lets the upstream be missing, for check: the proxy may
	// be given it as a flag that check does not see.
	upstreamLater bool
	errs          []error
}

// upstreamTimeout returns --upstream-timeout when it was given, else
// proxy.upstreamTimeout when it is set, else the default, and notes a
// negative one as a problem.
func (r *resolver) upstreamTimeout(b proxyBlock) time.Duration {
	d, src := defaultUpstreamTimeout, source{name: "proxy.upstreamTimeout", loc: r.tree.Location("proxy.upstreamTimeout")}
	switch {
	case r.f.given("upstream-timeout"):
		d, src = r.f.upstreamTimeout, source{name: "--upstream-timeout"}
	case b.UpstreamTimeout != nil:
		d = *b.UpstreamTimeout
	}
	if d < 0 {
		r.check(src, errors.New("must be >= 0; 0 means no limit"))
	}
	return d
}

// pick returns the flag's value when it was given, else the key's, with
// where it came from.
func (r *resolver) pick(flagName, key, fromFlag, fromYAML string) (string, source) {
	if r.f.given(flagName) {
		return fromFlag, source{name: "--" + flagName}
	}
	return fromYAML, source{name: key, loc: r.tree.Location(key)}
}

// check notes err, when not nil, as a problem of the setting from src.
func (r *resolver) check(src source, err error) {
	if err != nil {
		r.errs = append(r.errs, &confyaml.Error{Path: src.name, Loc: src.loc, Msg: err.Error()})
	}
}

// source is where a setting came from, for errors: a flag, or a key of the
// config files and where it stands.
type source struct {
	name string
	loc  confyaml.Location
}

// checkAddr checks a listen address: host:port, with a numeric port. An
// empty host means every interface.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("expected host:port, such as 127.0.0.1:8090")
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "" {
		return errors.New("expected host:port with a port number, such as 127.0.0.1:8090")
	}
	return nil
}

// sameAddr reports whether two listen addresses are the same one. Port 0,
// any free port, is never the same.
func sameAddr(a, b string) bool {
	ha, pa, _ := net.SplitHostPort(a)
	hb, pb, _ := net.SplitHostPort(b)
	return pa == pb && pa != "0" && (ha == hb || ha == "" || hb == "")
}

// parseUpstream checks the upstream URL. Its errors quote the URL only when
// it parses, with any password masked.
func parseUpstream(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("required: the URL of the service behind the proxy, such as http://127.0.0.1:7007")
	}
	u, err := url.Parse(raw)
	switch {
	case !strings.Contains(raw, "://"):
		return nil, errors.New("no scheme; expected a URL such as http://127.0.0.1:7007")
	case err != nil:
		return nil, errors.New("not a URL; expected one such as http://127.0.0.1:7007")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("%q: no host; expected a URL such as http://127.0.0.1:7007", u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("%q: credentials in the URL are not sent upstream; remove them", u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q: a query or fragment cannot prefix every request; remove it", u.Redacted())
	}
	return u, nil
}

// checkRoutes checks proxy.routes, naming each bad entry's key and line.
func checkRoutes(routes []routeConfig, tree *confyaml.Tree) []error {
	var errs []error
	seen := map[string]int{}
	for i, r := range routes {
		key := fmt.Sprintf("proxy.routes[%d]", i)
		fail := func(field, format string, args ...any) {
			loc := tree.Location(key + "." + field)
			if loc.File == "" {
				loc = tree.Location(key)
			}
			errs = append(errs, &confyaml.Error{Path: key + "." + field, Loc: loc, Msg: fmt.Sprintf(format, args...)})
		}
		switch {
		case r.Path == "":
			fail("path", "required: a path prefix such as /api/catalog/")
		case !strings.HasPrefix(r.Path, "/"):
			fail("path", "must start with /")
		case strings.Contains(r.Path, "%"):
			// Requests are matched unescaped, but for %2F, which no route
			// can hold: a '%' here could only fail to match.
			fail("path", "must not hold '%%': write the path unescaped, such as /api/my docs/")
		case cleanPath(r.Path) != r.Path:
			fail("path", "not a clean path; did you mean %q?", cleanPath(r.Path))
		default:
			if j, dup := seen[r.Path]; dup {
				fail("path", "the same path as proxy.routes[%d]", j)
			}
			seen[r.Path] = i
		}
		switch {
		case r.Plugin == "":
			fail("plugin", "required: the ID of the plugin whose cache serves the route")
		case !plugcache.ValidPluginID(r.Plugin):
			fail("plugin", "a plugin ID is letters, digits, '.', '_' and '-', starting with a letter or digit")
		}
	}
	return errs
}

// cleanPath is path.Clean that keeps a trailing slash, and leaves one where
// the last segment is "." or "..", as RFC 3986 §5.2.4 does ("/a/b/.." is
// "/a/"): the upstream reads the path so. It returns a clean p as it is,
// without allocating: the router cleans every request's path.
func cleanPath(p string) string {
	c := path.Clean(p)
	if c == "/" || !endsInDir(p) {
		return c
	}
	if len(p) == len(c)+1 && p[:len(c)] == c { // c is p without its slash
		return p
	}
	return c + "/"
}

// endsInDir reports whether the last segment of p is empty, "." or "..",
// so that p names a directory.
func endsInDir(p string) bool {
	return strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
}

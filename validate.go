package plugcache

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/plugcache/plugcache/backends/memcached"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/confyaml"
	"github.com/plugcache/plugcache/middleware"
)

var storeNames = []string{StoreMemcache, StoreMemory, StoreRedis}

// Validate checks the config as Open would, without connecting, and returns
// every problem found, joined. Each error names the key and, for a config read
// by LoadConfig, the file and line that set it.
func (c *Config) Validate() error {
	v := validator{source: c.source, seen: map[string]bool{}}
	ids := make([]string, 0, len(c.Plugin))
	for id := range c.Plugin {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	v.check(c.effective(DefaultPlugin))
	for _, id := range ids {
		if !pluginIDPattern.MatchString(id) {
			v.fail("backend.cache.plugin."+id, "%s", pluginIDRule)
			continue
		}
		s := c.effective(id)
		v.check(s)
		v.checkHTTP(c, id, s)
	}
	return errors.Join(v.errs...)
}

// checkHTTP checks plugin id's http block with the middleware's own rules,
// reporting each problem at its YAML key.
func (v *validator) checkHTTP(c *Config, id string, s settings) {
	base := "backend.cache.plugin." + id + "."
	switch sc := c.Plugin[id].HTTP.SetCookie; sc {
	case "", "bypass", "strip":
	default:
		v.fail(base+"http.setCookie", "unknown value %q; expected bypass or strip", sc)
	}
	switch r := c.Plugin[id].HTTP.Refresh; r {
	case "", "background", "inline":
	default:
		v.fail(base+"http.refresh", "unknown value %q; expected background or inline", r)
	}
	err := c.middlewareOptions(id, s.DefaultTTL).Validate()
	for _, e := range unjoin(err) {
		var fe *middleware.FieldError
		if !errors.As(e, &fe) {
			v.fail(base+"http", "%v", e)
			continue
		}
		path := base + httpKeys[fe.Field]
		if fe.Field == "DefaultTTL" {
			path = s.from["defaultTtl"]
		}
		msg := fe.Msg
		if fe.Field == "Policy" && strings.HasPrefix(msg, "override") {
			msg += ": set defaultTtl for this plugin or backend.cache"
		}
		v.fail(path, "%s", msg)
	}
}

// unjoin lists the errors that errors.Join put together.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

type validator struct {
	source *confyaml.Tree
	errs   []error
	seen   map[string]bool // path+message already reported, as plugins inherit fields
}

func (v *validator) fail(path, format string, args ...any) {
	v.failAt(path, path, format, args...)
}

// failAt reports a problem with the key at path, located where locPath
// stands: for a key that is missing, the key that made it necessary. A path
// the files do not hold is located at its nearest ancestor they do.
func (v *validator) failAt(path, locPath, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if v.seen[path+msg] {
		return
	}
	v.seen[path+msg] = true
	loc := v.source.Location(locPath)
	for p := locPath; loc.File == "" && strings.Contains(p, "."); {
		p = p[:strings.LastIndexByte(p, '.')]
		loc = v.source.Location(p)
	}
	v.errs = append(v.errs, fmt.Errorf("plugcache: %w", &confyaml.Error{Path: path, Loc: loc, Msg: msg}))
}

func (v *validator) check(s settings) {
	if !slices.Contains(storeNames, s.Store) {
		msg := fmt.Sprintf("unknown store; expected one of %s", strings.Join(storeNames, ", "))
		if near := nearestStore(s.Store); near != "" {
			msg = fmt.Sprintf("unknown store; did you mean %q?", near)
		}
		v.fail(s.from["store"], "%s", msg)
		return
	}
	for _, d := range []struct {
		field string
		neg   bool
	}{
		{"defaultTtl", s.DefaultTTL < 0},
		{"timeout", s.Timeout < 0},
		{"memcache.timeout", s.Memcache.Timeout < 0},
		{"memcache.maxIdleConns", s.Memcache.MaxIdleConns < 0},
		{"memcache.maxItemSize", s.Memcache.MaxItemSize < 0},
		{"memory.maxCost", s.Memory.MaxCost < 0},
	} {
		if d.neg {
			v.fail(s.from[d.field], "must be >= 0")
		}
	}
	switch s.Store {
	case StoreMemcache:
		if s.Connection == "" {
			v.failAt(s.from["connection"], s.from["store"], "required for store memcache: \"host:11211\", \"host:11211,host2:11211\" or a socket path")
		} else if err := checkMemcacheConnection(s.Connection); err != nil {
			v.fail(s.from["connection"], "%v", err)
		}
		if s.Memcache.MaxItemSize > 0 && s.Memcache.MaxItemSize < 1024 {
			v.fail(s.from["memcache.maxItemSize"], "must be at least 1KiB, as memcached's own -I is")
		}
	case StoreMemory:
		if s.Memory.MaxCost > 0 && s.Memory.MaxCost < minMemoryMaxCost {
			v.fail(s.from["memory.maxCost"], "must be at least 1KiB: each entry costs its key and value plus %d bytes, so a smaller store would refuse every value", ristretto.EntryOverhead)
		}
	case StoreRedis:
		v.checkRedis(s)
	}
}

// checkMemcacheConnection reads conn as Open does and has memcached.New,
// which does no I/O, check the servers, so that a list Open would refuse is
// refused here, with the key's file and line.
func checkMemcacheConnection(conn string) error {
	servers, err := memcacheServers(conn)
	if err != nil {
		return err
	}
	st, err := memcached.New(memcached.Options{Servers: servers})
	if err != nil {
		return err
	}
	return st.Close()
}

// minMemoryMaxCost is the smallest memory.maxCost accepted. The memory store
// takes any positive MaxCost, but one below an entry's overhead holds nothing,
// and one barely above it only tiny values: each Set would fail with
// ErrTooLarge, which the cache reports as a miss, so the mistake would go
// unseen.
const minMemoryMaxCost = 1 << 10

func (v *validator) checkRedis(s settings) {
	if sep := s.Redis.Client.KeyPrefixSeparator; s.Redis.Client.Namespace != "" && separatorClash.MatchString(sep) {
		// A plugin's keys start with namespace, separator, plugin ID and "@":
		// with a separator made of ID characters, plugin "b.c" in namespace
		// "a" and plugin "c" in namespace "a.b" would share their keys, and
		// each other's Clear.
		v.fail(s.from["redis.client.keyPrefixSeparator"], "%q holds a character that plugin IDs or plugcache's key layout use (letters, digits, '.', '_', '-', '@'); two plugins' keys could meet: use ':' or another", sep)
	}
	cl := s.Redis.Cluster
	switch {
	case cl != nil && len(cl.RootNodes) == 0:
		v.fail(s.from["redis.cluster"]+".rootNodes", "a redis.cluster block needs at least one root node: rootNodes: [ { url: redis://host:7000 } ]")
		return
	case cl == nil && s.Connection == "":
		v.failAt(s.from["connection"], s.from["store"], "required for store redis: redis://host:6379, rediss://host:6380 or unix:///path.sock (or a redis.cluster block)")
		return
	case cl != nil && cl.MaxCommandRedirections < 0:
		v.fail(s.from["redis.cluster"]+".maxCommandRedirections", "must be >= 0")
	}
	if cl != nil {
		for i, n := range cl.RootNodes {
			if n.URL == "" {
				v.fail(fmt.Sprintf("%s.rootNodes[%d].url", s.from["redis.cluster"], i), "required: redis://host:port")
				return
			}
		}
	}
	client, err := redisClient(s)
	if err != nil {
		path := s.from["connection"]
		if cl != nil {
			path = s.from["redis.cluster"] + ".rootNodes"
		}
		v.fail(path, "%v", err)
		return
	}
	client.Close()
}

// storeAliases are names people write for a store, from other tools.
var storeAliases = map[string]string{"memcached": StoreMemcache, "inmemory": StoreMemory, "ristretto": StoreMemory, "in-memory": StoreMemory}

func nearestStore(name string) string {
	if alias, ok := storeAliases[strings.ToLower(name)]; ok {
		return alias
	}
	return confyaml.Suggest(name, storeNames)
}

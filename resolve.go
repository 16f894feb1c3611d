package plugcache

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Defaults applied by Open where a field is zero.
const (
	defaultTimeout      = 100 * time.Millisecond
	defaultMaxIdleConns = 64
	defaultMaxItemSize  = 1 << 20
	defaultMaxCost      = 64 << 20
	defaultSeparator    = ":"
)

// DefaultPlugin is the plugin ID of backend.cache's own settings: a plugin with
// no block under plugin.<id> gets exactly these.
const DefaultPlugin = "default"

// pluginIDChars are the characters of a plugin ID, which starts with a letter
// or digit.
const pluginIDChars = `A-Za-z0-9._-`

var (
	pluginIDPattern = regexp.MustCompile(`^[A-Za-z0-9][` + pluginIDChars + `]*$`)
	// separatorClash matches what a key prefix separator may not hold: a
	// plugin ID character, or the '@' that ends a plugin's prefix.
	separatorClash = regexp.MustCompile(`[@` + pluginIDChars + `]`)
)

// settings is the effective StoreConfig of one plugin, with inheritance and
// defaults applied, and the key path each field came from, for errors.
type settings struct {
	StoreConfig
	from map[string]string // field name ("store", "connection", ...) -> key path that set it
}

// effective resolves plugin id's settings: the plugin's own fields over
// backend.cache's, then defaults. A plugin that names a different store starts
// that store's connection afresh.
func (c *Config) effective(id string) settings {
	const root = "backend.cache"
	s := settings{StoreConfig: c.StoreConfig, from: map[string]string{}}
	for _, f := range []string{"store", "connection", "defaultTtl", "timeout", "redis.client.namespace", "redis.client.keyPrefixSeparator", "redis.cluster", "memcache.timeout", "memcache.maxIdleConns", "memcache.maxItemSize", "memory.maxCost"} {
		s.from[f] = root + "." + f
	}
	if s.Store == "" {
		s.Store = StoreMemory
	}
	p, ok := c.Plugin[id]
	if ok {
		own := fmt.Sprintf("%s.plugin.%s.", root, id)
		set := func(field string, isSet bool, apply func()) {
			if isSet {
				apply()
				s.from[field] = own + field
			}
		}
		if p.Store != "" && p.Store != s.Store {
			s.Connection, s.Redis.Cluster = "", nil
			s.from["connection"], s.from["redis.cluster"] = own+"connection", own+"redis.cluster"
		}
		set("store", p.Store != "", func() { s.Store = p.Store })
		set("connection", p.Connection != "", func() { s.Connection, s.Redis.Cluster = p.Connection, nil })
		set("redis.cluster", p.Redis.Cluster != nil, func() { s.Redis.Cluster, s.Connection = p.Redis.Cluster, "" })
		set("defaultTtl", p.DefaultTTL != 0, func() { s.DefaultTTL = p.DefaultTTL })
		set("timeout", p.Timeout != 0, func() { s.Timeout = p.Timeout })
		set("redis.client.namespace", p.Redis.Client.Namespace != "", func() { s.Redis.Client.Namespace = p.Redis.Client.Namespace })
		set("redis.client.keyPrefixSeparator", p.Redis.Client.KeyPrefixSeparator != "", func() { s.Redis.Client.KeyPrefixSeparator = p.Redis.Client.KeyPrefixSeparator })
		set("memcache.timeout", p.Memcache.Timeout != 0, func() { s.Memcache.Timeout = p.Memcache.Timeout })
		set("memcache.maxIdleConns", p.Memcache.MaxIdleConns != 0, func() { s.Memcache.MaxIdleConns = p.Memcache.MaxIdleConns })
		set("memcache.maxItemSize", p.Memcache.MaxItemSize != 0, func() { s.Memcache.MaxItemSize = p.Memcache.MaxItemSize })
		set("memory.maxCost", p.Memory.MaxCost != 0, func() { s.Memory.MaxCost = p.Memory.MaxCost })
	}
	if s.Timeout == 0 {
		s.Timeout = defaultTimeout
	}
	if s.Memcache.Timeout == 0 {
		s.Memcache.Timeout = s.Timeout
	}
	if s.Memcache.MaxIdleConns == 0 {
		s.Memcache.MaxIdleConns = defaultMaxIdleConns
	}
	if s.Memcache.MaxItemSize == 0 {
		s.Memcache.MaxItemSize = defaultMaxItemSize
	}
	if s.Memory.MaxCost == 0 {
		s.Memory.MaxCost = defaultMaxCost
	}
	if s.Redis.Client.KeyPrefixSeparator == "" {
		s.Redis.Client.KeyPrefixSeparator = defaultSeparator
	}
	return s
}

// keyPrefix is the start of every key of plugin id, before its generation:
// [namespace<sep>]<pluginId>@. Backstage lays keys out as
// [namespace<sep>]<pluginId>:<key>; the generation between the plugin ID and
// the key is what lets Clear empty one plugin on stores that cannot list keys.
func (s settings) keyPrefix(id string) string {
	if s.Store == StoreRedis && s.Redis.Client.Namespace != "" {
		return s.Redis.Client.Namespace + s.Redis.Client.KeyPrefixSeparator + id + "@"
	}
	return id + "@"
}

// memcacheServers reads a memcache connection: "host:port,host2:port" or socket
// paths, each optionally written memcache://host:port. It refuses credentials,
// which gomemcache cannot send (it speaks no SASL), without echoing them. What
// makes a server valid (a "/" makes it a socket path, as in gomemcache) is
// left to memcached.New, so that validation and Open cannot disagree.
func memcacheServers(conn string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(conn, ",") {
		srv := strings.TrimSpace(part)
		for _, scheme := range []string{"memcache://", "memcached://"} {
			srv = strings.TrimPrefix(srv, scheme)
		}
		if srv == "" {
			return nil, fmt.Errorf("empty server in the list; expected \"host:11211,host2:11211\" or a socket path")
		}
		if at := strings.LastIndexByte(srv, '@'); at >= 0 {
			return nil, fmt.Errorf("server %d has credentials (user:password@), which the memcached client cannot use: it speaks no SASL; remove them and restrict access to the servers instead", len(out)+1)
		}
		out = append(out, srv)
	}
	return out, nil
}

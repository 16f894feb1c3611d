package plugcache

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/plugcache/plugcache/internal/confyaml"
)

// Store names accepted by StoreConfig.Store.
const (
	StoreMemory   = "memory"   // ristretto, inside this process
	StoreMemcache = "memcache" // memcached, one server or a pool
	StoreRedis    = "redis"    // redis, one node or a cluster
)

// Config mirrors the backend.cache block of a Backstage app-config.yaml, one
// key to one field. Build it in code or read it with LoadConfig; Open checks it
// either way. The zero Config is valid: every plugin caches in memory.
type Config struct {
	StoreConfig `yaml:",inline"`

	// Plugin holds per-plugin overrides, keyed by plugin ID. A field left zero
	// inherits backend.cache's value; a plugin that names another store does
	// not inherit the connection.
	Plugin map[string]PluginConfig `yaml:"plugin"`

	// source is where the config was read from, for error locations; nil for
	// a Config built in code.
	source *confyaml.Tree
}

// PluginConfig is the block backend.cache.plugin.<id>.
type PluginConfig struct {
	StoreConfig `yaml:",inline"`
	// HTTP configures the plugin's HTTP cache middleware (Manager.Middleware).
	HTTP HTTPConfig `yaml:"http"`
}

// HTTPConfig is backend.cache.plugin.<id>.http, plugcache's own: how the
// plugin's HTTP cache middleware treats responses. Each key becomes the
// middleware.Options field of the same name; the plugin's defaultTtl becomes
// its DefaultTTL.
type HTTPConfig struct {
	// Policy is respect (follow the origin's headers) or override (give
	// every storable response the plugin's defaultTtl). Default: respect.
	Policy string `yaml:"policy"`
	// MaxBodySize is the largest body stored. Default: 1MiB.
	MaxBodySize ByteSize `yaml:"maxBodySize"`
	// StaleWhileRevalidate serves a stale entry while refreshing it in the
	// background, for responses that do not say. Default: zero, none.
	StaleWhileRevalidate time.Duration `yaml:"staleWhileRevalidate"`
	// StaleIfError serves a stale entry when the origin fails, for responses
	// that do not say. Default: zero, none.
	StaleIfError time.Duration `yaml:"staleIfError"`
	// Refresh is where stale-while-revalidate refreshes run: background, on
	// a goroutine of their own, or inline, on the request's own after its
	// response is flushed (for echo, whose wrapped handler belongs to one
	// request). Default: background.
	Refresh string `yaml:"refresh"`
	// Coalesce joins concurrent misses for one key into one handler call.
	// Default: true.
	Coalesce *bool `yaml:"coalesce"`
	// CacheableStatus lists the statuses stored without explicit freshness.
	// Default: RFC 9110's list.
	CacheableStatus []int `yaml:"cacheableStatus"`
	// Methods lists the methods answered from the cache: GET, HEAD. Default:
	// both.
	Methods []string `yaml:"methods"`
	// Key says what joins the cache key.
	Key HTTPKeyConfig `yaml:"key"`
	// SetCookie is bypass (never store responses that set cookies) or strip
	// (store them without Set-Cookie). Default: bypass.
	SetCookie string `yaml:"setCookie"`
}

// HTTPKeyConfig is backend.cache.plugin.<id>.http.key.
type HTTPKeyConfig struct {
	// IgnoreQuery names query parameters left out of the key; "utm_*"
	// matches by prefix.
	IgnoreQuery []string `yaml:"ignoreQuery"`
	// Headers are request headers whose values join the key.
	Headers []string `yaml:"headers"`
	// Cookies are cookies whose values join the key.
	Cookies []string `yaml:"cookies"`
}

// StoreConfig chooses and tunes a store. It appears at backend.cache and under
// each plugin.
type StoreConfig struct {
	// Store is memory, memcache or redis. Default: memory.
	Store string `yaml:"store"`
	// Connection locates the store: for redis, a URL such as
	// redis://:password@host:6379/0, rediss://host:6380 or
	// unix:///run/redis.sock; for memcache, "host:11211,host2:11211" or a socket
	// path such as /run/memcached.sock. Unused by memory.
	Connection string `yaml:"connection"`
	// DefaultTTL is how long an entry lives when Set is given no TTL.
	// Default: zero. Zero means no expiry.
	DefaultTTL time.Duration `yaml:"defaultTtl"`
	// Timeout is the deadline of every store call. Default: 100ms.
	Timeout time.Duration `yaml:"timeout"`

	Redis    RedisConfig    `yaml:"redis"`
	Memcache MemcacheConfig `yaml:"memcache"`
	Memory   MemoryConfig   `yaml:"memory"`
}

// RedisConfig is the redis block, as in Backstage.
type RedisConfig struct {
	Client RedisClientConfig `yaml:"client"`
	// Cluster, when set, connects to a redis cluster instead of Connection.
	Cluster *RedisClusterConfig `yaml:"cluster"`
}

// RedisClientConfig lays out keys, as Backstage's redis.client does.
type RedisClientConfig struct {
	// Namespace prefixes every key: namespace, separator, plugin ID, key.
	// Default: none.
	Namespace string `yaml:"namespace"`
	// KeyPrefixSeparator follows the namespace. With a namespace, it may not
	// hold letters, digits, '.', '_', '-' or '@', so that two plugins' keys
	// never meet.
	// Default: ":".
	KeyPrefixSeparator string `yaml:"keyPrefixSeparator"`
}

// RedisClusterConfig is redis.cluster: the nodes to discover a cluster from.
type RedisClusterConfig struct {
	// RootNodes are some nodes of the cluster; the rest are discovered.
	// At least one is required.
	RootNodes []RedisNode `yaml:"rootNodes"`
	// Defaults apply to every node, such as the password.
	Defaults RedisNodeDefaults `yaml:"defaults"`
	// UseReplicas sends reads to replicas. Default: false.
	UseReplicas bool `yaml:"useReplicas"`
	// MaxCommandRedirections bounds MOVED and ASK redirects. Default: 3.
	MaxCommandRedirections int `yaml:"maxCommandRedirections"`
}

// RedisNode is one root node of a cluster.
type RedisNode struct {
	// URL is redis://host:port or rediss://host:port.
	URL string `yaml:"url"`
}

// RedisNodeDefaults are the credentials every cluster node takes.
type RedisNodeDefaults struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// MemcacheConfig tunes the memcached client. plugcache's own; Backstage has no
// such block.
type MemcacheConfig struct {
	// Timeout is the socket timeout of each call. Default: the store Timeout.
	Timeout time.Duration `yaml:"timeout"`
	// MaxIdleConns is the number of idle connections kept per server. Default: 64.
	MaxIdleConns int `yaml:"maxIdleConns"`
	// MaxItemSize is the servers' item size limit (memcached -I); larger
	// values are refused before they are sent. Default: 1MiB.
	MaxItemSize ByteSize `yaml:"maxItemSize"`
}

// MemoryConfig tunes the in-process ristretto store. plugcache's own.
type MemoryConfig struct {
	// MaxCost bounds the memory the cached entries take: each costs its key
	// and value and ristretto.EntryOverhead (256 bytes). Default: 64MiB.
	MaxCost ByteSize `yaml:"maxCost"`
}

// ByteSize is a size in bytes. In YAML it is a number of bytes or a string such
// as "256MiB" (2^20 bytes a MiB) or "1MB" (10^6 bytes).
type ByteSize int64

// UnmarshalConfig reads a ByteSize from YAML.
func (s *ByteSize) UnmarshalConfig(v any) error {
	n, err := confyaml.SizeFromValue(v)
	if err != nil {
		return err
	}
	*s = ByteSize(n)
	return nil
}

// LoadConfig reads the backend.cache block of the files, merged in order: a
// later file wins key by key, as Backstage merges app-config.yaml with
// app-config.production.yaml. ${VAR} in that block comes from the environment.
// A missing block means store: memory. The result is validated; every error
// names the file, the line and the key, and none shows a password.
func LoadConfig(paths ...string) (*Config, error) {
	if len(paths) == 0 {
		return nil, errors.New("plugcache: LoadConfig needs at least one file")
	}
	return decodeConfig(confyaml.Parse(paths...))
}

// ConfigFile is a config file already read: its name, as errors give it, and
// its contents.
type ConfigFile struct {
	Name string
	Data []byte
}

// ParseConfig is LoadConfig for files already read, such as an
// app-config.yaml embedded in the program with go:embed, followed by files
// read from disk.
func ParseConfig(files ...ConfigFile) (*Config, error) {
	if len(files) == 0 {
		return nil, errors.New("plugcache: ParseConfig needs at least one file")
	}
	cf := make([]confyaml.File, len(files))
	for i, f := range files {
		cf[i] = confyaml.File{Name: f.Name, Data: f.Data}
	}
	return decodeConfig(confyaml.ParseFiles(cf...))
}

func decodeConfig(tree *confyaml.Tree, err error) (*Config, error) {
	if err != nil {
		return nil, fmt.Errorf("plugcache: %w", err)
	}
	c := &Config{source: tree}
	if err := tree.Section("backend.cache").Decode(c, os.LookupEnv); err != nil {
		return nil, prefixErrors(err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// prefixErrors puts the package prefix on each of the joined errors.
func prefixErrors(err error) error {
	errs := unjoin(err)
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = fmt.Errorf("plugcache: %w", e)
	}
	return errors.Join(out...)
}

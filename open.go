package plugcache

import (
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/memcached"
	"github.com/plugcache/plugcache/backends/redis"
	"github.com/plugcache/plugcache/backends/ristretto"
)

// storeKey identifies the settings that can share one store and its pool:
// everything that reaches the server, nothing about key layout or TTLs.
func (s settings) storeKey() string {
	switch s.Store {
	case StoreMemory:
		return fmt.Sprintf("memory|%d", s.Memory.MaxCost)
	case StoreMemcache:
		return fmt.Sprintf("memcache|%s|%v|%d|%d", s.Connection, s.Memcache.Timeout, s.Memcache.MaxIdleConns, s.Memcache.MaxItemSize)
	default:
		return fmt.Sprintf("redis|%s|%v|%+v", s.Connection, s.Timeout, s.Redis.Cluster)
	}
}

// openStore builds the store that s describes. It does not dial: network
// stores connect on first use, so a store that is down does not stop Open.
// stats turns on the memory store's counters, which only Options.Metrics reads.
func openStore(s settings, stats bool) (backends.Store, error) {
	switch s.Store {
	case StoreMemory:
		return ristretto.New(ristretto.Options{MaxCost: int64(s.Memory.MaxCost), Stats: stats})
	case StoreMemcache:
		servers, err := memcacheServers(s.Connection)
		if err != nil {
			return nil, err
		}
		return memcached.New(memcached.Options{
			Servers:      servers,
			Timeout:      s.Memcache.Timeout,
			MaxIdleConns: s.Memcache.MaxIdleConns,
			MaxItemSize:  int(s.Memcache.MaxItemSize),
		})
	case StoreRedis:
		client, err := redisClient(s)
		if err != nil {
			return nil, err
		}
		return redis.New(client, redis.Options{Timeout: s.Timeout}), nil
	}
	return nil, fmt.Errorf("unknown store %q", s.Store)
}

func redisOptions(s settings) redis.ClientOptions {
	o := redis.ClientOptions{URL: s.Connection, Timeout: s.Timeout}
	if cl := s.Redis.Cluster; cl != nil {
		o.URL = ""
		for _, n := range cl.RootNodes {
			o.ClusterURLs = append(o.ClusterURLs, n.URL)
		}
		o.Username, o.Password = cl.Defaults.Username, cl.Defaults.Password
		o.UseReplicas = cl.UseReplicas
		o.MaxRedirects = cl.MaxCommandRedirections
	}
	return o
}

func redisClient(s settings) (goredis.UniversalClient, error) {
	return redis.NewClient(redisOptions(s))
}

// describe is the store and its connection for people, with passwords masked.
func (s settings) describe() string {
	switch s.Store {
	case StoreMemory:
		return fmt.Sprintf("memory (maxCost %d bytes)", s.Memory.MaxCost)
	case StoreMemcache:
		servers, err := memcacheServers(s.Connection)
		if err != nil {
			return "memcache (bad connection)"
		}
		return "memcache " + strings.Join(servers, ",")
	default:
		return "redis " + redisOptions(s).Redacted()
	}
}

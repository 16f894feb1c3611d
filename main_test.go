package plugcache

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/plugcache/plugcache/internal/testserver"
)

// servers are the real servers the package's tests share. They start on
// first use and stop in TestMain.
var servers struct {
	once      sync.Once
	err       error
	redis     *testserver.Redis
	cluster   *testserver.RedisCluster
	memcached [2]*testserver.Memcached
	// On unix sockets.
	redisSocket     *testserver.Redis
	memcachedSocket *testserver.Memcached
}

func TestMain(m *testing.M) {
	code := m.Run()
	if servers.redis != nil {
		servers.redis.Close()
	}
	if servers.cluster != nil {
		servers.cluster.Close()
	}
	if servers.redisSocket != nil {
		servers.redisSocket.Close()
	}
	if servers.memcachedSocket != nil {
		servers.memcachedSocket.Close()
	}
	for _, mc := range servers.memcached {
		if mc != nil {
			mc.Close()
		}
	}
	os.Exit(code)
}

func startServers(t *testing.T) {
	t.Helper()
	servers.once.Do(func() {
		if servers.redis, servers.err = testserver.StartRedis(testserver.RedisOptions{}); servers.err != nil {
			return
		}
		if servers.cluster, servers.err = testserver.StartRedisCluster(testserver.RedisClusterOptions{Masters: 3}); servers.err != nil {
			return
		}
		if servers.redisSocket, servers.err = testserver.StartRedis(testserver.RedisOptions{Socket: true}); servers.err != nil {
			return
		}
		if servers.memcachedSocket, servers.err = testserver.StartMemcached(testserver.MemcachedOptions{Socket: true}); servers.err != nil {
			return
		}
		for i := range servers.memcached {
			if servers.memcached[i], servers.err = testserver.StartMemcached(testserver.MemcachedOptions{}); servers.err != nil {
				return
			}
		}
	})
	if servers.err != nil {
		t.Fatal(servers.err)
	}
}

// storeConfigs returns a config for every kind of store, each on a real
// server: memory, one memcached, a pool of two, a single redis, a cluster,
// and memcached and redis on unix sockets.
func storeConfigs(t *testing.T) []struct {
	name string
	cfg  *Config
} {
	startServers(t)
	var rootNodes []RedisNode
	for _, u := range servers.cluster.URLs {
		rootNodes = append(rootNodes, RedisNode{URL: u})
	}
	// Generous timeouts: the race detector and a busy machine slow every call
	// (make test once saw a Set over a unix socket take more than 2 s while
	// other packages' tests built binaries and loaded both cores).
	mk := func(s StoreConfig) *Config {
		s.Timeout = 5e9
		return &Config{StoreConfig: s}
	}
	return []struct {
		name string
		cfg  *Config
	}{
		{"memory", mk(StoreConfig{Store: StoreMemory})},
		{"memcache", mk(StoreConfig{Store: StoreMemcache, Connection: servers.memcached[0].Addr})},
		{"memcache pool", mk(StoreConfig{Store: StoreMemcache, Connection: servers.memcached[0].Addr + "," + servers.memcached[1].Addr})},
		{"redis", mk(StoreConfig{Store: StoreRedis, Connection: servers.redis.URL})},
		{"memcache on a unix socket", mk(StoreConfig{Store: StoreMemcache, Connection: servers.memcachedSocket.Socket})},
		{"redis on a unix socket", mk(StoreConfig{Store: StoreRedis, Connection: "unix://" + servers.redisSocket.Socket})},
		{"redis cluster", mk(StoreConfig{Store: StoreRedis, Redis: RedisConfig{Cluster: &RedisClusterConfig{RootNodes: rootNodes}}})},
	}
}

// uniquePlugin returns a plugin ID no other test uses, so that tests sharing
// a server never see each other's entries.
func uniquePlugin(t *testing.T, base string) string {
	return fmt.Sprintf("%s-%s", base, strings.ToLower(newToken()[:6]))
}

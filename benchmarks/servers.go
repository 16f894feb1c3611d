package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/internal/testserver"
)

// Names of the stores under test, as -stores takes them.
const (
	storeMemory       = "memory"
	storeMemcache     = "memcache"
	storeRedis        = "redis"
	storeRedisCluster = "redis-cluster"
)

var allStores = []string{storeMemory, storeMemcache, storeRedis, storeRedisCluster}

// serverMemoryMB bounds what the servers started here keep, high enough that
// the miss runs, which store a new response on every request, do not evict
// the entries that the hit runs read.
const serverMemoryMB = 1024

// servers are the network stores a run talks to: the ones given by flags,
// and the ones started here for the others, which Close stops.
type servers struct {
	redisURL     string
	clusterAddrs []string
	memcacheAddr string
	// skipped says, per store, why it is left out: its server would not start.
	skipped map[string]string
	// versions is each server's own version, for the report.
	versions map[string]string
	// given marks the stores whose servers came from flags.
	given   map[string]bool
	closers []func() error
}

// startServers starts the servers that the stores of cfg need and were not
// given. A server that fails to start, as when its binary is missing, leaves
// its store out with the reason, rather than failing the run.
func startServers(cfg config) *servers {
	s := &servers{
		redisURL:     cfg.redisURL,
		clusterAddrs: cfg.clusterAddrs,
		memcacheAddr: cfg.memcacheAddr,
		skipped:      map[string]string{},
		versions:     map[string]string{},
		given: map[string]bool{
			storeRedis:        cfg.redisURL != "",
			storeRedisCluster: len(cfg.clusterAddrs) > 0,
			storeMemcache:     cfg.memcacheAddr != "",
		},
	}
	for _, name := range cfg.stores {
		var err error
		switch {
		case name == storeRedis && s.redisURL == "":
			err = s.startRedis()
		case name == storeRedisCluster && len(s.clusterAddrs) == 0:
			err = s.startCluster()
		case name == storeMemcache && s.memcacheAddr == "":
			err = s.startMemcached()
		}
		if err != nil {
			s.skipped[name] = err.Error()
		}
	}
	s.readVersions()
	return s
}

func (s *servers) startRedis() error {
	r, err := testserver.StartRedis(testserver.RedisOptions{})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, r.Close)
	s.redisURL = r.URL
	return boundRedis(r.Addr)
}

func (s *servers) startCluster() error {
	c, err := testserver.StartRedisCluster(testserver.RedisClusterOptions{})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, c.Close)
	s.clusterAddrs = c.Addrs
	for _, addr := range c.Addrs {
		if err := boundRedis(addr); err != nil {
			return err
		}
	}
	return nil
}

func (s *servers) startMemcached() error {
	m, err := testserver.StartMemcached(testserver.MemcachedOptions{MemoryMB: serverMemoryMB, Threads: 1})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, m.Close)
	s.memcacheAddr = m.Addr
	return nil
}

// boundRedis caps the memory of a redis server started here, evicting the
// least recently used keys past it, as memcached does: a server given by
// flags is left as it is.
func boundRedis(addr string) error {
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ConfigSet(ctx, "maxmemory", fmt.Sprintf("%dmb", serverMemoryMB)).Err(); err != nil {
		return fmt.Errorf("redis %s: config set maxmemory: %w", addr, err)
	}
	if err := c.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err(); err != nil {
		return fmt.Errorf("redis %s: config set maxmemory-policy: %w", addr, err)
	}
	return nil
}

// readVersions asks each server for its version, for the report.
func (s *servers) readVersions() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s.redisURL != "" {
		if opt, err := goredis.ParseURL(s.redisURL); err == nil {
			s.versions[storeRedis] = redisVersion(ctx, opt.Addr, opt)
		}
	}
	if len(s.clusterAddrs) > 0 {
		s.versions[storeRedisCluster] = redisVersion(ctx, s.clusterAddrs[0], &goredis.Options{})
	}
	if s.memcacheAddr != "" {
		s.versions[storeMemcache] = memcachedVersion(s.memcacheAddr)
	}
}

func redisVersion(ctx context.Context, addr string, opt *goredis.Options) string {
	o := *opt
	o.Addr = addr
	c := goredis.NewClient(&o)
	defer c.Close()
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return "unknown: " + err.Error()
	}
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			return "redis " + v
		}
	}
	return "unknown"
}

// memcachedVersion sends memcached's "version" command; gomemcache has no
// call for it.
func memcachedVersion(addr string) string {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "unknown: " + err.Error()
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("version\r\n")); err != nil {
		return "unknown: " + err.Error()
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "unknown: " + err.Error()
	}
	return "memcached " + strings.TrimPrefix(strings.TrimSpace(line), "VERSION ")
}

// Close stops the servers started here. It is safe to call more than once.
func (s *servers) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c())
	}
	s.closers = nil
	return errors.Join(errs...)
}

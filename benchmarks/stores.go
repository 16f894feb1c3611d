package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/dgraph-io/ristretto/v2"
	libstore "github.com/eko/gocache/lib/v4/store"
	memcachestore "github.com/eko/gocache/store/memcache/v4"
	redisstore "github.com/eko/gocache/store/redis/v4"
	ristrettostore "github.com/eko/gocache/store/ristretto/v4"
	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache"
	pcgocache "github.com/plugcache/plugcache/backends/gocache"
	pcredis "github.com/plugcache/plugcache/backends/redis"
)

// storeTimeout is the deadline of every call, for plugcache and the bare
// clients alike: long enough that a busy two-core machine measures slow calls
// rather than failed ones.
const storeTimeout = time.Second

// memoryMaxCost is the memory store's size: plugcache's default.
const memoryMaxCost = 64 << 20

// benchPlugin is the plugin whose client the store operations use.
const benchPlugin = "bench"

// subject is one store under test, reached four ways: through a plugcache
// plugin client used as a gocache store, through gocache's bare store on the
// same server, which is what plugcache builds on, through the plugin client's
// own Get and Set, and, for a network store, through its bare client library,
// the baseline of the HTTP hit.
type subject struct {
	name   string
	mgr    *plugcache.Manager
	client *plugcache.Client
	// plugin is client as a gocache store, gocache.NewStore(client.Store()):
	// called as bare is, through the lib/v4 store interface, it is the like
	// for like comparison. Client.Get copies the value for its caller;
	// plugin's Get, as bare's, returns the store's own.
	plugin libstore.StoreInterface
	bare   libstore.StoreInterface
	// setOptions are the options of a gocache Set of value under key, through
	// plugin and bare alike: an expiry, and for ristretto what plugcache's own
	// store does, a cost of len(key)+len(value) and a Set that waits until it
	// is applied (plugin ignores both: its Set prices the entry and returns
	// once it is stored).
	setOptions func(key string, value []byte) []libstore.Option
	raw        rawClient // nil for the memory store
	closers    []func() error
}

// rawClient is a network store's own client library, used directly.
type rawClient interface {
	get(ctx context.Context, key string) ([]byte, error)
	set(ctx context.Context, key string, value []byte) error
}

// openSubject opens store name on the servers srv: a plugcache Manager with
// the store as backend.cache configures it, and the bare clients beside it.
// On redis, plugcache's Store and the bare clients share one go-redis client,
// and so its connections: see openBareRedis.
func openSubject(name string, srv *servers) (*subject, error) {
	cfg := &plugcache.Config{StoreConfig: plugcache.StoreConfig{Timeout: storeTimeout}}
	var opts plugcache.Options
	s := &subject{name: name}
	ttl := libstore.WithExpiration(time.Hour)
	s.setOptions = func(string, []byte) []libstore.Option { return []libstore.Option{ttl} }
	switch name {
	case storeMemory:
		cfg.Store = plugcache.StoreMemory
		cfg.Memory.MaxCost = memoryMaxCost
		if err := s.openBareRistretto(ttl); err != nil {
			return nil, err
		}
	case storeMemcache:
		cfg.Store, cfg.Connection = plugcache.StoreMemcache, srv.memcacheAddr
		c := memcache.New(srv.memcacheAddr)
		c.Timeout, c.MaxIdleConns = storeTimeout, 64 // plugcache's defaults, for a fair comparison
		s.closers = append(s.closers, c.Close)
		s.bare, s.raw = memcachestore.NewMemcache(c), rawMemcache{c}
	case storeRedis:
		if err := s.openBareRedis(pcredis.ClientOptions{URL: srv.redisURL}, &opts); err != nil {
			return nil, fmt.Errorf("-redis: %w", err)
		}
	case storeRedisCluster:
		var urls []string
		for _, addr := range srv.clusterAddrs {
			urls = append(urls, "redis://"+addr)
		}
		if err := s.openBareRedis(pcredis.ClientOptions{ClusterURLs: urls}, &opts); err != nil {
			return nil, fmt.Errorf("-redis-cluster: %w", err)
		}
	default:
		return nil, fmt.Errorf("unknown store %q", name)
	}
	mgr, err := plugcache.Open(cfg, opts)
	if err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.mgr, s.client = mgr, mgr.ForPlugin(benchPlugin)
	s.plugin = pcgocache.NewStore(s.client.Store())
	s.closers = append(s.closers, mgr.Close)
	return s, nil
}

// openBareRistretto makes gocache's ristretto store over a cache sized as
// plugcache's memory store is, without the metrics plugcache turns on.
func (s *subject) openBareRistretto(ttl libstore.Option) error {
	cache, err := ristretto.NewCache(&ristretto.Config[string, []byte]{
		NumCounters: memoryMaxCost / 1024 * 10, MaxCost: memoryMaxCost, BufferItems: 64, IgnoreInternalCost: true,
	})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, func() error { cache.Close(); return nil })
	s.bare = ristrettostore.NewRistretto[string, []byte](cache)
	s.setOptions = func(key string, value []byte) []libstore.Option {
		return []libstore.Option{ttl, libstore.WithCost(int64(len(key) + len(value))), libstore.WithSynchronousSet()}
	}
	return nil
}

// openBareRedis builds a go-redis client as plugcache builds its own
// (backends/redis.NewClient) and makes over it both gocache's redis store and
// the plugcache Store that opts gives the Manager: the Manager's backend.cache
// store, built by hand. So the comparison shows what plugcache adds on one
// client, one pool, and for sequential calls one connection, rather than also
// how two connections fare: a connection's TCP state, its receive buffer
// included, grows with what it has carried.
func (s *subject) openBareRedis(o pcredis.ClientOptions, opts *plugcache.Options) error {
	o.Timeout = storeTimeout
	c, err := pcredis.NewClient(o)
	if err != nil {
		return err
	}
	// The Manager adds its Timeout to the calls of a store it did not build;
	// the Store's own, the same, then adds nothing: one deadline, as on a
	// store the Manager builds.
	st := pcredis.New(c, pcredis.Options{Timeout: storeTimeout})
	s.closers = append(s.closers, st.Close) // closes c
	opts.Store = st
	s.bare, s.raw = redisstore.NewRedis(c), rawRedis{c}
	return nil
}

// Close closes the Manager and the bare clients.
func (s *subject) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

type rawRedis struct{ c goredis.UniversalClient }

func (r rawRedis) get(ctx context.Context, key string) ([]byte, error) {
	return r.c.Get(ctx, key).Bytes()
}

func (r rawRedis) set(ctx context.Context, key string, value []byte) error {
	return r.c.Set(ctx, key, value, time.Hour).Err()
}

// keyBeside returns a key named after name that lives on the server holding
// the one stored key that contains part: name itself but on a cluster, where
// it finds that key on the masters and returns name with it as its hash tag,
// so that both keys are in the same slot. A bare GET and a hit compared on two nodes differed by up to
// a tenth, as the node of the hit's key changed from run to run with the
// server's port that the key holds.
func (r rawRedis) keyBeside(ctx context.Context, name, part string) (string, error) {
	cc, ok := r.c.(*goredis.ClusterClient)
	if !ok {
		return name, nil
	}
	var mu sync.Mutex
	var found []string
	err := cc.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		keys, err := node.Keys(ctx, "*"+part+"*").Result()
		mu.Lock()
		defer mu.Unlock()
		found = append(found, keys...)
		return err
	})
	switch {
	case err != nil:
		return "", err
	case len(found) != 1:
		return "", fmt.Errorf("keys that contain %q: got %q, want one", part, found)
	case strings.ContainsAny(found[0], "{}"):
		return "", fmt.Errorf("key %q has braces: no hash tag can name its slot", found[0])
	}
	return name + "{" + found[0] + "}", nil
}

type rawMemcache struct{ c *memcache.Client }

func (r rawMemcache) get(_ context.Context, key string) ([]byte, error) {
	it, err := r.c.Get(key)
	if err != nil {
		return nil, err
	}
	return it.Value, nil
}

func (r rawMemcache) set(_ context.Context, key string, value []byte) error {
	return r.c.Set(&memcache.Item{Key: key, Value: value, Expiration: 3600})
}

package redis_test

import (
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/backends/redis"
)

// The client connects on its first call, so these examples run without a
// server: their hosts are never contacted.

func ExampleNewClient() {
	client, err := redis.NewClient(redis.ClientOptions{
		URL:     "redis://:s3cret@cache.example:6379/2",
		Timeout: 50 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	o := client.(*goredis.Client).Options()
	fmt.Println(o.Addr, o.DB, o.ReadTimeout, o.ContextTimeoutEnabled)
	// Output: cache.example:6379 2 50ms true
}

func ExampleNewClient_error() {
	_, err := redis.NewClient(redis.ClientOptions{URL: "redis://:s3cret@cache.example:6379x/2"})
	fmt.Println(err)
	// Output: redis: URL "redis://:xxxxx@cache.example:6379x/2": invalid port ":6379x" after host
}

func ExampleNew() {
	client, err := redis.NewClient(redis.ClientOptions{
		ClusterURLs: []string{"redis://node-1.cache.example:6379", "redis://node-2.cache.example:6379"},
		Password:    "s3cret",
		UseReplicas: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := redis.New(client, redis.Options{Timeout: 50 * time.Millisecond})
	defer s.Close() // closes client too
	fmt.Println(s.MaxValueSize("any key"))
	// Output: 536870912
}

func ExampleClientOptions_Redacted() {
	o := redis.ClientOptions{
		ClusterURLs: []string{"redis://node-1.cache.example:6379", "redis://:s3cret@node-2.cache.example:6379"},
		Password:    "s3cret",
	}
	fmt.Println(o.Redacted())
	// Output: redis://:xxxxx@node-1.cache.example:6379,redis://:xxxxx@node-2.cache.example:6379
}

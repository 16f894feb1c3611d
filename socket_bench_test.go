package plugcache

import (
	"bytes"
	"context"
	"testing"

	"github.com/plugcache/plugcache/internal/testserver"
)

// BenchmarkRoundTrip compares a plugin client's Get of 1 KiB over TCP on
// loopback with the same over a unix socket, on one redis and one memcached
// server that listen on both.
func BenchmarkRoundTrip(b *testing.B) {
	r := testserver.NewRedis(b, testserver.RedisOptions{Socket: true})
	mcTCP := testserver.NewMemcached(b, testserver.MemcachedOptions{})
	mcUnix := testserver.NewMemcached(b, testserver.MemcachedOptions{Socket: true})
	cases := []struct {
		name string
		sc   StoreConfig
	}{
		{"redis/tcp", StoreConfig{Store: StoreRedis, Connection: r.URL}},
		{"redis/unix", StoreConfig{Store: StoreRedis, Connection: "unix://" + r.Socket}},
		{"memcache/tcp", StoreConfig{Store: StoreMemcache, Connection: mcTCP.Addr}},
		{"memcache/unix", StoreConfig{Store: StoreMemcache, Connection: mcUnix.Socket}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			tc.sc.Timeout = 1e9
			mgr, err := NewManager(&Config{StoreConfig: tc.sc})
			if err != nil {
				b.Fatal(err)
			}
			defer mgr.Close()
			c := mgr.ForPlugin("bench")
			ctx := context.Background()
			value := bytes.Repeat([]byte("v"), 1024)
			if err := c.Set(ctx, "k", value); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
					b.Fatalf("Get: %v, %v", ok, err)
				}
			}
		})
	}
}

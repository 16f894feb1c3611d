package ristretto

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/dgraph-io/ristretto/v2"
)

// BenchmarkGetHit measures the hit path with and without ristretto's metrics,
// which Options.Stats turns on, next to the baseline of a bare ristretto
// cache keyed by strings, as ristretto is used on its own, alone and from
// every core at once on one hot key, where a lock shared by all readers would
// show. GetPrefixed is the lookup of a plugin client, whose key comes in two
// parts.
func BenchmarkGetHit(b *testing.B) {
	ctx := context.Background()
	const prefix, rest = "plugcache:default@0:", "GET https://example.com/some/page?q=1"
	key, value := prefix+rest, make([]byte, 4<<10)
	for _, metrics := range []bool{true, false} {
		s, err := New(Options{Stats: metrics})
		if err != nil {
			b.Fatalf("New: got error %v, want nil", err)
		}
		if err := s.Set(ctx, key, value, 0); err != nil {
			b.Fatalf("Set: got error %v, want nil", err)
		}
		bare, err := ristretto.NewCache(&ristretto.Config[string, []byte]{
			NumCounters: defaultMaxCost / avgEntryCost * 10, MaxCost: defaultMaxCost,
			BufferItems: bufferItems, Metrics: metrics, IgnoreInternalCost: true,
		})
		if err != nil {
			b.Fatalf("ristretto.NewCache: got error %v, want nil", err)
		}
		bare.Set(key, value, int64(len(key)+len(value)))
		bare.Wait()
		name := map[bool]string{true: "metrics", false: "no metrics"}[metrics]

		gets := []struct {
			name string
			get  func() bool
		}{
			{"Store.Get", func() bool { _, err := s.Get(ctx, key); return err == nil }},
			{"Store.GetPrefixed", func() bool { _, _, err := s.GetPrefixed(ctx, prefix, rest); return err == nil }},
			{"ristretto.Cache.Get", func() bool { _, ok := bare.Get(key); return ok }},
		}
		for _, g := range gets {
			b.Run(name+"/"+g.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if !g.get() {
						b.Fatal("got a miss, want a hit")
					}
				}
			})
			b.Run(name+"/"+g.name+" parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if !g.get() {
							b.Error("got a miss, want a hit")
							return
						}
					}
				})
			})
		}
		s.Close()
		bare.Close()
	}
}

// BenchmarkGuard measures what keeping Close out costs a ristretto Get, alone
// and from every core, on one hot key and spread over 1,000: nothing, one
// RWMutex, a stripe picked at random, and Store's guard, which keeps to one
// stripe per processor.
func BenchmarkGuard(b *testing.B) {
	c, err := ristretto.NewCache(&ristretto.Config[uint64, []byte]{NumCounters: 1e5, MaxCost: 1 << 20, BufferItems: bufferItems})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const spread = 1000
	for k := range uint64(spread) {
		c.Set(k, make([]byte, 100), 1)
	}
	c.Wait()
	for k := range uint64(spread) {
		if _, ok := c.Get(k); !ok {
			b.Fatalf("key %d was not stored: the Gets would measure misses", k)
		}
	}
	var mu sync.RWMutex
	g := newGuard()
	ways := []struct {
		name string
		get  func(k uint64)
	}{
		{"none", func(k uint64) { c.Get(k) }},
		{"one RWMutex", func(k uint64) { mu.RLock(); c.Get(k); mu.RUnlock() }},
		{"random stripe", func(k uint64) {
			st := &g.stripes[rand.IntN(len(g.stripes))]
			st.RLock()
			c.Get(k)
			st.RUnlock()
		}},
		{"guard", func(k uint64) { call := g.share(); c.Get(k); g.done(call) }},
	}
	for _, keys := range []uint64{1, spread} {
		for _, w := range ways {
			name := fmt.Sprintf("%s/%s", map[uint64]string{1: "one key", spread: "1000 keys"}[keys], w.name)
			b.Run(name, func(b *testing.B) {
				var k uint64
				for b.Loop() {
					w.get(k % keys)
					k++
				}
			})
			b.Run(name+" parallel", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					k := rand.Uint64()
					for pb.Next() {
						w.get(k % keys)
						k++
					}
				})
			})
		}
	}
}

package ristretto

import (
	"context"
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

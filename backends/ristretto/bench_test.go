package ristretto

import (
	"context"
	"testing"
)

// BenchmarkGetHit measures the hit path with and without ristretto's metrics,
// which Options.Stats turns on, next to ristretto's own Get as the baseline,
// alone and from every core at once on one hot key, where a lock shared by
// all readers would show.
func BenchmarkGetHit(b *testing.B) {
	for _, metrics := range []bool{true, false} {
		s, err := New(Options{Stats: metrics})
		if err != nil {
			b.Fatalf("New: got error %v, want nil", err)
		}
		ctx := context.Background()
		key, value := "GET https://example.com/some/page?q=1", make([]byte, 4<<10)
		if err := s.Set(ctx, key, value, 0); err != nil {
			b.Fatalf("Set: got error %v, want nil", err)
		}
		name := map[bool]string{true: "metrics", false: "no metrics"}[metrics]

		b.Run(name+"/Store.Get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(ctx, key); err != nil {
					b.Fatalf("Get: got error %v, want nil", err)
				}
			}
		})
		b.Run(name+"/ristretto.Cache.Get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := s.cache.Get(key); !ok {
					b.Fatal("Get: got a miss, want a hit")
				}
			}
		})
		b.Run(name+"/Store.Get parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Get(ctx, key); err != nil {
						b.Errorf("Get: got error %v, want nil", err)
						return
					}
				}
			})
		})
		b.Run(name+"/ristretto.Cache.Get parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, ok := s.cache.Get(key); !ok {
						b.Error("Get: got a miss, want a hit")
						return
					}
				}
			})
		})
		s.Close()
	}
}

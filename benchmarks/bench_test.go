package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The Go benchmarks measure the harness's operations with the testing
// package: go test -bench . ./benchmarks/... They share servers started once
// with internal/testserver, and skip a store whose server binary is missing.

var shared struct {
	once sync.Once
	srv  *servers
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Close()
	}
	os.Exit(code)
}

// benchSubject opens store name on the shared servers, or skips b.
func benchSubject(b *testing.B, name string) *subject {
	b.Helper()
	shared.once.Do(func() { shared.srv = startServers(config{stores: allStores}) })
	if why, ok := shared.srv.skipped[name]; ok {
		b.Skipf("%s: server did not start: %s", name, why)
	}
	s, err := openSubject(name, shared.srv)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var benchSizes = []int{1 << 10, 16 << 10, 256 << 10}

// BenchmarkGetHit reads a value through the plugin client as a gocache
// store, through the bare gocache store, and through the plugin client's own
// Get, which copies: GetHit/<store>/<size>/{plugin,bare,client}.
func BenchmarkGetHit(b *testing.B) { benchStoreOp(b, opGetHit) }

// BenchmarkGetMiss reads a key that holds nothing.
func BenchmarkGetMiss(b *testing.B) { benchStoreOp(b, opGetMiss) }

// BenchmarkSet writes a value.
func BenchmarkSet(b *testing.B) { benchStoreOp(b, opSet) }

func benchStoreOp(b *testing.B, kind opKind) {
	ctx := context.Background()
	for _, name := range allStores {
		b.Run(name, func(b *testing.B) {
			s := benchSubject(b, name)
			for _, size := range benchSizes {
				if err := s.seed(ctx, size); err != nil {
					b.Fatal(err)
				}
				for _, v := range []via{viaPlugin, viaBare, viaClient} {
					b.Run(sizeName(size)+"/"+string(v), func(b *testing.B) {
						op := s.storeOp(kind, v, size, 1)
						b.ReportAllocs()
						for b.Loop() {
							if err := op(ctx, 0); err != nil {
								b.Fatalf("%s: %v", kind, err)
							}
						}
					})
				}
			}
		})
	}
}

// BenchmarkHTTPHit serves a hit through the cache middleware over loopback
// with keep-alive clients in parallel, beside its baselines measured in the
// same process: HTTPHit/<store>/<size>/{prebuilt,bare-GET,hit}.
func BenchmarkHTTPHit(b *testing.B) {
	ctx := context.Background()
	conns := 8 * runtime.GOMAXPROCS(0)
	cfg := config{conns: conns, missDelay: 5 * time.Millisecond}
	for _, name := range allStores {
		b.Run(name, func(b *testing.B) {
			s := benchSubject(b, name)
			for _, size := range benchSizes {
				suite, err := newHTTPSuite(ctx, []*subject{s}, size, cfg)
				if err != nil {
					b.Fatal(err)
				}
				for _, kind := range []scenarioKind{kindPrebuilt, kindBareGet, kindHit} {
					store := name
					if kind == kindPrebuilt {
						store = ""
					}
					t := suite.find(kind, store)
					if t == nil {
						continue
					}
					b.Run(fmt.Sprintf("%s/%s", sizeName(size), slug(kind)), func(b *testing.B) {
						benchTarget(b, t, conns)
					})
				}
				suite.Close()
			}
		})
	}
}

func slug(k scenarioKind) string {
	if k == kindBareGet {
		return "bare-GET"
	}
	return string(k)
}

// benchTarget loads t from conns goroutines, each with its own connection.
func benchTarget(b *testing.B, t *target, conns int) {
	op := t.op(conns)
	var next atomic.Int64
	b.SetParallelism(conns / runtime.GOMAXPROCS(0))
	b.SetBytes(int64(t.size))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := int(next.Add(1)-1) % conns
		for pb.Next() {
			if err := op(context.Background(), w); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/plugcache/plugcache"
)

// memOffered is how many times the memory store's maxCost a memory bound run
// offers it, in distinct entries.
const memOffered = 10

// memResult is what the memory store kept of memOffered times its maxCost.
type memResult struct {
	size    int
	maxCost int64
	offered int64 // bytes of values offered
	sets    int
	// growth is the heap's growth, HeapAlloc after a GC once the store is
	// full against before it was opened.
	growth int64
	// entries and cost are what the store says it holds: ristretto's count
	// of the bytes of keys and values.
	entries, cost float64
}

func (m memResult) ratio() float64 { return float64(m.growth) / float64(m.maxCost) }

// measureMemBound opens a memory store of maxCost, offers it memOffered
// times as many bytes in distinct entries of size, and measures how much the
// heap grew. It is the bound an operator relies on when setting maxCost.
func measureMemBound(ctx context.Context, size int, maxCost int64) (memResult, error) {
	res := memResult{size: size, maxCost: maxCost}
	before := heapAfterGC()
	metrics := plugcache.NewMetrics()
	cfg := &plugcache.Config{StoreConfig: plugcache.StoreConfig{
		Store:  plugcache.StoreMemory,
		Memory: plugcache.MemoryConfig{MaxCost: plugcache.ByteSize(maxCost)},
	}}
	mgr, err := plugcache.Open(cfg, plugcache.Options{Metrics: metrics})
	if err != nil {
		return res, err
	}
	defer mgr.Close()
	client := mgr.ForPlugin("membound")
	value := make([]byte, size)
	for res.offered < memOffered*maxCost {
		if res.sets%1024 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err := client.Set(ctx, fmt.Sprintf("entry-%d", res.sets), value); err != nil {
			return res, err
		}
		res.sets++
		res.offered += int64(size)
	}
	res.growth = int64(heapAfterGC()) - int64(before)
	res.entries, res.cost = memoryGauges(metrics)
	runtime.KeepAlive(client)
	return res, nil
}

// heapAfterGC is the live heap: HeapAlloc right after a full collection.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // a second cycle frees what finalizers of the first released
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// memoryGauges reads plugcache_memory_entries and plugcache_memory_cost_bytes.
func memoryGauges(m *plugcache.Metrics) (entries, cost float64) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(m); err != nil {
		return 0, 0
	}
	families, err := reg.Gather()
	if err != nil {
		return 0, 0
	}
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			switch f.GetName() {
			case "plugcache_memory_entries":
				entries += metric.GetGauge().GetValue()
			case "plugcache_memory_cost_bytes":
				cost += metric.GetGauge().GetValue()
			}
		}
	}
	return entries, cost
}

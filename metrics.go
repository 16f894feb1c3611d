package plugcache

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/middleware"
)

// Metrics holds plugcache's Prometheus collectors. Create one with NewMetrics,
// give it to Open in Options.Metrics, and register it on your registry; it is
// a prometheus.Collector. It serves one open Manager at a time: Open refuses
// a Metrics that another Manager still uses, and Close frees it for the next.
// Its counters keep counting from one Manager to the next; the memory store
// metrics are those of the Manager using it. To export two open Managers,
// give each a Metrics and register them with distinct constant labels, as
// prometheus.WrapRegistererWith gives. A Metrics is safe for concurrent use.
//
// The metrics, with their labels:
//
//	plugcache_http_requests_total{plugin,result,detail}          counter
//	plugcache_http_coalesced_total{plugin}                       counter
//	plugcache_store_operation_duration_seconds{store,op}         histogram
//	plugcache_store_errors_total{store,op,kind}                  counter
//	plugcache_stored_bytes_total{plugin}                         counter
//	plugcache_stored_entries_total{plugin}                       counter
//	plugcache_memory_evictions_total{store}                      counter
//	plugcache_memory_rejections_total{store}                     counter
//	plugcache_memory_entries{store}                              gauge
//	plugcache_memory_cost_bytes{store}                           gauge
//
// store is memory, memcache, redis, or custom for a store given in Options.
// For the memory_* metrics, read from ristretto's Stats at scrape time, it
// names one in-process store that the Manager built: "memory" for
// backend.cache's, "memory:<plugin>" for one that a plugin's own store or
// memory.maxCost gives it. op is get, set, delete or clear. kind is timeout,
// unavailable, too_large or corrupt. result and detail are those of
// middleware.Event.
type Metrics struct {
	requests      *prometheus.CounterVec
	coalesced     *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	storeErrors   *prometheus.CounterVec
	storedBytes   *prometheus.CounterVec
	storedEntries *prometheus.CounterVec

	memEvictions, memRejections, memEntries, memCost *prometheus.Desc

	plugins sync.Map  // plugin ID -> *pluginMetrics
	epoch   time.Time // durations are read as time since epoch: one clock read each

	mu     sync.Mutex
	owner  *Manager
	memory []memoryStore // the owner's in-process stores, read at scrape time
}

// memoryStore is an in-process store whose Stats Collect reports.
type memoryStore struct {
	name  string
	store *ristretto.Store
}

// durationBuckets span a memory hit (microseconds) to a store timeout (up to
// a second), in seconds.
var durationBuckets = []float64{
	.00001, .000025, .00005, .0001, .00025, .0005,
	.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1,
}

// NewMetrics returns a Metrics with nothing counted yet. Register it once, on
// a registry of your own or prometheus.DefaultRegisterer; plugcache registers
// nothing itself.
func NewMetrics() *Metrics {
	memDesc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"store"}, nil)
	}
	return &Metrics{
		epoch: time.Now(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugcache_http_requests_total",
			Help: "Requests through a plugin's HTTP cache, by what the cache did (result: hit, stale, revalidated, miss, bypass, error) and why (detail: a Cache-Status token such as collapsed, store-down or no-store; empty for a plain hit).",
		}, []string{"plugin", "result", "detail"}),
		coalesced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugcache_http_coalesced_total",
			Help: "Requests a plugin's HTTP cache answered with the response another concurrent request for the same key fetched, without calling the handler.",
		}, []string{"plugin"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "plugcache_store_operation_duration_seconds",
			Help:    "Time plugin clients' store calls took, failed ones included, as the client sees it: generation, round trip and envelope. op is get, set, delete or clear; store is memory, memcache, redis or custom.",
			Buckets: durationBuckets,
		}, []string{"store", "op"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugcache_store_errors_total",
			Help: "Plugin clients' failed store calls, by kind: timeout (a deadline or network timeout), unavailable (any other failure to reach the store), too_large (a value refused as too large), corrupt (stored bytes that did not decode). Misses and calls their caller canceled are not errors.",
		}, []string{"store", "op", "kind"}),
		storedBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugcache_stored_bytes_total",
			Help: "Bytes of the values a plugin's clients and HTTP cache stored with successful Sets, before plugcache's envelope.",
		}, []string{"plugin"}),
		storedEntries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugcache_stored_entries_total",
			Help: "Successful Sets of a plugin's clients and HTTP cache.",
		}, []string{"plugin"}),
		memEvictions: memDesc("plugcache_memory_evictions_total",
			"Entries that left an in-process memory store: evicted to make room, expired or deleted, which ristretto does not tell apart."),
		memRejections: memDesc("plugcache_memory_rejections_total",
			"New entries an in-process memory store's admission policy (TinyLFU) refused, the store being full of entries that looked more useful."),
		memEntries: memDesc("plugcache_memory_entries",
			"Entries an in-process memory store holds, expired ones not yet cleaned up included."),
		memCost: memDesc("plugcache_memory_cost_bytes",
			"Cost of the entries an in-process memory store holds: bytes of keys and values, plus a fixed overhead per entry."),
	}
}

func (mt *Metrics) vecs() []prometheus.Collector {
	return []prometheus.Collector{mt.requests, mt.coalesced, mt.duration, mt.storeErrors, mt.storedBytes, mt.storedEntries}
}

// Describe sends the descriptors of every metric, for prometheus.Collector.
func (mt *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range mt.vecs() {
		c.Describe(ch)
	}
	for _, d := range []*prometheus.Desc{mt.memEvictions, mt.memRejections, mt.memEntries, mt.memCost} {
		ch <- d
	}
}

// Collect sends the current value of every metric, for prometheus.Collector.
// It reads the memory stores' Stats now.
func (mt *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range mt.vecs() {
		c.Collect(ch)
	}
	mt.mu.Lock()
	stores := slices.Clone(mt.memory)
	mt.mu.Unlock()
	for _, s := range stores {
		st := s.store.Stats()
		ch <- prometheus.MustNewConstMetric(mt.memEvictions, prometheus.CounterValue, float64(st.Removals), s.name)
		ch <- prometheus.MustNewConstMetric(mt.memRejections, prometheus.CounterValue, float64(st.Rejections), s.name)
		ch <- prometheus.MustNewConstMetric(mt.memEntries, prometheus.GaugeValue, float64(st.Entries), s.name)
		ch <- prometheus.MustNewConstMetric(mt.memCost, prometheus.GaugeValue, float64(st.Cost), s.name)
	}
}

// bind makes m the Manager mt serves, refusing when another open Manager
// already has it.
func (mt *Metrics) bind(m *Manager) error {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	if mt.owner != nil && mt.owner != m {
		return errors.New("plugcache: Options.Metrics: in use by another open Manager; close that one first, or give each Manager a Metrics of its own")
	}
	mt.owner, mt.memory = m, nil
	return nil
}

// release frees mt from m, which is closing, and forgets m's memory stores.
func (mt *Metrics) release(m *Manager) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	if mt.owner == m {
		mt.owner, mt.memory = nil, nil
	}
}

// addMemory has Collect report s's Stats under the store label name.
func (mt *Metrics) addMemory(name string, s *ristretto.Store) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	mt.memory = append(mt.memory, memoryStore{name: name, store: s})
}

// pluginMetrics are one plugin's counters, resolved once.
type pluginMetrics struct {
	mt            *Metrics
	plugin        string
	events        sync.Map // eventKey -> prometheus.Counter
	coalesced     prometheus.Counter
	storedBytes   prometheus.Counter
	storedEntries prometheus.Counter
}

type eventKey struct {
	result middleware.Result
	detail string
}

// plugin returns plugin id's counters, the same on every call.
func (mt *Metrics) plugin(id string) *pluginMetrics {
	if p, ok := mt.plugins.Load(id); ok {
		return p.(*pluginMetrics)
	}
	p, _ := mt.plugins.LoadOrStore(id, &pluginMetrics{
		mt:            mt,
		plugin:        id,
		coalesced:     mt.coalesced.WithLabelValues(id),
		storedBytes:   mt.storedBytes.WithLabelValues(id),
		storedEntries: mt.storedEntries.WithLabelValues(id),
	})
	return p.(*pluginMetrics)
}

// onEvent counts one request through the plugin's HTTP cache. It is
// middleware.Options.OnEvent: a map load and an atomic add, once the
// (result, detail) pair has been seen. The middleware's details are a small
// fixed set of Cache-Status tokens, so the series stay few.
func (p *pluginMetrics) onEvent(ev middleware.Event) {
	k := eventKey{ev.Result, ev.Detail}
	c, ok := p.events.Load(k)
	if !ok {
		c, _ = p.events.LoadOrStore(k, p.mt.requests.WithLabelValues(p.plugin, string(ev.Result), ev.Detail))
	}
	c.(prometheus.Counter).Inc()
	if ev.Collapsed {
		p.coalesced.Inc()
	}
}

// requestCounts returns the requests through plugin id's HTTP cache so far,
// by result, with every result present.
func (mt *Metrics) requestCounts(id string) map[string]uint64 {
	counts := map[string]uint64{}
	for _, r := range []middleware.Result{middleware.Hit, middleware.Stale, middleware.Revalidated, middleware.Miss, middleware.Bypass, middleware.Error} {
		counts[string(r)] = 0
	}
	if mt == nil {
		return counts
	}
	p, ok := mt.plugins.Load(id)
	if !ok {
		return counts
	}
	p.(*pluginMetrics).events.Range(func(k, c any) bool {
		var m dto.Metric
		if c.(prometheus.Counter).Write(&m) == nil {
			counts[string(k.(eventKey).result)] += uint64(m.GetCounter().GetValue())
		}
		return true
	})
	return counts
}

// storeOp is an operation of a plugin client on its store.
type storeOp int

const (
	opGet storeOp = iota
	opSet
	opDelete
	opClear
)

var opNames = [...]string{opGet: "get", opSet: "set", opDelete: "delete", opClear: "clear"}

// nsMetrics is what a namespace records, its observers resolved once so that
// a call costs two clock reads and an Observe.
type nsMetrics struct {
	*pluginMetrics
	store    string // memory, memcache, redis or custom
	epoch    time.Time
	duration [len(opNames)]prometheus.Observer
}

func (mt *Metrics) forNamespace(plugin, store string) *nsMetrics {
	n := &nsMetrics{pluginMetrics: mt.plugin(plugin), store: store, epoch: mt.epoch}
	for op, name := range opNames {
		n.duration[op] = mt.duration.WithLabelValues(store, name)
	}
	return n
}

// now is the monotonic time since the epoch, which a single clock read gives
// where time.Now takes two.
func (n *nsMetrics) now() time.Duration { return time.Since(n.epoch) }

// done records a call of op that started at start (from now) and ended with
// *err. A miss is not an error. Use it deferred, with the call's named error.
func (n *nsMetrics) done(op storeOp, start time.Duration, err *error) {
	n.duration[op].Observe((n.now() - start).Seconds())
	if *err == nil || errors.Is(*err, ErrNotFound) {
		return
	}
	if kind := errorKind(*err); kind != "" {
		n.mt.storeErrors.WithLabelValues(n.store, opNames[op], kind).Inc()
	}
}

// set is done for a Set of size bytes, which it counts as stored when it
// succeeded.
func (n *nsMetrics) set(start time.Duration, size int, err *error) {
	n.done(opSet, start, err)
	if *err == nil {
		n.storedBytes.Add(float64(size))
		n.storedEntries.Inc()
	}
}

// errorKind is the kind label of a failed store call, or "" for a call its
// caller canceled, which says nothing of the store.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrCorrupt):
		return "corrupt"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return ""
	}
	return "unavailable"
}

// PluginStatus is one plugin's line on a status page.
type PluginStatus struct {
	Plugin string
	// Store is memory, memcache, redis, or "custom" for a store from Options.
	Store string
	// Connection describes where the store is, with passwords masked.
	Connection string
	// Requests counts the requests through the plugin's HTTP cache since the
	// Metrics was made, by middleware.Result: hit, stale, revalidated, miss,
	// bypass and error, each present. All zero without Options.Metrics.
	Requests map[string]uint64
	// HitRatio is (hit+stale+revalidated) / all requests, or 0 when there
	// were none.
	HitRatio float64
}

// Status reports, for each plugin of Plugins and each other plugin whose HTTP
// cache has been opened, its store, its connection with passwords masked, and
// its HTTP cache's requests by result. It makes no
// store call. Status is safe for concurrent use.
func (m *Manager) Status() []PluginStatus {
	ids := m.Plugins()
	m.mu.Lock()
	for id := range m.caches { // plugins the config does not name, used through HTTPCache
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	m.mu.Unlock()
	slices.Sort(ids[1:])
	out := make([]PluginStatus, 0, len(ids))
	for _, id := range ids {
		st := PluginStatus{Plugin: id, Requests: m.opts.Metrics.requestCounts(id)}
		st.Store, st.Connection = m.storeOf(id)
		var served, all uint64
		for r, n := range st.Requests {
			all += n
			switch middleware.Result(r) {
			case middleware.Hit, middleware.Stale, middleware.Revalidated:
				served += n
			}
		}
		if all > 0 {
			st.HitRatio = float64(served) / float64(all)
		}
		out = append(out, st)
	}
	return out
}

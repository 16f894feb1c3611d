package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	libstore "github.com/eko/gocache/lib/v4/store"
)

// opKind is a store operation that the harness measures.
type opKind string

const (
	opGetHit  opKind = "get-hit"
	opGetMiss opKind = "get-miss"
	opSet     opKind = "set"
)

var opKinds = []opKind{opGetHit, opGetMiss, opSet}

// via says which client of a subject makes the calls.
type via string

const (
	// viaPlugin is the plugin's client as a gocache store,
	// gocache.NewStore(client.Store()): the candidate, called as viaBare is.
	viaPlugin via = "plugin"
	// viaBare is gocache's own store on the same server: the baseline.
	viaBare via = "bare"
	// viaClient is the plugin's client itself, Client.Get and Client.Set.
	// Its Get copies the value for the caller, which gocache's stores do
	// not: an informational figure beside the comparison.
	viaClient via = "client"
)

// errWrong marks a call that returned without an error but not what was
// stored: a miss where a hit was due, a value of the wrong length.
var errWrong = errors.New("wrong answer")

// opResult compares one operation through the plugin client and through the
// bare store, for one value size and number of concurrent callers.
type opResult struct {
	store string
	size  int
	conc  int
	kind  opKind
	// plugin and bare summarise each store's rounds.
	plugin, bare summary
	// ratio is the median, over rounds, of the plugin store's time per call
	// over the bare store's in the same round.
	ratio float64
	// client and clientRatio are Client.Get's figures, measured in the same
	// rounds; for Get hit only, zero otherwise.
	client      summary
	clientRatio float64
}

// hitKey and bareHitKey are the keys the Get hit calls read, one per value
// size, written once by seed. They share a redis hash tag, {hit-<size>}, so
// that on a cluster the plugin's key (behind its prefix) and the bare key
// live on the same node, and the two are compared on the same server.
func hitKey(size int) string     { return fmt.Sprintf("{hit-%d}", size) }
func bareHitKey(size int) string { return fmt.Sprintf("bare-{hit-%d}", size) }

const missKey = "never-set"

// seed writes the values that the Get hit calls of size read, through both
// clients.
func (s *subject) seed(ctx context.Context, size int) error {
	value := bytes.Repeat([]byte("v"), size)
	if err := s.client.Set(ctx, hitKey(size), value); err != nil {
		return fmt.Errorf("%s: plugin set: %w", s.name, err)
	}
	k := bareHitKey(size)
	if err := s.bare.Set(ctx, k, value, s.setOptions(k, value)...); err != nil {
		return fmt.Errorf("%s: bare set: %w", s.name, err)
	}
	return nil
}

// storeOp returns the call of kind that conc callers make through client v
// on values of size bytes. Set callers write keys of their own, so that they
// measure the store rather than contention on one key.
func (s *subject) storeOp(kind opKind, v via, size, conc int) opFunc {
	value := bytes.Repeat([]byte("v"), size)
	setKeys := make([]string, conc)
	setOpts := make([][]libstore.Option, conc)
	for w := range conc {
		setKeys[w] = fmt.Sprintf("%s-set-%d-%d", v, size, w)
		setOpts[w] = s.setOptions(setKeys[w], value)
	}
	if v == viaClient {
		return s.clientOp(kind, size, value, setKeys)
	}
	st, key := s.plugin, hitKey(size)
	if v == viaBare {
		st, key = s.bare, bareHitKey(size)
	}
	switch kind {
	case opGetHit:
		return func(ctx context.Context, _ int) error {
			got, err := st.Get(ctx, key)
			return check(err, valueLen(got) == size)
		}
	case opGetMiss:
		return func(ctx context.Context, _ int) error {
			_, err := st.Get(ctx, missKey)
			if err == nil {
				return errWrong
			}
			if isNotFound(err) {
				return nil
			}
			return err
		}
	default:
		return func(ctx context.Context, w int) error {
			return st.Set(ctx, setKeys[w], value, setOpts[w]...)
		}
	}
}

// clientOp is storeOp through the plugin client's own Get and Set.
func (s *subject) clientOp(kind opKind, size int, value []byte, setKeys []string) opFunc {
	switch kind {
	case opGetHit:
		key := hitKey(size)
		return func(ctx context.Context, _ int) error {
			got, ok, err := s.client.Get(ctx, key)
			return check(err, ok && len(got) == size)
		}
	case opGetMiss:
		return func(ctx context.Context, _ int) error {
			_, ok, err := s.client.Get(ctx, missKey)
			return check(err, !ok)
		}
	default:
		return func(ctx context.Context, w int) error {
			return s.client.Set(ctx, setKeys[w], value)
		}
	}
}

func check(err error, ok bool) error {
	if err == nil && !ok {
		return errWrong
	}
	return err
}

// valueLen is the length of a value as gocache's stores return it: []byte
// from ristretto and memcached, string from redis.
func valueLen(v any) int {
	switch v := v.(type) {
	case []byte:
		return len(v)
	case string:
		return len(v)
	}
	return -1
}

// isNotFound reports a miss of a bare gocache store, a store.NotFound.
func isNotFound(err error) bool { return errors.Is(err, libstore.NotFound{}) }

// measureStoreOp measures kind through the plugin and bare stores of s,
// interleaved, and for Get hit through Client.Get in the same rounds.
func measureStoreOp(ctx context.Context, s *subject, kind opKind, size, conc int, cfg config) opResult {
	vias := []via{viaPlugin, viaBare}
	if kind == opGetHit {
		vias = append(vias, viaClient)
	}
	ops := make([]opFunc, len(vias))
	runs := make([]func(context.Context, time.Duration) sample, len(vias))
	for i, v := range vias {
		op := s.storeOp(kind, v, size, conc)
		ops[i] = op
		runs[i] = func(ctx context.Context, d time.Duration) sample { return runLoad(ctx, conc, d, op) }
	}
	warm(ctx, conc, cfg, ops...)
	var out [][]sample
	if alternatesCalls(s.name, conc) {
		out = interleaveCalls(ctx, sequentialRounds*cfg.rounds, sequentialRounds*cfg.duration, ops)
	} else {
		out = interleave(ctx, cfg.rounds, cfg.duration, runs, oneGroup(len(runs)))
	}
	r := opResult{
		store: s.name, size: size, conc: conc, kind: kind,
		plugin: summarize(out[0]), bare: summarize(out[1]),
		ratio: medianOf(roundRatios(out[0], out[1], sample.nsPerOp)),
	}
	if len(out) > 2 {
		r.client = summarize(out[2])
		r.clientRatio = medianOf(roundRatios(out[2], out[1], sample.nsPerOp))
	}
	return r
}

// alternatesCalls reports whether conc callers of store are compared by
// interleaveCalls rather than in alternating rounds: one caller of a network
// store, each
// served by one thread for every connection (the harness starts memcached
// with -t 1), so that blocks of calls alternating between the plugin's
// connection and the bare client's compare the clients. With memcached's four
// threads, each connection had its own, and the two connections' calls took
// 28 or 55 µs by which thread served them. The memory store's calls take
// nanoseconds, so rounds of 100 ms hold millions of them and drift does not
// show, while switching stores every 16 calls would measure the CPU caches
// refilling.
func alternatesCalls(store string, conc int) bool {
	return conc == 1 && store != storeMemory
}

// sequentialRounds is how many times cfg's rounds, of the same length, the
// sequential calls to a network store are measured in. Their times are
// heavy-tailed: at 256 KiB on redis, one round's ratio of plugin to bare ran
// from 0.72 to 1.59 within a run, and the median of ten rounds from 0.94 to
// 1.18 between runs.
const sequentialRounds = 3

// storeOpTime is what measureStoreOp takes for one comparison of sides ops
// on store with conc callers, warm-up included.
func storeOpTime(cfg config, store string, conc, sides int) time.Duration {
	if alternatesCalls(store, conc) {
		d := sequentialRounds * cfg.duration
		return d + time.Duration(sides)*(cfg.warmup()+heapRunTime(d, sides))
	}
	return time.Duration(sides) * measureTime(cfg)
}

// warm runs each op briefly unmeasured: connections dial, pools fill.
func warm(ctx context.Context, conc int, cfg config, ops ...opFunc) {
	for _, op := range ops {
		runLoad(ctx, conc, cfg.warmup(), op)
	}
}

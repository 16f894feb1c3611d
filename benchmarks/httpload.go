package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plugcache/plugcache/internal/rawhttp"
)

// target is one scenario's server on a free loopback port, and the
// keep-alive connections that load and prime it.
type target struct {
	sc   scenario
	size int
	srv  *http.Server
	addr string
	seq  atomic.Uint64 // numbers the URLs of a unique scenario

	mu    sync.Mutex
	conns []*rawhttp.Conn // every connection opened to it, closed by Close
}

// startTarget serves sc on 127.0.0.1.
func startTarget(sc scenario, size int) (*target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &target{
		sc:   sc,
		size: size,
		srv:  &http.Server{Handler: sc.handler, ReadHeaderTimeout: 10 * time.Second},
		addr: ln.Addr().String(),
	}
	go t.srv.Serve(ln)
	return t, nil
}

// Close stops the server and closes every connection to it.
func (t *target) Close() {
	t.mu.Lock()
	for _, c := range t.conns {
		c.Close()
	}
	t.mu.Unlock()
	t.srv.Close()
}

// conn returns a new connection to t (internal/rawhttp, not http.Client,
// whose goroutines per connection moved with the server's timing), which
// Close closes.
func (t *target) conn() *rawhttp.Conn {
	c := rawhttp.New(t.addr)
	t.mu.Lock()
	t.conns = append(t.conns, c)
	t.mu.Unlock()
	return c
}

// nextRequest is the next request's bytes: a new URL each time for a unique
// scenario, else fixed, which the caller may reuse.
func (t *target) nextRequest() []byte {
	if !t.sc.unique {
		return rawhttp.Get(t.addr, t.sc.path)
	}
	return rawhttp.Get(t.addr, t.sc.path+"?n="+strconv.FormatUint(t.seq.Add(1), 10))
}

// op is one request of a load with conns callers, each with a connection of
// its own. Callers of a scenario with a fixed URL reuse their request's bytes.
func (t *target) op(conns int) opFunc {
	cs := make([]*rawhttp.Conn, conns)
	for w := range cs {
		cs[w] = t.conn()
	}
	fixed := t.nextRequest()
	return func(_ context.Context, w int) error {
		req := fixed
		if t.sc.unique {
			req = t.nextRequest()
		}
		_, err := t.request(cs[w], req)
		return err
	}
}

// request sends req over c and checks the response, which it returns with
// its body read: its status, its length and its Cache-Status.
func (t *target) request(c *rawhttp.Conn, req []byte) (*http.Response, error) {
	resp, n, err := c.RoundTrip(req)
	switch {
	case err != nil:
		return nil, err
	case resp.StatusCode != http.StatusOK || n != int64(t.size):
		return resp, fmt.Errorf("%s: status %d, %d bytes: %w", t.sc.name, resp.StatusCode, n, errWrong)
	case t.sc.want != "" && !strings.Contains(resp.Header.Get("Cache-Status"), t.sc.want):
		return resp, fmt.Errorf("%s: Cache-Status %q, want %q: %w", t.sc.name, resp.Header.Get("Cache-Status"), t.sc.want, errWrong)
	}
	return resp, nil
}

// httpResult is one scenario's figures at one body size.
type httpResult struct {
	size  int
	name  string
	store string
	kind  scenarioKind
	sum   summary
	// vsPrebuilt is the median, over rounds, of the scenario's requests per
	// second over the prebuilt baseline's in the same round.
	vsPrebuilt float64
	// vsBareGet is the same against the store's bare GET handler, for hits
	// on network stores; zero otherwise.
	vsBareGet float64
}

// httpSuite is every scenario of one body size, each on its own server.
type httpSuite struct {
	size    int
	targets []*target
}

// newHTTPSuite starts the scenarios of size: the prebuilt baseline, and per
// subject a hit, a miss and, for network stores, the bare GET handler. It
// primes each hit, and takes the fields the baselines write from the first.
func newHTTPSuite(ctx context.Context, subjects []*subject, size int, cfg config) (*httpSuite, error) {
	s := &httpSuite{size: size}
	// The run's own paths, so that entries left by an earlier run on servers
	// given by flags make no hits where misses are due.
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	page := fmt.Sprintf("/page/%d/%s", size, nonce)
	var fields hitFields
	for _, sub := range subjects {
		mw := sub.mgr.Middleware(httpPlugin)
		hit, err := s.start(scenario{
			name: sub.name + " hit", store: sub.name, kind: kindHit, path: page,
			handler: mw(origin(size, 0, time.Hour)), want: "; hit",
		})
		if err != nil {
			return nil, errors.Join(err, s.Close())
		}
		f, err := prime(ctx, hit)
		if err != nil {
			return nil, errors.Join(err, s.Close())
		}
		if fields == nil {
			fields = f
		}
		_, err = s.start(scenario{
			name: sub.name + " miss", store: sub.name, kind: kindMiss, path: fmt.Sprintf("/miss/%d/%s", size, nonce),
			handler: mw(origin(size, cfg.missDelay, time.Minute)), unique: true, want: "fwd=uri-miss",
		})
		if err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	body := bytes.Repeat([]byte("x"), size) // origin's body
	if _, err := s.start(scenario{name: "prebuilt", kind: kindPrebuilt, path: page, handler: prebuilt(fields, body)}); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	for _, sub := range subjects {
		if sub.raw == nil {
			continue
		}
		key := fmt.Sprintf("raw-%d", size)
		var err error
		if r, ok := sub.raw.(rawRedis); ok { // one memcached, one redis: only a cluster has other nodes
			key, err = r.keyBeside(ctx, key, page)
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("%s: bare key: %w", sub.name, err), s.Close())
		}
		if err := sub.raw.set(ctx, key, body); err != nil {
			return nil, errors.Join(fmt.Errorf("%s: bare set: %w", sub.name, err), s.Close())
		}
		if _, err := s.start(scenario{name: sub.name + " bare GET", store: sub.name, kind: kindBareGet, path: page, handler: bareGet(sub.raw, key, fields)}); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	s.orderForReading(subjects)
	return s, nil
}

// orderForReading puts the scenarios in the order the report lists them: the
// prebuilt handler, then per subject its bare GET, its hit and its miss.
func (s *httpSuite) orderForReading(subjects []*subject) {
	order := []*target{s.find(kindPrebuilt, "")}
	for _, sub := range subjects {
		for _, kind := range []scenarioKind{kindBareGet, kindHit, kindMiss} {
			if t := s.find(kind, sub.name); t != nil {
				order = append(order, t)
			}
		}
	}
	s.targets = order
}

// comparisonGroups is interleave's groups for the suite: the prebuilt
// handler with the hits compared with it (those of stores with no bare GET),
// each network store's bare GET with its hit, and each miss alone.
func (s *httpSuite) comparisonGroups() [][]int {
	index := func(t *target) int { return slices.Index(s.targets, t) }
	prebuilt := []int{index(s.find(kindPrebuilt, ""))}
	groups := [][]int{prebuilt}
	for i, t := range s.targets {
		switch t.sc.kind {
		case kindMiss:
			groups = append(groups, []int{i})
		case kindHit:
			if bare := s.find(kindBareGet, t.sc.store); bare != nil {
				groups = append(groups, []int{index(bare), i})
			} else {
				groups[0] = append(groups[0], i)
			}
		}
	}
	return groups
}

func (s *httpSuite) start(sc scenario) (*target, error) {
	t, err := startTarget(sc, s.size)
	if err != nil {
		return nil, err
	}
	s.targets = append(s.targets, t)
	return t, nil
}

// primeAttempts bounds the requests that prime makes: the memory store's
// admission policy (TinyLFU) may refuse a new entry while the store is full
// of others, until requests for it have shown it to be wanted. A 256 KiB
// page must outweigh every entry it evicts, some twenty 16 KiB pages left by
// the miss runs, and ristretto counts Gets in batches of 64: in a store full
// of them it took from 10 to 72 requests, and once more than 100 in a full
// run.
const primeAttempts = 1000

// prime stores the page behind t's cache and returns the fields of a hit.
func prime(ctx context.Context, t *target) (hitFields, error) {
	want := t.sc.want
	t.sc.want = ""
	defer func() { t.sc.want = want }()
	c := t.conn()
	var status string
	for range primeAttempts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp, err := t.request(c, t.nextRequest())
		if err != nil {
			return nil, fmt.Errorf("priming: %w", err)
		}
		if status = resp.Header.Get("Cache-Status"); strings.Contains(status, want) {
			return fieldsOf(resp.Header), nil
		}
	}
	return nil, fmt.Errorf("priming %s: no hit after %d requests, the last with Cache-Status %q", t.sc.name, primeAttempts, status)
}

// find returns the scenario of kind on store, or nil.
func (s *httpSuite) find(kind scenarioKind, store string) *target {
	for _, t := range s.targets {
		if t.sc.kind == kind && t.sc.store == store {
			return t
		}
	}
	return nil
}

// measure warms every scenario, then runs them in interleaved rounds.
func (s *httpSuite) measure(ctx context.Context, cfg config) []httpResult {
	runs := make([]func(context.Context, time.Duration) sample, len(s.targets))
	for i, t := range s.targets {
		op := t.op(cfg.conns)
		runLoad(ctx, cfg.conns, cfg.warmup(), op)
		runs[i] = func(ctx context.Context, d time.Duration) sample { return runLoad(ctx, cfg.conns, d, op) }
	}
	out := interleave(ctx, httpRounds*cfg.rounds, httpTime*cfg.duration, runs, s.comparisonGroups())
	base := out[slices.Index(s.targets, s.find(kindPrebuilt, ""))]
	results := make([]httpResult, len(s.targets))
	for i, t := range s.targets {
		r := httpResult{
			size: s.size, name: t.sc.name, store: t.sc.store, kind: t.sc.kind, sum: summarize(out[i]),
			vsPrebuilt: medianOf(roundRatios(out[i], base, sample.opsPerSec)),
		}
		if bare := s.find(kindBareGet, t.sc.store); bare != nil && t.sc.kind == kindHit {
			r.vsBareGet = medianOf(roundRatios(out[i], out[slices.Index(s.targets, bare)], sample.opsPerSec))
		}
		results[i] = r
	}
	return results
}

// httpTime is how many times cfg's duration the HTTP runs take, and
// httpRounds how many times cfg's rounds they are cut into: rounds of 20 ms
// for the default second. A hit and its baseline drift apart by a tenth
// within 100 ms on a shared machine. In two runs of ten rounds of 100 ms,
// the three network stores' 1K hits measured 0.91 to 1.07 of their bare
// GETs; in fifty rounds of 20 ms, one round's ratio still ran from 0.75 to
// 1.19, and the median of a run from 0.93 to 0.97 between runs. Three times
// the rounds halve that spread.
const (
	httpTime   = 3
	httpRounds = 15
)

// Close stops every scenario's server.
func (s *httpSuite) Close() error {
	for _, t := range s.targets {
		t.Close()
	}
	return nil
}

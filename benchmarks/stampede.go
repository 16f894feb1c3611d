package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// stampedePlugin is the plugin whose HTTP cache takes the stampede.
const stampedePlugin = "stampede"

// stampedeResult is what n concurrent requests for one cold key did.
type stampedeResult struct {
	store       string
	requests    int
	originCalls int64
	// leaders got the origin's response, waiters another's: collapsed onto
	// the leader's fetch, or a hit on what it stored.
	leaders, collapsed, hits, other, errs int
	// otherStatus counts the Cache-Status of each other response, to say
	// why it was neither.
	otherStatus map[string]int
	leader      time.Duration // the slowest leader's latency
	waiters     *histogram
}

// measureStampede sends cfg.stampede concurrent requests for one cold URL
// through sub's HTTP cache, with coalescing on, in front of an origin that
// takes cfg.stampedeDelay and counts its calls. Every request has a
// keep-alive connection of its own, opened beforehand, so that all of them
// reach the server at once rather than as fast as connections open.
func measureStampede(ctx context.Context, sub *subject, cfg config) (stampedeResult, error) {
	n := cfg.stampede
	res := stampedeResult{store: sub.name, requests: n, waiters: new(histogram), otherStatus: map[string]int{}}
	var calls atomic.Int64
	slow := origin(1024, cfg.stampedeDelay, time.Minute)
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		slow.ServeHTTP(w, r)
	})
	arrived, ready := atomic.Int64{}, make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/cold/", sub.mgr.Middleware(stampedePlugin)(counted))
	mux.HandleFunc("/connect", func(w http.ResponseWriter, r *http.Request) {
		// Hold each request until all have arrived, so that each has a
		// connection of its own.
		if arrived.Add(1) == int64(n) {
			close(ready)
		}
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, DisableCompression: true}}
	defer client.CloseIdleConnections()
	base := "http://" + ln.Addr().String()
	cold := fmt.Sprintf("%s/cold/%s", base, strconv.FormatInt(time.Now().UnixNano(), 36))

	type outcome struct {
		status string
		lat    time.Duration
		err    error
	}
	outcomes := make([]outcome, n)
	start := make(chan struct{})
	var connected, wg sync.WaitGroup
	connected.Add(n)
	for i := range n {
		wg.Go(func() {
			getCtx(ctx, client, base+"/connect")
			connected.Done()
			<-start
			t0 := time.Now()
			resp, err := getCtx(ctx, client, cold)
			if err == nil {
				outcomes[i] = outcome{status: resp.Header.Get("Cache-Status"), lat: time.Since(t0)}
				return
			}
			outcomes[i] = outcome{err: err}
		})
	}
	connected.Wait()
	close(start)
	wg.Wait()

	res.originCalls = calls.Load()
	for _, o := range outcomes {
		switch {
		case o.err != nil:
			res.errs++
			continue
		case strings.Contains(o.status, "; stored"):
			res.leaders++
			res.leader = max(res.leader, o.lat)
			continue
		case strings.Contains(o.status, "; collapsed"):
			res.collapsed++
		case strings.Contains(o.status, "; hit"):
			res.hits++
		default:
			res.other++
			res.otherStatus[o.status]++
		}
		res.waiters.record(o.lat)
	}
	return res, ctx.Err()
}

// getCtx makes a GET of url under ctx and reads and closes the body.
func getCtx(ctx context.Context, client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"time"
)

// newUpstream returns the reverse proxy to target. It forwards every method
// and header but the hop-by-hop ones, appends the client to X-Forwarded-For
// and sets X-Forwarded-Host and -Proto as this proxy sees them,
// streams bodies both ways and flushes each write of the upstream's at once,
// and answers 502 Bad Gateway when the upstream cannot be reached, or 504
// Gateway Timeout when its response header does not come within timeout
// (zero: no limit). It logs when the upstream becomes unreachable and when
// it answers again, not each failed request.
func newUpstream(target *url.URL, timeout time.Duration, logger *slog.Logger) *httputil.ReverseProxy {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256 // one upstream: keep as many idle as may be busy
	// A hung upstream would otherwise hold the request, and every request
	// coalesced on its key, for ever. Only the header is bounded: a body
	// may stream for as long as it needs.
	t.ResponseHeaderTimeout = timeout
	w := &watchedTransport{base: t, logger: logger, target: target.Redacted()}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			// Keep the chain of proxies in front of this one, with this
			// client appended, as nginx's $proxy_add_x_forwarded_for does:
			// the upstream decides which entries it trusts. Rewrite gets
			// the outbound header without it.
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			pr.SetXForwarded()
		},
		Transport:     w,
		FlushInterval: -1,
		ErrorHandler:  upstreamFailed,
		// What ReverseProxy logs itself concerns one request, such as a
		// client that went away mid-body: debug level.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}

// upstreamFailed answers a request the upstream did not: 504 when it timed
// out (RFC 9110 §15.6.5), else 502, either of which the cache in front may
// replace with a stale response within stale-if-error.
func upstreamFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, text := http.StatusBadGateway, "502 bad gateway: the upstream did not answer\n"
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		status, text = http.StatusGatewayTimeout, "504 gateway timeout: the upstream did not answer in time\n"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(text))
}

// watchedTransport is the upstream's transport, which notes when the
// upstream stops answering and when it answers again, and logs each change
// once.
type watchedTransport struct {
	base   http.RoundTripper
	logger *slog.Logger
	target string // redacted, for logs
	down   atomic.Bool
	since  atomic.Int64 // unix nanoseconds of the last change
}

// RoundTrip sends req upstream and notes whether the upstream answered.
func (t *watchedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	switch {
	case err == nil:
		// Load first: a CompareAndSwap takes the cache line on every
		// request, from every core, even when it fails.
		if t.down.Load() && t.down.CompareAndSwap(true, false) {
			t.logger.Info("upstream answers again", "upstream", t.target, "down_for", t.elapsed())
		}
	case req.Context().Err() != nil || errors.Is(err, context.Canceled):
		// The client went away or shutdown cut the request: not the
		// upstream's fault.
	default:
		if !t.down.Load() && t.down.CompareAndSwap(false, true) {
			t.since.Store(time.Now().UnixNano())
			t.logger.Warn("upstream is unreachable; answering 502, or 504 on a timeout, or stale where allowed", "upstream", t.target, "err", err)
		}
	}
	return resp, err
}

// elapsed is the time since the upstream went down, rounded for a log line.
func (t *watchedTransport) elapsed() time.Duration {
	return time.Since(time.Unix(0, t.since.Load())).Round(time.Millisecond)
}

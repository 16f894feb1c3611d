package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// newLogger returns the proxy's logger, writing to w in format text or json
// and dropping lines below level debug, info, warn or error.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q: expected debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q: expected text or json", format)
}

// logRequests logs one line per request served through next: method, path
// (never the query, which may carry tokens), plugin, status, bytes, time
// taken and what the cache did, from its Cache-Status. Headers are never
// logged.
func logRequests(logger *slog.Logger, plugin string, next http.Handler) http.Handler {
	if plugin == "" {
		plugin = "none"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK // nothing written: net/http sends 200
		}
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("plugin", plugin),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("cache", rec.cache),
		)
	})
}

// recorder notes what a handler sends: the status, the body's size and our
// Cache-Status member. Unwrap gives http.ResponseController the writer
// beneath, for Flush, Hijack and deadlines.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	cache  string
}

// WriteHeader notes the status and the last Cache-Status member, the one the
// cache nearest the client (ours) added.
func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		rec.status = code
		if cs := rec.Header().Values("Cache-Status"); len(cs) > 0 {
			rec.cache = cs[len(cs)-1]
		}
	}
	rec.ResponseWriter.WriteHeader(code)
}

// Write counts the body's bytes.
func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap returns the writer beneath, for http.ResponseController.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

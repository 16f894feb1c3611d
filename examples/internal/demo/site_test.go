package demo

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSite checks the docs handler on its own, with no cache in front.
func TestSite(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	etag := newSite(0, logger).etag("intro")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name        string
		path        string
		ifNoneMatch string
		ctx         context.Context // nil for a live request
		delay       time.Duration   // the renderer's
		wantStatus  int
		wantCache   string // Cache-Control
		wantETag    bool
		wantInBody  string
	}{
		{"a page is rendered, with its ETag", "/docs/intro", "", nil, 0, http.StatusOK, "public, max-age=300", true, "<h1>Introduction</h1>"},
		{"the index lists the pages", "/docs/", "", nil, 0, http.StatusOK, "public, max-age=300", true, "/docs/frameworks"},
		{"If-None-Match with the ETag is 304", "/docs/intro", etag, nil, 0, http.StatusNotModified, "public, max-age=300", true, ""},
		{"another ETag renders the page", "/docs/intro", `"other"`, nil, 0, http.StatusOK, "public, max-age=300", true, "Introduction"},
		{"an unknown page is a 404 that may be cached", "/docs/nope", "", nil, 0, http.StatusNotFound, "public, max-age=60", false, "not found"},
		{"a render whose client has gone is 503, not stored", "/docs/intro", "", cancelled, time.Hour, http.StatusServiceUnavailable, "no-store", false, "render stopped"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, tt.path, nil)
		if tt.ctx != nil {
			req = req.WithContext(tt.ctx)
		}
		if tt.ifNoneMatch != "" {
			req.Header.Set("If-None-Match", tt.ifNoneMatch)
		}
		rec := httptest.NewRecorder()
		newSite(tt.delay, logger).ServeHTTP(rec, req)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status: got %d, want %d", tt.name, rec.Code, tt.wantStatus)
		}
		if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
			t.Errorf("%s: Cache-Control: got %q, want %q", tt.name, got, tt.wantCache)
		}
		if got := rec.Header().Get("ETag") != ""; got != tt.wantETag {
			t.Errorf("%s: ETag present: got %v, want %v", tt.name, got, tt.wantETag)
		}
		if !strings.Contains(rec.Body.String(), tt.wantInBody) {
			t.Errorf("%s: body: got %q, want it to contain %q", tt.name, rec.Body, tt.wantInBody)
		}
	}
}

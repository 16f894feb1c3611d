package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/plugcache/plugcache/examples/internal/demotest"
)

// TestService runs the demo service's suite against this program over real
// HTTP: the printed commands' miss, hit and 304, the catalog's invalidation,
// and config layering and errors.
func TestService(t *testing.T) {
	demotest.Run(t, program)
}

// TestEchoErrorsInsideCache checks renderErrors: an error that echo itself
// returns inside a cached group, here the 404 of the group's catch-all route
// for a path no route matches, reaches the cache as the error response it
// is, not as an empty 200 that the cache would store, or take for a
// successful PUT.
func TestEchoErrorsInsideCache(t *testing.T) {
	t.Parallel()
	svc := demotest.Start(t, program.Run)
	const nope = "/api/catalog/nope"
	steps := []struct {
		name       string
		method     string
		wantStatus int
		wantCache  []string // parts of Cache-Status
	}{
		{"echo's 404 is stored as a 404", http.MethodGet, http.StatusNotFound, []string{"fwd=uri-miss", "stored"}},
		{"echo's 404 again is a hit with the 404", http.MethodGet, http.StatusNotFound, []string{"hit"}},
		{"a PUT that echo refuses passes the cache as a 404", http.MethodPut, http.StatusNotFound, []string{"fwd=method"}},
		{"a PUT that echo refuses invalidates nothing", http.MethodGet, http.StatusNotFound, []string{"hit"}},
	}
	for _, s := range steps {
		req, err := http.NewRequest(s.method, svc.Base+nope, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := svc.Do(t, req)
		if resp.StatusCode != s.wantStatus {
			t.Errorf("%s: status: got %d, want %d", s.name, resp.StatusCode, s.wantStatus)
		}
		demotest.CheckCacheStatus(t, s.name, resp, s.wantCache)
		if want := "Not Found"; !strings.Contains(body, want) {
			t.Errorf("%s: body: got %q, want it to contain %q", s.name, body, want)
		}
	}
	if err := svc.Stop(); err != nil {
		t.Errorf("run after cancel: got %v, want nil", err)
	}
}

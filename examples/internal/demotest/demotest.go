// Package demotest checks an example program against the behaviour of the
// demo service over real HTTP, so that every example, whatever its
// framework, passes one suite.
package demotest

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/examples/internal/demo"
)

// Run checks p: its docs pages miss, hit and answer 304 as the printed curl
// commands say, a PUT on a catalog entity invalidates the answers that show
// it, and its config is layered and checked as Backstage's is. The service
// tests run in parallel; the config tests set environment variables, so Run
// must not be called from a parallel test.
func Run(t *testing.T, p demo.Program) {
	t.Run("config errors", func(t *testing.T) { testConfigErrors(t, p) })
	t.Run("config layers", func(t *testing.T) { testConfigLayers(t, p) })
	t.Run("docs miss, hit and 304", func(t *testing.T) {
		t.Parallel()
		testDocs(t, p.Run)
	})
	t.Run("catalog invalidation", func(t *testing.T) {
		t.Parallel()
		testCatalog(t, p.Run)
	})
}

// docsStep is one request of testDocs, and what its answer must show.
type docsStep struct {
	name        string
	path        string
	ifNoneMatch bool // send the ETag of the first answer
	wantStatus  int
	wantCache   []string // parts of Cache-Status
	wantAge     bool
	wantRenders int // renders logged so far
}

// testDocs follows the printed curl commands over real HTTP: a miss that
// renders and stores the page, hits that do not render it again, and a 304
// for a client that holds the ETag.
func testDocs(t *testing.T, run RunFunc) {
	svc := Start(t, run)
	steps := []docsStep{
		{"first GET is a miss: rendered and stored", "/docs/intro", false, http.StatusOK, []string{"fwd=uri-miss", "stored"}, false, 1},
		{"second GET is a hit with Age: not rendered again", "/docs/intro", false, http.StatusOK, []string{"hit", "ttl="}, true, 1},
		{"utm_* parameters are left out of the key", "/docs/intro?utm_source=newsletter", false, http.StatusOK, []string{"hit"}, true, 1},
		{"If-None-Match with the ETag gets 304 from the cache", "/docs/intro", true, http.StatusNotModified, []string{"hit"}, true, 1},
		{"another page is a miss of its own", "/docs/config", false, http.StatusOK, []string{"fwd=uri-miss", "stored"}, false, 2},
		{"an unknown page is a 404, stored as one", "/docs/nope", false, http.StatusNotFound, []string{"fwd=uri-miss", "stored"}, false, 2},
		{"an unknown page again is a stored 404", "/docs/nope", false, http.StatusNotFound, []string{"hit"}, true, 2},
	}
	var etag string
	for i, s := range steps {
		req, err := http.NewRequest(http.MethodGet, svc.Base+s.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.ifNoneMatch {
			req.Header.Set("If-None-Match", etag)
		}
		began := time.Now()
		resp, _ := svc.Do(t, req)
		checkDocsStep(t, svc, s, resp)
		if i == 0 {
			if took := time.Since(began); took < demo.RenderDelay {
				t.Errorf("%s: took %v, want at least the render's %v", s.name, took, demo.RenderDelay)
			}
			if etag = resp.Header.Get("ETag"); etag == "" {
				t.Fatalf("%s: no ETag", s.name)
			}
		}
	}

	// The printed commands name the real address and the page's ETag.
	for _, want := range []string{"curl -si " + svc.Base + "/docs/intro", "If-None-Match: " + etag} {
		if !strings.Contains(svc.Output(), want) {
			t.Errorf("output does not contain %q:\n%s", want, svc.Output())
		}
	}
	if err := svc.Stop(); err != nil {
		t.Errorf("run after cancel: got %v, want nil", err)
	}
}

// checkDocsStep reports how resp, the answer to step s, differs from what s
// wants.
func checkDocsStep(t *testing.T, svc *Service, s docsStep, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != s.wantStatus {
		t.Errorf("%s: status: got %d, want %d", s.name, resp.StatusCode, s.wantStatus)
	}
	CheckCacheStatus(t, s.name, resp, s.wantCache)
	if _, got := resp.Header["Age"]; got != s.wantAge {
		t.Errorf("%s: Age present: got %v, want %v", s.name, got, s.wantAge)
	}
	if got := strings.Count(svc.Output(), "techdocs: rendered"); got != s.wantRenders {
		t.Errorf("%s: renders: got %d, want %d", s.name, got, s.wantRenders)
	}
}

// testCatalog checks that a PUT on an entity drops the cached answers that
// show it: the entity's own, which the cache drops after any successful
// unsafe request (RFC 9111 §4.4), and the list, which the service purges.
func testCatalog(t *testing.T, run RunFunc) {
	svc := Start(t, run)
	const (
		entity = "/api/catalog/entities/plugcache"
		list   = "/api/catalog/entities"
		edited = `{"kind":"Component","owner":"platform","description":"edited"}`
	)
	steps := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
		wantCache  []string // parts of Cache-Status
		wantBody   string   // part of the body
	}{
		{"GET entity is a miss, stored", http.MethodGet, entity, "", http.StatusOK, []string{"fwd=uri-miss", "stored"}, "per-plugin caches"},
		{"GET list is a miss, stored", http.MethodGet, list, "", http.StatusOK, []string{"fwd=uri-miss", "stored"}, "per-plugin caches"},
		{"GET entity again is a hit", http.MethodGet, entity, "", http.StatusOK, []string{"hit"}, "per-plugin caches"},
		{"PUT changes the entity", http.MethodPut, entity, edited, http.StatusOK, []string{"fwd=method"}, `"edited"`},
		{"GET entity after PUT is a miss with the new value", http.MethodGet, entity, "", http.StatusOK, []string{"fwd=uri-miss", "stored"}, `"edited"`},
		{"GET list after PUT is a miss with the new value", http.MethodGet, list, "", http.StatusOK, []string{"fwd=uri-miss", "stored"}, `"edited"`},
		{"PUT with a mismatched name is refused", http.MethodPut, entity, `{"name":"other","kind":"API","owner":"x"}`, http.StatusBadRequest, []string{"fwd=method"}, "does not match"},
		{"a refused PUT invalidates nothing", http.MethodGet, entity, "", http.StatusOK, []string{"hit"}, `"edited"`},
		{"PUT of a new entity creates it", http.MethodPut, list + "/search", `{"kind":"Component","owner":"search"}`, http.StatusCreated, nil, `"search"`},
		{"GET list shows the new entity", http.MethodGet, list, "", http.StatusOK, []string{"fwd=uri-miss"}, `"search"`},
	}
	for _, s := range steps {
		req, err := http.NewRequest(s.method, svc.Base+s.path, strings.NewReader(s.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, body := svc.Do(t, req)
		if resp.StatusCode != s.wantStatus {
			t.Errorf("%s: status: got %d, want %d", s.name, resp.StatusCode, s.wantStatus)
		}
		CheckCacheStatus(t, s.name, resp, s.wantCache)
		if !strings.Contains(body, s.wantBody) {
			t.Errorf("%s: body: got %q, want it to contain %q", s.name, body, s.wantBody)
		}
	}
	if err := svc.Stop(); err != nil {
		t.Errorf("run after cancel: got %v, want nil", err)
	}
}

// testConfigErrors checks that p refuses a bad -config before listening,
// naming the file, and the line when the file could be read.
func testConfigErrors(t *testing.T, p demo.Program) {
	dir := t.TempDir()
	unknown := writeFile(t, dir, "app-config.local.yaml", "backend:\n  cache:\n    stroe: redis\n")
	negative := writeFile(t, dir, "negative.yaml", "backend:\n  cache:\n    plugin:\n      catalog:\n        defaultTtl: -5s\n")
	unset := writeFile(t, dir, "app-config.production.yaml", "backend:\n  cache:\n    store: redis\n    connection: ${REDIS_URL}\n")
	missing := filepath.Join(dir, "missing.yaml")
	t.Setenv("REDIS_URL", "")
	os.Unsetenv("REDIS_URL") // restored by t.Setenv's cleanup

	tests := []struct {
		name   string
		config string
		want   []string
	}{
		{"an unknown key is named with its file and line", unknown, []string{unknown + ":3", "stroe", `did you mean "store"`}},
		{"a bad value is named with its file and line", negative, []string{negative + ":5", "defaultTtl", ">= 0"}},
		{"a missing file is named", missing, []string{missing}},
		{"an unset variable is named with its file and line", unset, []string{unset + ":4", "REDIS_URL"}},
	}
	for _, tt := range tests {
		err := p.Run(t.Context(), []string{"-addr", "127.0.0.1:0", "-config", tt.config}, &strings.Builder{})
		if err == nil {
			t.Errorf("%s: run: got nil error, want one containing %q", tt.name, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: run: got %q, want it to contain %q", tt.name, err, w)
			}
		}
	}
}

// testConfigLayers checks that a -config file is merged after the embedded
// app-config.yaml key by key: a production layer that moves the store to
// redis leaves every plugin's settings as the embedded file has them.
func testConfigLayers(t *testing.T, p demo.Program) {
	production := writeFile(t, t.TempDir(), "app-config.production.yaml",
		"backend:\n  cache:\n    store: redis\n    connection: ${REDIS_URL}\n")
	t.Setenv("REDIS_URL", "redis://127.0.0.1:6379/0")

	base, err := p.LoadConfig(nil)
	if err != nil {
		t.Fatalf("LoadConfig(nil): %v", err)
	}
	layered, err := p.LoadConfig([]string{production})
	if err != nil {
		t.Fatalf("LoadConfig(production): %v", err)
	}
	if got, want := base.Store, "memory"; got != want {
		t.Errorf("embedded app-config.yaml: store: got %q, want %q", got, want)
	}
	if got, want := layered.Store, "redis"; got != want {
		t.Errorf("production layer: store: got %q, want %q", got, want)
	}
	if len(base.Plugin) == 0 {
		t.Errorf("embedded app-config.yaml: got no plugin settings, want techdocs and catalog")
	}
	if !reflect.DeepEqual(layered.Plugin, base.Plugin) {
		t.Errorf("production layer: plugins: got %+v, want the embedded file's %+v", layered.Plugin, base.Plugin)
	}
}

// writeFile writes a config file called name in dir for a test, failing the
// test if it cannot, and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

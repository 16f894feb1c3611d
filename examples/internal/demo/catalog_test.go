package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCatalog checks the catalog's handlers on their own, with no cache in
// front, on a ServeMux that sets the path value "name".
func TestCatalog(t *testing.T) {
	var changed []string // the paths of the PUTs that called changed
	cat := newCatalog(seedEntities(), func(r *http.Request) { changed = append(changed, r.URL.Path) })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/catalog/entities", cat.List)
	mux.HandleFunc("GET /api/catalog/entities/{name}", cat.Get)
	mux.HandleFunc("PUT /api/catalog/entities/{name}", cat.Put)

	tests := []struct {
		name        string
		method      string
		path        string
		body        string
		wantStatus  int
		wantCache   string // Cache-Control
		wantInBody  string
		wantChanged int // calls of changed so far
	}{
		{"GET list is cacheable JSON", http.MethodGet, "/api/catalog/entities", "", http.StatusOK, "public, max-age=10", `"name":"catalog"`, 0},
		{"GET entity is cacheable JSON", http.MethodGet, "/api/catalog/entities/techdocs", "", http.StatusOK, "public, max-age=10", `"owner":"docs"`, 0},
		{"GET unknown entity is 404", http.MethodGet, "/api/catalog/entities/nope", "", http.StatusNotFound, "", "no such entity", 0},
		{"PUT replaces an entity and calls changed", http.MethodPut, "/api/catalog/entities/techdocs", `{"kind":"Component","owner":"web"}`, http.StatusOK, "no-store", `"owner":"web"`, 1},
		{"PUT creates an entity", http.MethodPut, "/api/catalog/entities/new", `{"name":"new","kind":"API","owner":"x"}`, http.StatusCreated, "no-store", `"name":"new"`, 2},
		{"PUT with another name in the body is 400", http.MethodPut, "/api/catalog/entities/new", `{"name":"old","kind":"API","owner":"x"}`, http.StatusBadRequest, "", "does not match", 2},
		{"PUT without an owner is 400", http.MethodPut, "/api/catalog/entities/new", `{"kind":"API"}`, http.StatusBadRequest, "", "kind and owner are required", 2},
		{"PUT with an unknown field is 400", http.MethodPut, "/api/catalog/entities/new", `{"kind":"API","owner":"x","team":"y"}`, http.StatusBadRequest, "", "unknown field", 2},
		{"PUT with a body over the limit is 400", http.MethodPut, "/api/catalog/entities/new", `{"kind":"` + strings.Repeat("x", maxEntitySize) + `"}`, http.StatusBadRequest, "", "too large", 2},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status: got %d, want %d", tt.name, rec.Code, tt.wantStatus)
		}
		if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
			t.Errorf("%s: Cache-Control: got %q, want %q", tt.name, got, tt.wantCache)
		}
		if !strings.Contains(rec.Body.String(), tt.wantInBody) {
			t.Errorf("%s: body: got %q, want it to contain %q", tt.name, rec.Body, tt.wantInBody)
		}
		if len(changed) != tt.wantChanged {
			t.Errorf("%s: changed called: got %d times, want %d", tt.name, len(changed), tt.wantChanged)
		}
	}
}

// TestCatalogNotModified checks that a GET whose If-None-Match holds the
// answer's ETag is 304, so that the cache revalidates without a new body.
func TestCatalogNotModified(t *testing.T) {
	cat := newCatalog(seedEntities(), nil)
	first := httptest.NewRecorder()
	cat.List(first, httptest.NewRequest(http.MethodGet, "/api/catalog/entities", nil))
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("first GET: got no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, "/api/catalog/entities", nil)
	req.Header.Set("If-None-Match", etag)
	second := httptest.NewRecorder()
	cat.List(second, req)
	if got, want := second.Code, http.StatusNotModified; got != want {
		t.Errorf("GET with If-None-Match %s: status: got %d, want %d", etag, got, want)
	}
	if got := second.Body.Len(); got != 0 {
		t.Errorf("GET with If-None-Match %s: body: got %d bytes, want none", etag, got)
	}
}

package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// catalogMaxAge is how long a shared cache may keep a catalog answer: short,
// as entities change.
const catalogMaxAge = 10 * time.Second

// maxEntitySize bounds the body of a PUT.
const maxEntitySize = 64 << 10

// entity is a catalog entry, as the API reads and writes it.
type entity struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Owner       string `json:"owner"`
	Description string `json:"description,omitempty"`
}

// Catalog is the catalog plugin's JSON API over entities held in memory. Its
// methods are the handlers of its three routes, for a router to mount:
//
//	GET /api/catalog/entities          List: every entity, by name
//	GET /api/catalog/entities/{name}   Get: one entity
//	PUT /api/catalog/entities/{name}   Put: create or replace one entity
//
// Get and Put read the entity's name with r.PathValue("name"), which
// net/http's ServeMux and chi set and an echo route must set itself. A
// Catalog is safe for concurrent use.
type Catalog struct {
	mu       sync.RWMutex
	entities map[string]entity

	// changed runs after a PUT has changed an entity, before the answer is
	// sent: the place to purge cached answers that show the entity at other
	// URLs than its own. Nil means nothing to do.
	changed func(r *http.Request)
}

// newCatalog returns a catalog holding entities that calls changed, if not
// nil, after each change.
func newCatalog(entities []entity, changed func(r *http.Request)) *Catalog {
	c := &Catalog{entities: map[string]entity{}, changed: changed}
	for _, e := range entities {
		c.entities[e.Name] = e
	}
	return c
}

// seedEntities are what the example's catalog starts with.
func seedEntities() []entity {
	return []entity{
		{Name: "plugcache", Kind: "Component", Owner: "platform", Description: "per-plugin caches for Go services"},
		{Name: "techdocs", Kind: "Component", Owner: "docs", Description: "the documentation site"},
		{Name: "catalog", Kind: "API", Owner: "platform", Description: "the software catalog API"},
	}
}

// List answers with every entity, sorted by name, as JSON that a shared
// cache may keep.
func (c *Catalog) List(w http.ResponseWriter, r *http.Request) {
	c.mu.RLock()
	all := make([]entity, 0, len(c.entities))
	for _, name := range slices.Sorted(maps.Keys(c.entities)) {
		all = append(all, c.entities[name])
	}
	c.mu.RUnlock()
	writeCacheableJSON(w, r, all)
}

// Get answers with the entity the path value "name" names, as JSON that a
// shared cache may keep, or 404.
func (c *Catalog) Get(w http.ResponseWriter, r *http.Request) {
	c.mu.RLock()
	e, ok := c.entities[r.PathValue("name")]
	c.mu.RUnlock()
	if !ok {
		http.Error(w, "no such entity", http.StatusNotFound)
		return
	}
	writeCacheableJSON(w, r, e)
}

// Put creates or replaces the entity the path value "name" names from the
// JSON body, answering 201 or 200 with the entity as stored, or 400. The
// cache drops the stored answers for the entity's own URL once the PUT
// succeeds (RFC 9111 §4.4); the list, at another URL, is for changed to
// purge.
func (c *Catalog) Put(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	e, err := decodeEntity(http.MaxBytesReader(w, r.Body, maxEntitySize), name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	_, existed := c.entities[name]
	c.entities[name] = e
	c.mu.Unlock()

	if c.changed != nil {
		c.changed(r)
	}
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, e)
}

// decodeEntity reads an entity for the URL name from body: its name must be
// absent or name, and kind and owner are required.
func decodeEntity(body io.Reader, name string) (entity, error) {
	var e entity
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return entity{}, fmt.Errorf("bad entity: %w", err)
	}
	switch {
	case e.Name != "" && e.Name != name:
		return entity{}, fmt.Errorf("bad entity: name %q does not match the URL's %q", e.Name, name)
	case e.Kind == "" || e.Owner == "":
		return entity{}, errors.New("bad entity: kind and owner are required")
	}
	e.Name = name
	return e, nil
}

// writeCacheableJSON answers a GET with v as JSON that a shared cache may
// keep for catalogMaxAge, with an ETag of the body, or with 304 when the
// request's If-None-Match already holds that ETag.
func writeCacheableJSON(w http.ResponseWriter, r *http.Request, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	etag := etagOf(string(body))
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(catalogMaxAge.Seconds())))
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeBody(w, http.StatusOK, body)
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, status, body)
}

// writeBody answers with status and a JSON body, ending it with a newline
// as curl users expect.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

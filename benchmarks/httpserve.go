package main

import (
	"bytes"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// httpPlugin is the plugin whose HTTP cache the HTTP runs go through.
const httpPlugin = "web"

// scenarioKind is what a scenario's server does for each request.
type scenarioKind string

const (
	// kindPrebuilt writes the bytes of a hit, fields and body, from values
	// built beforehand: the fastest a cached response can be served, and the
	// baseline of every HTTP figure.
	kindPrebuilt scenarioKind = "prebuilt"
	// kindHit serves a hit through the cache middleware.
	kindHit scenarioKind = "hit"
	// kindBareGet is a handler doing one GET with the network store's own
	// client and writing the value with the hit's fields: what a cache hit
	// on that store costs at the least, the baseline of the store's hit.
	kindBareGet scenarioKind = "bare GET"
	// kindMiss asks for a new URL each time through the cache middleware, in
	// front of an origin that takes missDelay.
	kindMiss scenarioKind = "miss"
)

// scenario is one handler that the HTTP runs load.
type scenario struct {
	name    string
	store   string // "" for the prebuilt baseline
	kind    scenarioKind
	handler http.Handler
	path    string
	// unique gives each request a URL of its own, so that each is a miss.
	unique bool
	// want is what the Cache-Status of every response contains; "" for any.
	want string
}

// origin renders a response of size bytes after delay, cacheable for
// maxAge, as the handler behind the cache.
func origin(size int, delay, maxAge time.Duration) http.Handler {
	body := bytes.Repeat([]byte("x"), size)
	cc := "public, max-age=" + strconv.Itoa(int(maxAge/time.Second))
	length := strconv.Itoa(size)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if delay > 0 {
			time.Sleep(delay)
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", cc)
		h.Set("Etag", `"page-v1"`)
		h.Set("Content-Length", length)
		w.Write(body)
	})
}

// hitFields is a hit's header, as a list that handlers copy field by field
// in a fixed order.
type hitFields [][2]string

func fieldsOf(h http.Header) hitFields {
	var f hitFields
	for _, k := range slices.Sorted(maps.Keys(h)) {
		f = append(f, [2]string{k, h.Get(k)})
	}
	return f
}

func (f hitFields) write(w http.ResponseWriter) {
	h := w.Header()
	for _, kv := range f {
		h.Set(kv[0], kv[1])
	}
}

// prebuilt writes the bytes a hit writes, fields and body, from values built
// beforehand, the way a net/http handler serving a pre-rendered page does,
// with Header().Set: middleware/bench_test.go's BenchmarkHTTPPrebuilt.
func prebuilt(fields hitFields, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fields.write(w)
		w.Write(body)
	})
}

// bareGet reads key with a store's own client, once per request, and writes
// it with a hit's fields.
func bareGet(raw rawClient, key string, fields hitFields) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := raw.get(r.Context(), key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fields.write(w)
		w.Write(v)
	})
}

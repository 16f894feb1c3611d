package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/middleware"
)

func ExampleNew() {
	store, _ := ristretto.New(ristretto.Options{})
	defer store.Close()
	c, err := middleware.New(store, middleware.Options{})
	if err != nil {
		panic(err)
	}
	docs := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "<h1>Docs</h1>")
	})
	h := c.Handler(docs) // or mux.Handle("/docs/", c.Handler(docs)); or chi's r.Use(c.Handler)

	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/docs/", nil))
		fmt.Println(w.Code, w.Body.String(), w.Header().Get("Cache-Status"))
	}
	// Output:
	// 200 <h1>Docs</h1> plugcache; fwd=uri-miss; stored
	// 200 <h1>Docs</h1> plugcache; hit; ttl=60
}

func ExampleCache_Purge() {
	store, _ := ristretto.New(ristretto.Options{})
	defer store.Close()
	c, _ := middleware.New(store, middleware.Options{})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "page")
	}))
	get := func() string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/a", nil))
		return w.Header().Get("Cache-Status")
	}
	get()
	r := httptest.NewRequest("GET", "http://example.com/a", nil)
	_ = c.Purge(r.Context(), r.URL)
	fmt.Println(get())
	// Output: plugcache; fwd=uri-miss; stored
}

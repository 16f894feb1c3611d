// Package middleware caches whole HTTP responses in a byte store, as an RFC
// 9111 shared cache, and says what it did in a Cache-Status header (RFC 9211).
//
//	c, err := middleware.New(store, middleware.Options{DefaultTTL: time.Minute})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/docs/", c.Handler(docsHandler))
//
// Handler is plain func(http.Handler) http.Handler, so the cache works as
// net/http and chi middleware, and in echo through echo.WrapMiddleware.
//
// Each behaviour lives in one file: serve.go decides what a request gets and
// decides nothing else; the rules of storing, freshness and conditionals are
// in internal/rfc9111; keys in package keying; the stored format in
// internal/entry; writer.go is the one ResponseWriter wrapper; coalesce.go
// joins concurrent misses; revalidate.go asks the origin about stale entries;
// save.go stores; status.go writes Cache-Status; invalidate.go drops entries;
// breaker.go keeps a failing store from being asked on every request.
//
// The cache fails open: a store that errs, times out or returns bytes that do
// not decode makes a miss, served from the handler; the cache never causes a
// 5xx but the 504 a request's only-if-cached asks for when nothing is stored.
// Concurrent misses on one key still share one call of the handler while the
// store is in trouble, and bytes that do not decode are replaced.
package middleware

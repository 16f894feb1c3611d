// Package demo is the service that the plugcache examples run, on net/http,
// echo and chi: a techdocs site whose renderer is slow and a catalog API,
// with the flags, config loading and start-up around them. Everything in it
// is plain net/http, so that each example holds only its framework's routes.
//
// The service has two plugins, each behind plugcache's HTTP middleware:
//
//   - techdocs, at /docs/: the first request for a page is a miss that waits
//     for the render and is stored, the next is a hit answered at once with
//     its Age, and a client that already holds the page's ETag gets 304 Not
//     Modified;
//   - catalog, at /api/catalog/: a PUT on an entity makes the cache drop the
//     entity's stored response (RFC 9111 §4.4), and the service purges the
//     entity list itself with Cache.Purge.
//
// A Program reads its config as Backstage does, the embedded app-config.yaml
// first and then each -config file, merged key by key.
package demo

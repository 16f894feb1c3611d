// Package ristretto is the embedded memory store, plugcache's default backend.
//
//	s, err := ristretto.New(ristretto.Options{MaxCost: 64 << 20})
//	if err != nil { ... }
//	defer s.Close()
//	err = s.Set(ctx, "k", []byte("v"), time.Minute)
//	v, err := s.Get(ctx, "k") // errors.Is(err, backends.ErrNotFound) on a miss
//
// The store sits directly on github.com/dgraph-io/ristretto/v2, rather than on
// gocache's ristretto store: Get is the hit path of an HTTP cache, and
// gocache's store passes values as any, which costs allocations there. Beside
// each value it keeps a memo (GetMemo, GetPrefixed), where the HTTP cache keeps the decoded
// response, so that a hit does not decode the same bytes again. SetFill lets a
// caller build a value in the store's own copy of it, as a plugin client seals
// each value, so that the value is copied once.
//
// Ristretto admits entries with a TinyLFU policy. When the cache is full, a new
// entry goes in only if it looks more useful than the entries it would evict, so
// Set may return nil for a value that the cache then refuses, and a Get right
// after a Set can miss under memory pressure. Stats counts such refusals.
//
// The store keeps two 64-bit hashes of each key, not the key itself (key.go).
// Two keys whose first hashes collide share one slot: a Set or Delete of one
// drops the other's entry, a miss for it, but a Get never returns the other
// key's value unless the second hashes collide too, which is negligible.
package ristretto

// Package gocache connects plugcache's stores and github.com/eko/gocache/lib/v4
// both ways: any gocache store can be a plugcache backend, and any plugcache
// backend can be a gocache store, under gocache's caches, chains and loadables.
//
//	b := gocache.NewBackend(redisstore.NewRedis(client)) // a gocache store as a plugcache backend
//	s, err := ristretto.New(ristretto.Options{})
//	c := cache.New[[]byte](gocache.NewStore(s)) // a plugcache backend under a gocache cache
//	err = c.Set(ctx, "k", []byte("v"), store.WithExpiration(time.Minute))
//	v, err := c.Get(ctx, "k") // errors.Is(err, store.NotFound{}) on a miss
//
// Both directions deal in string keys and []byte values, as plugcache does.
package gocache

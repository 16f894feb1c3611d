package gocache_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	dgraph "github.com/dgraph-io/ristretto/v2"
	"github.com/eko/gocache/lib/v4/cache"
	"github.com/eko/gocache/lib/v4/store"
	ristrettostore "github.com/eko/gocache/store/ristretto/v4"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/gocache"
	"github.com/plugcache/plugcache/backends/ristretto"
)

// A gocache store, here gocache's ristretto store, serves as a plugcache backend.
func ExampleNewBackend() {
	c, err := dgraph.NewCache(&dgraph.Config[string, []byte]{
		NumCounters: 10_000, MaxCost: 1 << 20, BufferItems: 64, IgnoreInternalCost: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	b := gocache.NewBackend(ristrettostore.NewRistretto(c))
	ctx := context.Background()

	if err := b.Set(ctx, "greeting", []byte("hello"), time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	v, err := b.Get(ctx, "greeting")
	fmt.Printf("%s %v\n", v, err)

	_, err = b.Get(ctx, "farewell")
	fmt.Println(errors.Is(err, backends.ErrNotFound))
	// Output:
	// hello <nil>
	// true
}

// A plugcache backend, here the ristretto store, serves under gocache's cache.
func ExampleNewStore() {
	s, err := ristretto.New(ristretto.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	c := cache.New[[]byte](gocache.NewStore(s))
	ctx := context.Background()

	if err := c.Set(ctx, "greeting", []byte("hello"), store.WithExpiration(time.Minute)); err != nil {
		fmt.Println(err)
		return
	}
	v, err := c.Get(ctx, "greeting")
	fmt.Printf("%s %v\n", v, err)

	_, err = c.Get(ctx, "farewell")
	fmt.Println(errors.Is(err, store.NotFound{}), errors.Is(err, backends.ErrNotFound))
	// Output:
	// hello <nil>
	// true true
}

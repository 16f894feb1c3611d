package plugcache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/eko/gocache/lib/v4/cache"
	gocachestore "github.com/eko/gocache/lib/v4/store"
	ristrettostore "github.com/eko/gocache/store/ristretto/v4"

	"github.com/plugcache/plugcache/backends/gocache"
)

// TestPluginClientIsAGocacheStore puts gocache's own cache on top of a
// plugin's namespace.
func TestPluginClientIsAGocacheStore(t *testing.T) {
	mgr, err := NewManager(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	ctx := context.Background()
	catalog := mgr.ForPlugin("catalog")
	c := cache.New[[]byte](gocache.NewStore(catalog.Store()))

	if err := c.Set(ctx, "entity:a", []byte("A"), gocachestore.WithExpiration(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "entity:a")
	if err != nil || string(got) != "A" {
		t.Fatalf("gocache Get = %q, %v; want A", got, err)
	}
	mustGet(t, catalog, "entity:a", []byte("A")) // the same entry, seen by the plugin client
	if _, err := c.Get(ctx, "missing"); !errors.Is(err, gocachestore.NotFound{}) {
		t.Errorf("gocache Get of a missing key: got %v, want gocache's NotFound", err)
	}
	if err := c.Clear(ctx); err != nil {
		t.Fatalf("gocache Clear: %v", err)
	}
	mustMiss(t, catalog, "entity:a")
}

// TestGocacheStoreInPlaceOfBuiltIn hands plugcache a third-party gocache
// store; plugins get their namespaces, TTLs and Clear on top of it.
func TestGocacheStoreInPlaceOfBuiltIn(t *testing.T) {
	rc, err := ristretto.NewCache(&ristretto.Config[string, []byte]{NumCounters: 1e4, MaxCost: 1 << 20, BufferItems: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mgr, err := Open(&Config{StoreConfig: StoreConfig{DefaultTTL: time.Minute}}, Options{
		Store: gocache.NewBackend(ristrettostore.NewRistretto[string, []byte](rc)),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	a, b := mgr.ForPlugin("a"), mgr.ForPlugin("b")
	mustSet(t, a, "k", []byte("from a"))
	mustSet(t, b, "k", []byte("from b"))
	mustGet(t, a, "k", []byte("from a"))
	if err := a.Clear(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustMiss(t, a, "k")
	mustGet(t, b, "k", []byte("from b"))
}

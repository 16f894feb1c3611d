package plugcache_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/plugcache/plugcache"
)

func ExampleNewManager() {
	mgr, err := plugcache.NewManager(&plugcache.Config{}) // the zero Config caches in memory
	if err != nil {
		panic(err)
	}
	defer mgr.Close()

	ctx := context.Background()
	docs := mgr.ForPlugin("techdocs")
	_ = docs.Set(ctx, "page:/index.html", []byte("<h1>Docs</h1>"), plugcache.WithTTL(time.Hour))
	v, ok, err := docs.Get(ctx, "page:/index.html")
	fmt.Printf("%s %v %v\n", v, ok, err)

	// Another plugin's namespace does not see techdocs' keys.
	_, ok, _ = mgr.ForPlugin("catalog").Get(ctx, "page:/index.html")
	fmt.Println(ok)
	// Output:
	// <h1>Docs</h1> true <nil>
	// false
}

func ExampleLoadConfig() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	base := filepath.Join(dir, "app-config.yaml")
	prod := filepath.Join(dir, "app-config.production.yaml")
	os.WriteFile(base, []byte("backend:\n  cache:\n    store: memory\n    defaultTtl: { minutes: 5 }\n"), 0o600)
	os.WriteFile(prod, []byte("backend:\n  cache:\n    plugin:\n      techdocs: { defaultTtl: 1h }\n"), 0o600)

	cfg, err := plugcache.LoadConfig(base, prod)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Store, cfg.DefaultTTL, cfg.Plugin["techdocs"].DefaultTTL)
	// Output: memory 5m0s 1h0m0s
}

func ExampleClient_WithDefaultTTL() {
	mgr, _ := plugcache.NewManager(nil)
	defer mgr.Close()
	short := mgr.ForPlugin("search").WithDefaultTTL(5 * time.Second)
	fmt.Println(short.Plugin(), short.DefaultTTL())
	// Output: search 5s
}

func ExampleClient_Clear() {
	mgr, _ := plugcache.NewManager(nil)
	defer mgr.Close()
	ctx := context.Background()
	docs, catalog := mgr.ForPlugin("techdocs"), mgr.ForPlugin("catalog")
	_ = docs.Set(ctx, "k", []byte("docs"))
	_ = catalog.Set(ctx, "k", []byte("catalog"))

	_ = docs.Clear(ctx) // empties techdocs only
	_, inDocs, _ := docs.Get(ctx, "k")
	_, inCatalog, _ := catalog.Get(ctx, "k")
	fmt.Println(inDocs, inCatalog)
	// Output: false true
}

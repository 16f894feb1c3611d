package plugcache

import (
	"context"
	"testing"

	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/internal/memo"
)

// TestMemoryStoreHitsReachTheMemo checks the hit path of a plugin on the
// memory store end to end: the client's Store hands out the memo the store
// keeps beside the value under the plugin's whole key, found without that key
// being built (GetPrefixed). Were the store not recognised, hits would still
// be right, only slower, so nothing else would notice.
func TestMemoryStoreHitsReachTheMemo(t *testing.T) {
	mgr, err := NewManager(&Config{StoreConfig: StoreConfig{Store: StoreMemory}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mgr.Close() })
	ctx := context.Background()
	c := mgr.ForPlugin("docs")
	mustSet(t, c, "k", []byte("v"))

	if c.ns.memory == nil {
		t.Fatal("the memory store's client does not look keys up in two parts")
	}
	v, m, err := c.Store().(memo.Getter).GetMemo(ctx, "k")
	if err != nil || string(v) != "v" || m == nil {
		t.Fatalf("plugin Store GetMemo: got %q, memo %v, error %v, want \"v\", a memo, nil", v, m, err)
	}
	whole, err := c.ns.storeKey(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	_, direct, err := c.ns.store.(*ristretto.Store).GetMemo(ctx, whole)
	if err != nil || direct != m {
		t.Errorf("the store's memo under the whole key %q: got %p, %v, want the plugin's %p", whole, direct, err, m)
	}
}

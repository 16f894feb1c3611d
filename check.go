package plugcache

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// CheckResult is the outcome of one plugin's round trip to its store.
type CheckResult struct {
	Plugin string
	// Store is memory, memcache, redis, or "custom" for a store from Options.
	Store string
	// Connection describes where the store is, with passwords masked.
	Connection string
	// Latency is the time the set, get and delete took together.
	Latency time.Duration
	// Err is nil when the round trip worked.
	Err error
}

// Check makes a set, get and delete round trip through the client of every
// plugin in Plugins, as an operator would by hand with the store's logs, and
// reports each. It leaves nothing behind but a deleted key.
func (m *Manager) Check(ctx context.Context) []CheckResult {
	var out []CheckResult
	for _, id := range m.Plugins() {
		r := CheckResult{Plugin: id}
		r.Store, r.Connection = m.storeOf(id)
		start := time.Now()
		r.Err = roundTrip(ctx, m.ForPlugin(id))
		r.Latency = time.Since(start)
		out = append(out, r)
	}
	return out
}

func roundTrip(ctx context.Context, c *Client) error {
	key := "plugcache-check:" + newToken()
	want := []byte(key)
	if err := c.Set(ctx, key, want, WithTTL(time.Minute)); err != nil {
		return err
	}
	got, ok, err := c.Get(ctx, key)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("plugcache: %s: check: the value just set was not found", c.Plugin())
	case !bytes.Equal(got, want):
		return fmt.Errorf("plugcache: %s: check: the value read back differs from the one set", c.Plugin())
	}
	return c.Delete(ctx, key)
}

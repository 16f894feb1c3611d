package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/plugcache/plugcache/backends"
)

// testConcurrent is meant to run under the race detector: 8 goroutines set, get
// and delete 4 shared keys, and every value a Get finds must be one that some
// goroutine wrote to that key.
func (su *suite) testConcurrent(t *testing.T) {
	const goroutines, ops = 8, 200
	keys := make([]string, 4)
	for k := range keys {
		keys[k] = su.key(fmt.Sprintf("concurrent/%d", k))
	}
	// Operation i of goroutine g acts on keys[i%len(keys)] and is a Set, a Get or
	// a Delete as (g+i)%3 is 0, 1 or 2: every goroutine does each on every key.
	value := func(g, i int) []byte { return fmt.Appendf(nil, "goroutine %d, op %d", g, i) }
	written := make([]map[string]bool, len(keys))
	for k := range written {
		written[k] = make(map[string]bool)
	}
	for g := range goroutines {
		for i := range ops {
			if (g+i)%3 == 0 {
				written[i%len(keys)][string(value(g, i))] = true
			}
		}
	}

	ctx := t.Context()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range ops {
				key := keys[i%len(keys)]
				var err error
				switch (g + i) % 3 {
				case 0:
					err = su.s.Set(ctx, key, value(g, i), 0)
				case 1:
					var got []byte
					got, err = su.s.Get(ctx, key)
					if err == nil && !written[i%len(keys)][string(got)] {
						t.Errorf("Get(%s): got %s, which no goroutine wrote to that key", su.show(key), brief(got))
						return
					}
					if errors.Is(err, backends.ErrNotFound) {
						err = nil
					}
				case 2:
					err = su.s.Delete(ctx, key)
				}
				if err != nil {
					t.Errorf("goroutine %d, op %d on %s: got error %v, want nil", g, i, su.show(key), err)
					return
				}
			}
		})
	}
	wg.Wait()
}

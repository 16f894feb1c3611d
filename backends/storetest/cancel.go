package storetest

import (
	"context"
	"testing"
)

// testCancelled accepts an error or a success: a store that does I/O should
// return the context's error before doing any, but an in-process store may just
// do the work. What it must not do is hang or panic.
func (su *suite) testCancelled(t *testing.T) {
	key := su.key("cancelled")
	su.mustSet(t, key, []byte("value"), 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, o := range su.ops(key) {
		t.Run(o.name, func(t *testing.T) {
			call(t, o.name, su.h.CallTimeout, func() error { return o.do(ctx) })
		})
	}
}

package storetest

import (
	"errors"
	"testing"

	"github.com/plugcache/plugcache/backends"
)

// testClose closes the store, last of all: calls after Close must fail with
// ErrUnavailable rather than panic or reach a server, and Close is idempotent,
// so that an owner and a deferred cleanup may both call it.
func (su *suite) testClose(t *testing.T) {
	if err := su.s.Close(); err != nil {
		t.Errorf("Close: got error %v, want nil", err)
	}
	if err := su.s.Close(); err != nil {
		t.Errorf("Close again: got error %v, want nil", err)
	}
	for _, o := range su.ops(su.key("closed")) {
		t.Run(o.name, func(t *testing.T) {
			err := call(t, o.name, su.h.CallTimeout, func() error { return o.do(t.Context()) })
			if !errors.Is(err, backends.ErrUnavailable) && !errors.Is(err, errNoAnswer) {
				t.Errorf("%s after Close: got %v, want an error wrapping ErrUnavailable", o.name, err)
			}
		})
	}
}

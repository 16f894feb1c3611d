package storetest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// op is one store call, named for failure messages.
type op struct {
	name string
	do   func(ctx context.Context) error
}

// ops returns a Get, a Set and a Delete of key.
func (su *suite) ops(key string) []op {
	return []op{
		{"Get", func(ctx context.Context) error {
			_, err := su.s.Get(ctx, key)
			return err
		}},
		{"Set", func(ctx context.Context) error {
			return su.s.Set(ctx, key, []byte("value"), 0)
		}},
		{"Delete", func(ctx context.Context) error {
			return su.s.Delete(ctx, key)
		}},
	}
}

// errNoAnswer is what call returns for a call that panicked or hung, once it
// has reported that as a test failure.
var errNoAnswer = errors.New("storetest: the call did not answer")

// call runs f in a goroutine of its own and returns its error. It reports a
// panic, or a call that has not returned within limit, as a test failure, and
// then returns errNoAnswer.
func call(t *testing.T, name string, limit time.Duration, f func() error) error {
	t.Helper()
	type result struct {
		err      error
		panicked any
	}
	done := make(chan result, 1) // buffered, so that a call that hangs and then returns does not leak
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panicked: p}
			}
		}()
		done <- result{err: f()}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.panicked != nil {
			t.Errorf("%s: panicked: %v", name, r.panicked)
			return errNoAnswer
		}
		return r.err
	case <-timer.C:
		t.Errorf("%s: got no answer within %v, want one", name, limit)
		return errNoAnswer
	}
}

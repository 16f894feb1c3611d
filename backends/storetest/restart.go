package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
)

// Bounds of testRestart.
const (
	// hangSlack is how long past CallTimeout a call may take before the suite
	// calls the store hung.
	hangSlack = time.Second
	// recoverWithin is how long the store may take to work again after Restart:
	// its client may need to notice the dead connections and redial.
	recoverWithin = 5 * time.Second
	// recoverPoll is how often the suite tries the store during recoverWithin.
	recoverPoll = 50 * time.Millisecond
)

func (su *suite) testRestart(t *testing.T) {
	key := su.key("restart")
	su.mustSet(t, key, []byte("before the kill"), 0) // so that the client holds a connection

	su.h.Kill(t)
	restarted := false
	defer func() {
		if !restarted { // leave the server up for other Runs sharing it
			su.h.Restart(t)
		}
	}()
	t.Run("calls fail with ErrUnavailable while the server is down", func(t *testing.T) {
		for _, o := range su.ops(key) {
			t.Run(o.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), su.h.CallTimeout)
				defer cancel()
				err := call(t, o.name, su.h.CallTimeout+hangSlack, func() error { return o.do(ctx) })
				if err != errNoAnswer && !errors.Is(err, backends.ErrUnavailable) {
					t.Errorf("%s with the server down: got error %v, want ErrUnavailable", o.name, err)
				}
			})
		}
	})

	su.h.Restart(t)
	restarted = true
	t.Run("the same store works again after Restart", func(t *testing.T) {
		value := []byte("after the restart")
		deadline := time.Now().Add(recoverWithin)
		for {
			err := su.roundTrip(t, key, value)
			if err == nil {
				return
			}
			if err == errNoAnswer || time.Now().After(deadline) {
				t.Fatalf("after Restart: got error %v for %v, want the store to work again", err, recoverWithin)
			}
			time.Sleep(recoverPoll)
		}
	})
}

// roundTrip sets key to value and reads it back, each call bounded by
// CallTimeout, and returns the first error.
func (su *suite) roundTrip(t *testing.T, key string, value []byte) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), su.h.CallTimeout)
	defer cancel()
	limit := su.h.CallTimeout + hangSlack
	if err := call(t, "Set", limit, func() error { return su.s.Set(ctx, key, value, 0) }); err != nil {
		return err
	}
	return call(t, "Get", limit, func() error {
		got, err := su.s.Get(ctx, key)
		if err == nil && !bytes.Equal(got, value) {
			err = fmt.Errorf("storetest: got %s from Get(%s), want %s", brief(got), su.show(key), brief(value))
		}
		return err
	})
}

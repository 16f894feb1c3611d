// Package storetest checks that a backends.Store behaves as plugcache expects.
//
// Every backend's tests run the same suite, in the spirit of testing/fstest.TestFS,
// here with a newStore that connects a store to the test's server:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, storetest.Harness{
//			New: func(t *testing.T) backends.Store { return newStore(t) },
//		})
//	}
package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
)

// Harness describes the store under test. Run reads it and never modifies it.
type Harness struct {
	// New returns a store connected to the server under test. Run calls it once and
	// closes the store when its subtests are done, so New must not close it. The
	// store must recover by itself after Restart: Run does not call New again.
	New func(t *testing.T) backends.Store

	// Kill and Restart, when both are set, crash the server behind the store and
	// start it again on the same address. The suite then checks that calls fail
	// with ErrUnavailable within the deadline (no panic, no hang), and that the
	// same Store works again after Restart. Nil for both skips that check; setting
	// only one of them is an error.
	Kill, Restart func(t *testing.T)

	// TTLResolution is how finely the store keeps TTLs: memcached keeps whole
	// seconds. Default: 50ms. Zero means the default.
	TTLResolution time.Duration

	// CallTimeout bounds how long a call may take while the server is down. Run
	// passes such calls a context with this deadline and calls the store hung when
	// one has not returned a second after it. Default: 2s. Zero means the default.
	CallTimeout time.Duration
}

// Defaults of the Harness fields whose zero value means "the default".
const (
	defaultTTLResolution = 50 * time.Millisecond
	defaultCallTimeout   = 2 * time.Second
)

// Run runs the acceptance suite against the store that h.New returns, as
// subtests named after the behaviour each checks.
//
// Run writes keys under a random prefix, so several Runs, in one process or in
// several, may share one server; it never calls Clear. It takes about
// 4×TTLResolution, plus the kill and restart when h sets them.
func Run(t *testing.T, h Harness) {
	t.Helper()
	switch {
	case h.New == nil:
		t.Fatal("storetest: Harness.New is nil")
	case (h.Kill == nil) != (h.Restart == nil):
		t.Fatal("storetest: Harness.Kill and Harness.Restart must be set together")
	case h.TTLResolution < 0:
		t.Fatalf("storetest: Harness.TTLResolution: got %v, want >= 0", h.TTLResolution)
	case h.CallTimeout < 0:
		t.Fatalf("storetest: Harness.CallTimeout: got %v, want >= 0", h.CallTimeout)
	}
	if h.TTLResolution == 0 {
		h.TTLResolution = defaultTTLResolution
	}
	if h.CallTimeout == 0 {
		h.CallTimeout = defaultCallTimeout
	}

	s := h.New(t)
	if s == nil {
		t.Fatal("storetest: Harness.New returned a nil Store")
	}
	t.Cleanup(func() { s.Close() }) // after a subtest that failed before testClose

	su := &suite{
		h:      h,
		s:      s,
		prefix: fmt.Sprintf("storetest/%016x/", rand.Uint64()),
	}
	tests := []struct {
		name string
		test func(*testing.T)
	}{
		{"set then get returns the same bytes", su.testSetGet},
		{"get of a missing key is ErrNotFound", su.testMiss},
		{"delete then get is a miss", su.testDelete},
		{"delete of a missing key is not an error", su.testDeleteMissing},
		{"set overwrites the previous value", su.testOverwrite},
		{"a value stays as Get returned it, and Set keeps its own copy", su.testValueKept},
		{"values of any bytes round-trip", su.testValues},
		{"keys of any bytes and length round-trip and stay distinct", su.testKeys},
		{"a value expires after its ttl, and ttl 0 never expires", su.testTTL},
		{"a value of MaxValueSize bytes round-trips", su.testMaxSize},
		{"a value of MaxValueSize+1 bytes is refused with ErrTooLarge", su.testTooLarge},
		{"add writes only when the key holds nothing", su.testAdd},
		{"concurrent set, get and delete see only written values", su.testConcurrent},
		{"calls with a cancelled context return without hanging", su.testCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.test)
	}
	if h.Kill != nil {
		// Late, so that a server that does not come back fails only this subtest.
		t.Run("server restart", su.testRestart)
	}
	t.Run("calls after Close fail with ErrUnavailable, and Close again returns nil", su.testClose)
}

// suite is one Run: the harness with its defaults applied, the store under test
// and the prefix of every key the run writes.
type suite struct {
	h      Harness
	s      backends.Store
	prefix string
}

// key returns the key under which the run stores name.
func (su *suite) key(name string) string { return su.prefix + name }

// show formats a key of this run for a failure message: without the run's
// prefix, and cut short when long.
func (su *suite) show(key string) string {
	return brief(strings.TrimPrefix(key, su.prefix))
}

// brief formats a key or a value for a failure message, quoted and cut to 40 bytes.
func brief[T ~string | ~[]byte](b T) string {
	const limit = 40
	if len(b) <= limit {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q... (%d bytes)", b[:limit], len(b))
}

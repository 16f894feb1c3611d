package storetest

import (
	"errors"
	"math"
	"testing"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/lazybytes"
)

// maxRoundTrip is the largest MaxValueSize that testMaxSize writes and reads back.
const maxRoundTrip = 4 << 20

func (su *suite) testMaxSize(t *testing.T) {
	key := su.key("size/max")
	n := su.maxValueSize(t, key)
	switch {
	case n < 0:
		t.Skipf("MaxValueSize(%s) is %d: no value fits", su.show(key), n)
	case n > maxRoundTrip:
		t.Skipf("MaxValueSize(%s) is %d, past the %d bytes this suite writes", su.show(key), n, maxRoundTrip)
	}
	value := pattern(n)
	su.mustSet(t, key, value, 0)
	su.wantValue(t, key, value)
}

func (su *suite) testTooLarge(t *testing.T) {
	key := su.key("size/too-large")
	n := su.maxValueSize(t, key)
	if n == math.MaxInt {
		t.Skipf("MaxValueSize(%s) is math.MaxInt: no value is too large", su.show(key))
	}
	// The store must refuse the value before touching it, so however large n is,
	// the value costs nothing: its pages are never read, written or sent.
	value, release := lazybytes.New(max(n, -1) + 1)
	defer release()
	err := su.s.Set(t.Context(), key, value, 0)
	if !errors.Is(err, backends.ErrTooLarge) {
		t.Errorf("Set(%s) of %d bytes, one past MaxValueSize: got error %v, want ErrTooLarge", su.show(key), len(value), err)
	}
	su.wantMiss(t, key)
}

// maxValueSize returns the store's MaxValueSize for key, and skips the test
// when the store is no backends.Limiter.
func (su *suite) maxValueSize(t *testing.T, key string) int {
	t.Helper()
	l, ok := su.s.(backends.Limiter)
	if !ok {
		t.Skip("the store does not implement backends.Limiter")
	}
	return l.MaxValueSize(key)
}

// pattern returns n bytes that are not all alike, so that a value cut short or
// shifted does not compare equal.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
)

func (su *suite) testSetGet(t *testing.T) {
	key := su.key("basic/set-get")
	su.mustSet(t, key, []byte("value"), 0)
	su.wantValue(t, key, []byte("value"))
}

func (su *suite) testMiss(t *testing.T) {
	su.wantMiss(t, su.key("basic/never-set"))
}

func (su *suite) testDelete(t *testing.T) {
	key := su.key("basic/delete")
	su.mustSet(t, key, []byte("value"), 0)
	su.mustDelete(t, key)
	su.wantMiss(t, key)
}

func (su *suite) testDeleteMissing(t *testing.T) {
	su.mustDelete(t, su.key("basic/delete-never-set"))
}

func (su *suite) testOverwrite(t *testing.T) {
	key := su.key("basic/overwrite")
	su.mustSet(t, key, []byte("first, and longer than the second"), 0)
	su.mustSet(t, key, []byte("second"), 0)
	su.wantValue(t, key, []byte("second"))
}

// testValueKept checks the promise that lets callers share a value's bytes
// (backends.Store): what Get returned stays as it was whatever the store does
// next, and what Set was given may be changed by its caller afterwards.
func (su *suite) testValueKept(t *testing.T) {
	key := su.key("basic/kept")
	first := []byte("first value")
	su.mustSet(t, key, first, 0)
	got, err := su.s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%s): got error %v, want nil", su.show(key), err)
	}
	copy(first, "FIRST VALUE") // the caller's own slice, changed after Set
	su.wantValue(t, key, []byte("first value"))
	su.mustSet(t, key, []byte("other value"), 0) // the same length, in case the store reuses room
	su.wantValue(t, key, []byte("other value"))
	su.mustDelete(t, key)
	if !bytes.Equal(got, []byte("first value")) {
		t.Errorf("a value Get returned, after a Set and a Delete of its key: got %s, want %q", brief(got), "first value")
	}
}

// mustSet stores value under key and stops the test if that fails.
func (su *suite) mustSet(t *testing.T, key string, value []byte, ttl time.Duration) {
	t.Helper()
	if err := su.s.Set(t.Context(), key, value, ttl); err != nil {
		t.Fatalf("Set(%s, %s, %v): got error %v, want nil", su.show(key), brief(value), ttl, err)
	}
}

// mustDelete deletes key and stops the test if that fails.
func (su *suite) mustDelete(t *testing.T, key string) {
	t.Helper()
	if err := su.s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete(%s): got error %v, want nil", su.show(key), err)
	}
}

// wantValue reports an error unless key holds want.
func (su *suite) wantValue(t *testing.T, key string, want []byte) {
	t.Helper()
	got, err := su.s.Get(t.Context(), key)
	switch {
	case err != nil:
		t.Errorf("Get(%s): got error %v, want %s", su.show(key), err, brief(want))
	case !bytes.Equal(got, want):
		t.Errorf("Get(%s): got %s, want %s", su.show(key), brief(got), brief(want))
	}
}

// wantMiss reports an error unless key holds nothing.
func (su *suite) wantMiss(t *testing.T, key string) {
	t.Helper()
	got, err := su.s.Get(t.Context(), key)
	if !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get(%s): got %s and error %v, want ErrNotFound", su.show(key), brief(got), err)
	}
}

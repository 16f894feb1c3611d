package gocache

import (
	"errors"
	"fmt"

	"github.com/eko/gocache/lib/v4/store"

	"github.com/plugcache/plugcache/backends"
)

// notFound matches gocache's miss errors: store.NotFound's Is method compares
// error messages, so any NotFound, whatever its cause, is one.
var notFound error = store.NotFound{}

// keyOf returns key, which gocache passes as any, as the string a Store takes.
func keyOf(key any) (string, error) {
	k, ok := key.(string)
	if !ok {
		return "", fmt.Errorf("gocache: key has type %T, want string", key)
	}
	return k, nil
}

// bytesOf returns a value that gocache passes as any as bytes. Stores keep
// []byte, except some, such as gocache's redis store, that return string.
func bytesOf(value any) ([]byte, error) {
	switch v := value.(type) {
	case []byte:
		return v, nil
	case string:
		return []byte(v), nil
	}
	return nil, fmt.Errorf("gocache: value has type %T, want []byte or string", value)
}

// fromGocache returns an error of a gocache store as plugcache's stores report
// it: a miss is backends.ErrNotFound, an operation the store lacks keeps
// store.ErrNotSupported, and anything else wraps backends.ErrUnavailable.
func fromGocache(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, notFound):
		return backends.ErrNotFound
	case errors.Is(err, store.ErrNotSupported):
		return fmt.Errorf("gocache: %w", err)
	}
	return fmt.Errorf("gocache: %w", backends.Unavailable(err))
}

// toGocache returns an error of a plugcache Store as gocache's caches expect
// it: a miss is a store.NotFound, which still wraps backends.ErrNotFound.
func toGocache(err error) error {
	if errors.Is(err, backends.ErrNotFound) {
		return store.NotFoundWithCause(err)
	}
	return err
}

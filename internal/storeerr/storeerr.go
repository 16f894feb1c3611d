// Package storeerr holds the sentinel errors that stores return and their
// callers test, so that package backends and package middleware can both
// export them without importing each other.
//
//	var ErrNotFound = storeerr.ErrNotFound // in each package that exports it
//	if errors.Is(err, storeerr.ErrNotFound) { /* a miss */ }
package storeerr

import "errors"

var (
	// ErrNotFound means the key holds no value: a cache miss.
	ErrNotFound = errors.New("not found")
	// ErrTooLarge means the value (or key and value) exceeds what the store can hold.
	ErrTooLarge = errors.New("value too large")
	// ErrUnavailable means the store could not be reached or did not answer in time.
	ErrUnavailable = errors.New("store unavailable")
	// ErrCorrupt means the store answered, but the bytes under the key are not
	// what was written there: damaged, or of another format or version. It is
	// a miss, not a store failure.
	ErrCorrupt = errors.New("corrupt or unknown format")
)

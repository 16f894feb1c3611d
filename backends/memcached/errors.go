package memcached

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bradfitz/gomemcache/memcache"
	gocachestore "github.com/eko/gocache/lib/v4/store"

	"github.com/plugcache/plugcache/backends"
)

// callError maps the error of the call named op, from gocache or gomemcache,
// to the sentinels of package backends:
//   - a cache miss, whether gomemcache's ErrCacheMiss or gocache's NotFound,
//     is backends.ErrNotFound;
//   - memcached's "object too large for cache", which a server with a smaller
//     item size limit than Options.MaxItemSize sends, wraps
//     backends.ErrTooLarge;
//   - anything else (a refused or timed-out connection, a server error) wraps
//     backends.ErrUnavailable.
func callError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isMiss(err):
		return backends.ErrNotFound
	case strings.Contains(err.Error(), "object too large for cache"):
		// gomemcache has no error value for it: it reports the server's
		// SERVER_ERROR line as text.
		return fmt.Errorf("memcached: %s: %w: %w", op, backends.ErrTooLarge, err)
	}
	return backends.Unavailable(fmt.Errorf("memcached: %s: %w", op, err))
}

// isMiss reports a cache miss from gomemcache or gocache. It is apart from
// callError so that the target of errors.As, which escapes, is allocated on a
// miss only, not on every call.
func isMiss(err error) bool {
	var notFound *gocachestore.NotFound
	return errors.Is(err, memcache.ErrCacheMiss) || errors.As(err, &notFound)
}

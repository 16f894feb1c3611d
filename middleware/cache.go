package middleware

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/memo"
	"github.com/plugcache/plugcache/internal/rfc9111"
	"github.com/plugcache/plugcache/keying"
)

// Cache is an HTTP response cache over a Store. It is safe for concurrent use;
// build one per store and wrap as many handlers with it as share that store.
type Cache struct {
	store      Store
	opts       Options
	keyer      *keying.Keyer
	policy     rfc9111.Policy
	answerGet  bool // answer GET from the cache
	answerHead bool // answer HEAD from GET entries

	flights    singleflight.Group // concurrent fetches of one key
	finished   atomic.Uint64      // fetches that finished with a response to share, so far
	recent     sync.Map           // key -> *finishedFetch, for a moment after it finished
	refreshing sync.Map           // keys with a background refresh running
	refreshes  chan struct{}      // slots for background refreshes
	breaker    breaker
	// parse decodes stored entries: without their checksum when the store
	// lives in this process (it reports Local() true), as its bytes never
	// crossed a network or a disk, or when the store checks its values' own
	// (it reports Checksummed() true).
	parse func([]byte) (entry.View, error)
	// memos is the store when it keeps a memo beside each value: the
	// decoded, prepared entry of a hit is kept there for the next one.
	memos memo.Getter
}

// New returns a Cache over store. It checks opts and returns an error naming
// the field that is wrong; it never modifies opts.
func New(store Store, opts Options) (*Cache, error) {
	if store == nil {
		return nil, errors.New("middleware: New needs a Store")
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	o.CacheableStatus = slices.Clone(o.CacheableStatus)
	c := &Cache{
		store: store,
		opts:  o,
		keyer: keying.New(o.Key),
		policy: rfc9111.Policy{
			DefaultTTL:           o.DefaultTTL,
			Override:             o.Policy == Override,
			CacheableStatus:      o.CacheableStatus,
			StripSetCookie:       o.StripSetCookie,
			StaleWhileRevalidate: o.StaleWhileRevalidate,
			StaleIfError:         o.StaleIfError,
		},
		answerGet:  slices.Contains(o.Methods, http.MethodGet),
		answerHead: slices.Contains(o.Methods, http.MethodHead),
		refreshes:  make(chan struct{}, o.MaxRefreshes),
		breaker:    breaker{now: o.now, log: o.Logger},
		parse:      entry.Parse,
	}
	if s, ok := store.(interface{ Checksummed() bool }); ok && s.Checksummed() {
		c.parse = entry.ParseVerified
	}
	if l, ok := store.(interface{ Local() bool }); ok && l.Local() {
		c.parse = entry.ParseVerified
		c.memos, _ = store.(memo.Getter)
	}
	return c, nil
}

// Handler wraps next with the cache. Use the method value c.Handler as
// func(http.Handler) http.Handler middleware. It never modifies the inbound
// request: requests it sends next for revalidation are clones.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.serve(w, r, next)
	})
}

// Purge drops every stored variant of GET u (and so of HEAD u). It does not
// reach entries that Options.Key.Func keyed otherwise.
func (c *Cache) Purge(ctx context.Context, u *url.URL) error {
	return c.store.Delete(ctx, c.keyer.URLKey(u))
}

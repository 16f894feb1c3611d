package middleware

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/rfc9111"
	"github.com/plugcache/plugcache/keying"
)

// Bounds on how long a stale response with validators is kept for
// revalidation beyond its freshness: as long again as it was fresh, within
// these limits.
const (
	minKeepForRevalidation = time.Minute
	maxKeepForRevalidation = 24 * time.Hour
)

// newEntry builds the stored form of a response: the fields a shared cache
// may keep, and the freshness facts computed now, from the header as
// received. ageHeader is the header whose Age and Date date the response: the
// response's own, or a 304's when freshening.
func (c *Cache) newEntry(status int, header, ageHeader http.Header, body []byte, requestTime, responseTime time.Time) *entry.Entry {
	facts := rfc9111.NewStored(status, header, responseTime, c.policy)
	h := rfc9111.StripForStorage(header, rfc9111.ParseDirectives(header), c.policy)
	delete(h, "Cache-Status") // says what happened to another request
	if _, ok := h["Date"]; !ok {
		// RFC 9110 §6.6.1: keep the time the response was made.
		h.Set("Date", responseTime.UTC().Format(http.TimeFormat))
	}
	if _, ok := h["Content-Length"]; !ok && bodyAllowed(status) {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return &entry.Entry{
		Kind:                 entry.Response,
		Status:               status,
		Header:               h,
		Body:                 body,
		RequestTime:          requestTime,
		ResponseTime:         responseTime,
		InitialAge:           rfc9111.InitialAge(ageHeader, requestTime, responseTime),
		Lifetime:             facts.Lifetime,
		StaleWhileRevalidate: facts.StaleWhileRevalidate,
		StaleIfError:         facts.StaleIfError,
		NoCache:              facts.NoCache,
		MustRevalidate:       facts.MustRevalidate,
	}
}

// save stores e for the variant r selects, unless skipStore, and returns it
// in stored form for the requests waiting on this one to share. A response
// that varies (or a cache whose key takes request headers or cookies) is
// stored under its variant key, with a Vary index under the primary key that
// names the fields to select by. A response not worth keeping is neither
// stored nor shared. Any other is shared whether or not the store took it: a
// store in trouble must not send every waiting request to the origin.
// Whether a waiter may reuse it is serveCollapsed's to decide.
func (c *Cache) save(r *http.Request, primary string, e *entry.Entry, skipStore bool) *fetched {
	ttl := keepFor(e)
	if ttl <= 0 {
		return &fetched{}
	}
	ctx := context.WithoutCancel(r.Context()) // the client may leave; the store call stays bounded by the store's timeout
	b := entry.Append(nil, e)
	names, _ := keying.ParseVary(e.Header)
	if variant := c.keyer.VariantKey(primary, names, r.Header); skipStore || variant == primary {
		res := &fetched{shared: b, base: primary, variant: variant, vary: names}
		res.saved = !skipStore && c.set(ctx, r, primary, b, ttl)
		return res
	}
	base, index := c.variantBase(ctx, primary, names, e)
	key := c.keyer.VariantKey(base, names, r.Header)
	res := &fetched{shared: b, base: base, variant: key, vary: names}
	res.saved = c.set(ctx, r, key, b, ttl) && (index == nil || c.set(ctx, r, primary, index, max(ttl, time.Hour)))
	return res
}

// variantBase returns the start of the variant keys of primary: the primary
// key and the epoch of its Vary index. It reuses the stored index when it
// lists the same fields, and otherwise returns a new index, with a new epoch,
// to store.
func (c *Cache) variantBase(ctx context.Context, primary string, names []string, e *entry.Entry) (base string, index []byte) {
	if f, err := c.getEntry(ctx, primary, ""); err == nil && f.ok && f.view.Kind == entry.VaryIndex && slices.Equal(f.view.VaryNames(), names) {
		return variantBase(primary, &f.view), nil
	}
	epoch := strconv.FormatUint(rand.Uint64(), 36)
	ix := &entry.Entry{Kind: entry.VaryIndex, Vary: names, Body: []byte(epoch), RequestTime: e.RequestTime, ResponseTime: e.ResponseTime}
	return primary + " @" + epoch, entry.Append(nil, ix)
}

// variantBase is the start of the variant keys that a Vary index leads to.
// The " @" cannot occur in a primary key or a variant item, so a base never
// meets another key.
func variantBase(primary string, index *entry.View) string {
	return primary + " @" + string(index.Body)
}

func (c *Cache) set(ctx context.Context, r *http.Request, key string, b []byte, ttl time.Duration) bool {
	err := c.store.Set(ctx, key, b, ttl)
	switch {
	case err == nil:
		c.breaker.success()
		return true
	case errors.Is(err, ErrTooLarge):
		c.breaker.success() // the store answered; the value was too big for it
	default:
		c.breaker.failure(err)
		c.storeFailed(r, err)
	}
	return false
}

// keepFor is how long the store keeps an entry: while it is fresh, then
// while stale-while-revalidate or stale-if-error may use it, and, for a
// response with validators, a while longer for revalidation. The entry's own
// times decide freshness; this only bounds the store.
func keepFor(e *entry.Entry) time.Duration {
	keep := e.Lifetime + max(e.StaleWhileRevalidate, e.StaleIfError)
	if _, ok := e.Header["Etag"]; ok || e.Header.Get("Last-Modified") != "" {
		keep += min(max(e.Lifetime, minKeepForRevalidation), maxKeepForRevalidation)
	}
	return keep
}

// bodyAllowed reports whether a response with status has a body (RFC 9110
// §6.4.1).
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

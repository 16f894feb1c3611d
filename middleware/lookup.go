package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/memo"
	"github.com/plugcache/plugcache/internal/rfc9111"
)

// found is the outcome of a lookup: a stored response, or the kind of miss.
type found struct {
	ok   bool
	view entry.View
	fwd  string // on a miss: fwdURIMiss or fwdVary
}

// facts are what the freshness rules need to know of the stored response.
func (f *found) facts(now time.Time) rfc9111.Stored { return facts(&f.view, now) }

// facts are what the freshness rules need to know of the stored response v.
func facts(v *entry.View, now time.Time) rfc9111.Stored {
	return rfc9111.Stored{
		Lifetime:             v.Lifetime,
		Age:                  rfc9111.CurrentAge(v.InitialAge, v.ResponseTime, now),
		NoCache:              v.NoCache,
		MustRevalidate:       v.MustRevalidate,
		StaleWhileRevalidate: v.StaleWhileRevalidate,
		StaleIfError:         v.StaleIfError,
	}
}

// lookup finds the stored response for r under its primary key, following a
// Vary index to the variant r selects. A store failure or bytes that do not
// decode are an error; the breaker hears of every outcome.
func (c *Cache) lookup(ctx context.Context, primary string, r *http.Request) (found, error) {
	f, err := c.getEntry(ctx, primary, fwdURIMiss)
	if err != nil || !f.ok || f.view.Kind != entry.VaryIndex {
		return f, err
	}
	return c.getEntry(ctx, c.keyer.VariantKey(variantBase(primary, &f.view), f.view.VaryNames(), r.Header), fwdVary)
}

func (c *Cache) getEntry(ctx context.Context, key, missFwd string) (found, error) {
	var b []byte
	var m *memo.Memo
	var err error
	if c.memos != nil {
		b, m, err = c.memos.GetMemo(ctx, key)
	} else {
		b, err = c.store.Get(ctx, key)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		c.breaker.success()
		return found{fwd: missFwd}, nil
	case errors.Is(err, ErrCorrupt):
		c.breaker.success() // the store answered; its bytes are at fault
		return found{}, fmt.Errorf("middleware: stored entry under %q: %w", key, err)
	case err != nil:
		c.breaker.failure(err)
		return found{}, err
	}
	c.breaker.success()
	if v, ok := m.Load().(*entry.View); ok {
		return found{ok: true, view: *v}, nil
	}
	v, err := c.parse(b)
	if err != nil {
		return found{}, fmt.Errorf("middleware: stored entry under %q: %w", key, err)
	}
	if m.Empty() {
		// The first hit on a value of the memory store decodes it for the
		// hits that follow: they copy the View and its prepared fields.
		kept := v
		kept.Prepare()
		m.Store(&kept, kept.Size())
	}
	return found{ok: true, view: v}, nil
}

// storeFailed reports a store error to the ErrorHandler, or logs it.
func (c *Cache) storeFailed(r *http.Request, err error) {
	if c.opts.ErrorHandler != nil {
		c.opts.ErrorHandler(r, err)
		return
	}
	c.opts.Logger.Debug("middleware: store error; serving from the handler", "err", err)
}

// errorDetail is the Cache-Status detail of a store failure.
func errorDetail(err error) string {
	if errors.Is(err, ErrCorrupt) {
		return "corrupt"
	}
	return "store-error"
}

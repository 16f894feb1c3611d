package middleware

import (
	"net/http"

	"github.com/plugcache/plugcache/internal/entry"
)

// serveCollapsed answers a request that waited on another's fetch of the same
// key, from the response that fetch stored. It reports false when that
// response may not answer this request: it was not stored (private,
// Set-Cookie, not storable, too large, the handler failed or its client went
// away), or it was stored for another variant than the one this request
// selects. The request then goes to the handler itself.
func (c *Cache) serveCollapsed(w http.ResponseWriter, r *http.Request, plan fetchPlan, res *fetched) bool {
	if res.stored == nil || c.keyer.VariantKey(res.base, res.vary, r.Header) != res.variant {
		return false
	}
	v, err := entry.Parse(res.stored)
	if err != nil {
		return false
	}
	f := found{ok: true, view: v, key: res.variant}
	age := f.facts(c.opts.now()).Age
	c.respondStored(w, r, &v, age, status{fwd: plan.fwd, collapsed: true})
	c.emit(r, Miss, "collapsed", v.Status, false, nil)
	return true
}

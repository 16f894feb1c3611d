package middleware

import "net/http"

// Result is what the cache did with one request.
type Result string

// The results a request can have.
const (
	// Hit: served from a fresh stored response.
	Hit Result = "hit"
	// Stale: served from a stale stored response, as stale-while-revalidate,
	// max-stale or stale-if-error allowed.
	Stale Result = "stale"
	// Revalidated: a stale stored response was confirmed by the origin (304)
	// and served.
	Revalidated Result = "revalidated"
	// Miss: the origin answered; the response may have been stored.
	Miss Result = "miss"
	// Bypass: the cache did not use a stored response, for the reason in
	// Event.Detail (method, range, upgrade, body, store-down, only-if-cached...):
	// the request went to the origin, shared another's fetch (store-down,
	// Event.Collapsed), or got a 504 (only-if-cached).
	Bypass Result = "bypass"
	// Error: the store failed or returned bytes that do not decode; the
	// request was served as a miss, its response stored only in place of
	// bytes that did not decode.
	Error Result = "error"
)

// Event tells OnEvent what the cache did with a request.
type Event struct {
	Request *http.Request
	Result  Result
	// Detail says why, in Cache-Status's words: a bypass reason, the
	// freshness rule that sent a request to the origin, the store's trouble,
	// "collapsed" for a Miss served from another's response.
	Detail string
	// Status is the status the client was sent, or 0 for a request to
	// switch protocols, which the handler answers on the client's own
	// ResponseWriter, unseen by the cache.
	Status int
	// Stored reports whether the response was stored.
	Stored bool
	// Collapsed reports whether the request was answered with the response
	// another request fetched, as for Detail "collapsed", and also for one
	// whose store was in trouble (Result Error or Bypass).
	Collapsed bool
	// Err is the store error, for Result Error.
	Err error
}

func (c *Cache) emit(r *http.Request, res Result, detail string, status int, stored bool, err error) {
	if c.opts.OnEvent != nil {
		c.opts.OnEvent(Event{Request: r, Result: res, Detail: detail, Status: status, Stored: stored, Err: err})
	}
}

package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/plugcache/plugcache/keying"
)

// Policy says whose freshness rules the cache follows.
type Policy string

const (
	// Respect follows the origin's Cache-Control and Expires; DefaultTTL
	// applies only to responses that give no freshness of their own.
	Respect Policy = "respect"
	// Override gives every storable response DefaultTTL, whatever its
	// freshness directives say. What is unsafe to share is still never
	// stored: no-store, private, Set-Cookie, Authorization.
	Override Policy = "override"
)

// Options configures a Cache. Its fields mirror the YAML keys under
// backend.cache.plugin.<id>.http; the zero Options is a cache that follows
// RFC 9111 alone.
type Options struct {
	// DefaultTTL is the freshness lifetime of a response that states none,
	// the plugin's defaultTtl. Default: zero. Zero means RFC 9111's rules
	// alone, heuristic freshness included.
	DefaultTTL time.Duration

	// Policy is Respect or Override. Default: Respect.
	Policy Policy

	// MaxBodySize is the largest body stored, in bytes. A larger response is
	// still served in full, just not stored. Default: 1 MiB.
	MaxBodySize int64

	// StaleWhileRevalidate lets a stale entry be served while it is refreshed
	// in the background, for responses that do not say
	// stale-while-revalidate themselves. Default: zero. Zero means only what
	// responses say.
	StaleWhileRevalidate time.Duration

	// StaleIfError lets a stale entry answer when the origin fails or
	// answers 5xx, for responses that do not say stale-if-error themselves.
	// Default: zero. Zero means only what responses say.
	StaleIfError time.Duration

	// DisableCoalescing makes concurrent misses for one key each call the
	// handler. Default: false: the handler runs once and the others share
	// its response when it may be shared.
	DisableCoalescing bool

	// CacheableStatus lists the statuses stored without explicit freshness.
	// Default: nil. Nil means RFC 9110's heuristically cacheable statuses:
	// 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501.
	CacheableStatus []int

	// Methods lists the methods answered from the cache: GET, HEAD or both.
	// Default: nil. Nil means both. HEAD is answered from GET's entry.
	Methods []string

	// Key says what joins the cache key besides method, scheme, host, path
	// and query: ignored query parameters, request headers, cookies, or a
	// function of its own.
	Key keying.Options

	// StripSetCookie stores responses that set cookies, without the
	// Set-Cookie fields. Default: false: such responses are never stored.
	StripSetCookie bool

	// InlineRefresh runs a stale-while-revalidate refresh on the request's
	// own goroutine, after its stale response has been flushed to the
	// client, instead of on a goroutine of its own. Set it where the wrapped
	// handler belongs to one request and must not run after it, as the
	// handler echo.WrapMiddleware passes does. Default: false.
	InlineRefresh bool

	// MaxRefreshes bounds the background refreshes of stale-while-revalidate
	// running at once; a refresh past the bound is skipped. Default: 4.
	MaxRefreshes int

	// ErrorHandler is told of store failures: errors from Get, Set and
	// Delete, and stored bytes that do not decode. The request is served as
	// a miss either way. Default: nil. Nil logs at debug level to Logger.
	ErrorHandler func(r *http.Request, err error)

	// OnEvent is called once per request with what the cache did, for
	// metrics and access logs. It must be quick and safe for concurrent use.
	// Default: nil. Nil means no events.
	OnEvent func(Event)

	// Logger receives store state changes (down, back up) and, without an
	// ErrorHandler, store errors. Default: nil. Nil discards.
	Logger *slog.Logger

	now func() time.Time // tests only; nil means time.Now
}

const (
	defaultMaxBodySize  = 1 << 20
	defaultMaxRefreshes = 4
)

// FieldError is a problem with one field of Options.
type FieldError struct {
	Field string // the Options field, such as "Policy" or "Key.Headers"
	Msg   string
}

func (e *FieldError) Error() string { return "middleware: Options." + e.Field + ": " + e.Msg }

// Validate checks o as New does, returning every problem as a *FieldError,
// joined.
func (o Options) Validate() error {
	_, err := o.withDefaults()
	return err
}

// withDefaults checks o and returns a copy with defaults filled in.
func (o Options) withDefaults() (Options, error) {
	var errs []error
	fail := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	switch o.Policy {
	case "":
		o.Policy = Respect
	case Respect:
	case Override:
		if o.DefaultTTL <= 0 {
			fail("Policy", "override needs a default TTL > 0 to apply")
		}
	default:
		fail("Policy", "unknown policy %q; expected %q or %q", o.Policy, Respect, Override)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"DefaultTTL", o.DefaultTTL}, {"StaleWhileRevalidate", o.StaleWhileRevalidate}, {"StaleIfError", o.StaleIfError}} {
		if d.v < 0 {
			fail(d.name, "must be >= 0")
		}
	}
	switch {
	case o.MaxBodySize < 0:
		fail("MaxBodySize", "must be >= 0")
	case o.MaxBodySize == 0:
		o.MaxBodySize = defaultMaxBodySize
	}
	switch {
	case o.MaxRefreshes < 0:
		fail("MaxRefreshes", "must be >= 0")
	case o.MaxRefreshes == 0:
		o.MaxRefreshes = defaultMaxRefreshes
	}
	for _, s := range o.CacheableStatus {
		if s < 200 || s > 599 {
			fail("CacheableStatus", "%d is not a final status (200-599)", s)
		}
	}
	for _, m := range o.Methods {
		if m != http.MethodGet && m != http.MethodHead {
			fail("Methods", "%q: only GET and HEAD are answered from a cache", m)
		}
	}
	if slices.Contains(o.Key.Headers, "") {
		fail("Key.Headers", "an empty name")
	}
	if slices.Contains(o.Key.Cookies, "") {
		fail("Key.Cookies", "an empty name")
	}
	if o.Methods == nil {
		o.Methods = []string{http.MethodGet, http.MethodHead}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.now == nil {
		o.now = time.Now
	}
	return o, errors.Join(errs...)
}

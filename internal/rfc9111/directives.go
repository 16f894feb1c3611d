package rfc9111

import (
	"net/http"
	"strings"
	"time"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// Delta is an optional number of seconds from a directive, such as
// max-age=60. The zero Delta is an absent directive; Set with a zero D is
// max-age=0.
type Delta struct {
	D   time.Duration
	Set bool
}

// maxDelta is what a delta-seconds that overflows becomes: RFC 9111 §1.2.2
// says 2147483648 (2^31) seconds, about 68 years, standing for "forever".
const maxDelta = (1 << 31) * time.Second

// Directives are parsed Cache-Control directives, RFC 9111 §5.2. The same
// struct holds request (§5.2.1) and response (§5.2.2) directives; each
// function that takes Directives says which side it expects. Unknown
// directives (§5.2.3) are ignored. The zero Directives is an absent
// Cache-Control.
type Directives struct {
	NoStore         bool // §5.2.1.5, §5.2.2.5
	NoCache         bool // unqualified no-cache, §5.2.1.4, §5.2.2.4
	Private         bool // unqualified private, §5.2.2.7
	Public          bool // §5.2.2.9
	MustRevalidate  bool // §5.2.2.2
	ProxyRevalidate bool // §5.2.2.8
	OnlyIfCached    bool // §5.2.1.7
	NoTransform     bool // §5.2.1.6, §5.2.2.6
	Immutable       bool // RFC 8246
	MustUnderstand  bool // §5.2.2.3

	// NoCacheFields and PrivateFields are the field names of the qualified
	// forms, canonicalized: no-cache="Set-Cookie" gives ["Set-Cookie"].
	NoCacheFields, PrivateFields []string

	MaxAge               Delta // §5.2.1.1, §5.2.2.1
	SMaxAge              Delta // §5.2.2.10
	MinFresh             Delta // §5.2.1.3
	StaleWhileRevalidate Delta // RFC 5861 §3
	StaleIfError         Delta // RFC 5861 §4

	MaxStale    Delta // max-stale=N, §5.2.1.2
	MaxStaleAny bool  // "max-stale" with no value accepts any staleness
}

// ParseDirectives parses every Cache-Control line of h (RFC 9111 §5.2):
// names compare case-insensitively, arguments may be tokens or quoted
// strings, and optional whitespace and empty list elements are skipped. h may
// be nil.
//
// Values that are not delta-seconds (§1.2.2: 1*DIGIT) and repeated
// directives take the reading that serves less from the cache:
//   - max-age and s-maxage that are invalid (max-age=-1, max-age=soon), or
//     repeated with different values, read as 0, that is, already stale
//     (§4.2.1 allows "first occurrence" or "stale"; stale is the safe one);
//   - max-stale, stale-while-revalidate and stale-if-error only permit
//     staleness, so an invalid one is ignored and, when repeated, the
//     smallest wins; a valued max-stale beats a bare one;
//   - min-fresh only asks for more freshness: an invalid one is ignored and,
//     when repeated, the largest wins.
//
// Values above 2147483648 seconds saturate to it (§1.2.2). The quoted form
// max-age="60" is accepted: §5.2 forbids senders to generate it but asks
// recipients to accept both forms.
func ParseDirectives(h http.Header) Directives {
	var d Directives
	for _, line := range h["Cache-Control"] { // canonical, as in every http.Header net/http makes

		for rest := line; rest != ""; {
			var name, value string
			var hasValue bool
			name, value, hasValue, rest = nextDirective(rest)
			d.apply(strings.ToLower(name), value, hasValue)
		}
	}
	return d
}

// RequestDirectives parses a request's Cache-Control like ParseDirectives
// and, when the request has no Cache-Control, reads Pragma: no-cache as
// Cache-Control: no-cache (RFC 9111 §5.4). h may be nil.
func RequestDirectives(h http.Header) Directives {
	d := ParseDirectives(h)
	if hasCacheControl(h) {
		// RFC 9111 §5.4: Pragma is ignored when Cache-Control is present.
		return d
	}
	for p := range fieldlist.Members(h["Pragma"]...) {
		if strings.EqualFold(p, "no-cache") {
			d.NoCache = true
		}
	}
	return d
}

func hasCacheControl(h http.Header) bool {
	for _, line := range h["Cache-Control"] {
		if strings.Trim(line, " \t,") != "" {
			return true
		}
	}
	return false
}

// nextDirective splits the first directive off a Cache-Control field line,
// cache-directive = token [ "=" ( token / quoted-string ) ] (RFC 9111 §5.2),
// and returns what follows the next comma.
func nextDirective(s string) (name, value string, hasValue bool, rest string) {
	s = strings.TrimLeft(s, " \t,")
	i := strings.IndexAny(s, "=,")
	if i < 0 {
		return strings.TrimSpace(s), "", false, ""
	}
	name = strings.TrimSpace(s[:i])
	if s[i] == ',' {
		return name, "", false, s[i+1:]
	}
	s = strings.TrimLeft(s[i+1:], " \t")
	if strings.HasPrefix(s, `"`) {
		value, s = unquote(s)
	} else {
		j := strings.IndexByte(s, ',')
		if j < 0 {
			j = len(s)
		}
		value, s = strings.TrimSpace(s[:j]), s[j:]
	}
	// Whatever stands between the value and the next comma is malformed and
	// skipped.
	if j := strings.IndexByte(s, ','); j >= 0 {
		return name, value, true, s[j+1:]
	}
	return name, value, true, ""
}

// unquote reads the quoted-string at the start of s (RFC 9110 §5.6.4),
// resolving quoted-pairs, and returns it and what follows the closing quote.
// An unterminated string runs to the end of s.
func unquote(s string) (value, rest string) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:]
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

func (d *Directives) apply(name, value string, hasValue bool) {
	switch name {
	case "no-store":
		d.NoStore = true
	case "no-cache":
		// An empty qualifier (no-cache="") names no field; reading it as
		// unqualified is the safe choice.
		if f := fieldNames(value); len(f) > 0 {
			d.NoCacheFields = append(d.NoCacheFields, f...)
		} else {
			d.NoCache = true
		}
	case "private":
		if f := fieldNames(value); len(f) > 0 {
			d.PrivateFields = append(d.PrivateFields, f...)
		} else {
			d.Private = true
		}
	case "public":
		d.Public = true
	case "must-revalidate":
		d.MustRevalidate = true
	case "proxy-revalidate":
		d.ProxyRevalidate = true
	case "only-if-cached":
		d.OnlyIfCached = true
	case "no-transform":
		d.NoTransform = true
	case "immutable":
		d.Immutable = true
	case "must-understand":
		d.MustUnderstand = true
	case "max-age":
		d.MaxAge = freshnessDelta(d.MaxAge, value)
	case "s-maxage":
		d.SMaxAge = freshnessDelta(d.SMaxAge, value)
	case "min-fresh":
		d.MinFresh = mergeDelta(d.MinFresh, value, longer)
	case "stale-while-revalidate":
		d.StaleWhileRevalidate = mergeDelta(d.StaleWhileRevalidate, value, shorter)
	case "stale-if-error":
		d.StaleIfError = mergeDelta(d.StaleIfError, value, shorter)
	case "max-stale":
		if !hasValue {
			d.MaxStaleAny = !d.MaxStale.Set
			return
		}
		d.MaxStale = mergeDelta(d.MaxStale, value, shorter)
		d.MaxStaleAny = d.MaxStaleAny && !d.MaxStale.Set
	}
}

// freshnessDelta merges a max-age or s-maxage value into cur. RFC 9111
// §4.2.1: invalid freshness information and conflicting duplicates make the
// response stale, so both read as 0.
func freshnessDelta(cur Delta, value string) Delta {
	v, ok := parseDeltaSeconds(value)
	if !ok || (cur.Set && cur.D != v) {
		v = 0
	}
	return Delta{D: v, Set: true}
}

// mergeDelta merges a value that only permits staleness, or only asks for
// freshness, into cur: an invalid value is ignored, and of two values pick
// chooses the safe one.
func mergeDelta(cur Delta, value string, pick func(a, b time.Duration) time.Duration) Delta {
	v, ok := parseDeltaSeconds(value)
	switch {
	case !ok:
		return cur
	case cur.Set:
		return Delta{D: pick(cur.D, v), Set: true}
	default:
		return Delta{D: v, Set: true}
	}
}

func shorter(a, b time.Duration) time.Duration { return min(a, b) }
func longer(a, b time.Duration) time.Duration  { return max(a, b) }

// parseDeltaSeconds parses delta-seconds = 1*DIGIT (RFC 9111 §1.2.2),
// saturating at 2147483648 seconds.
func parseDeltaSeconds(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = min(n*10+int64(c-'0'), int64(maxDelta/time.Second))
	}
	return time.Duration(n) * time.Second, true
}

// fieldNames splits the argument of a qualified no-cache or private into
// canonical field names.
func fieldNames(value string) []string {
	var names []string
	for f := range fieldlist.Members(value) {
		names = append(names, http.CanonicalHeaderKey(f))
	}
	return names
}

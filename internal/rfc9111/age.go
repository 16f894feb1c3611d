package rfc9111

import (
	"net/http"
	"strings"
	"time"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// InitialAge is the corrected_initial_age of RFC 9111 §4.2.3: the larger of
// the apparent age (responseTime minus Date, never negative) and the Age
// field plus the response delay (responseTime minus requestTime). requestTime
// is when the cache sent the request that produced the response and
// responseTime when the response arrived. respHeader may be nil.
//
// A missing or invalid Date gives an apparent age of 0 (RFC 9110 §6.6.1: the
// receipt time stands in for it), and a Date after responseTime, clock skew,
// also gives 0. Of several Age values only the first counts, and an invalid
// one is ignored (§5.1; §4.2.3: age_value is 0 when not available). Age values saturate at 2147483648 seconds (§1.2.2).
func InitialAge(respHeader http.Header, requestTime, responseTime time.Time) time.Duration {
	var apparent time.Duration
	if date, ok := ParseDate(respHeader.Get("Date")); ok {
		apparent = max(0, responseTime.Sub(date))
	}
	delay := max(0, responseTime.Sub(requestTime))
	return max(apparent, ageValue(respHeader)+delay)
}

// CurrentAge is RFC 9111 §4.2.3's current_age: initialAge plus the time the
// response has been resident in the cache since responseTime. A clock that
// stepped back before responseTime adds nothing.
func CurrentAge(initialAge time.Duration, responseTime, now time.Time) time.Duration {
	return initialAge + max(0, now.Sub(responseTime))
}

// ageValue is the Age field, RFC 9111 §5.1, or 0. Age is a singleton, and of
// a list, on one line or several, only the first member counts; an invalid
// one is ignored.
func ageValue(h http.Header) time.Duration {
	lines := h.Values("Age")
	if len(lines) == 0 {
		return 0
	}
	first, _, _ := strings.Cut(lines[0], ",")
	d, _ := parseDeltaSeconds(fieldlist.TrimOWS(first))
	return d
}

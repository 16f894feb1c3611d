package rfc9111

import (
	"net/http"
	"time"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// hdr builds a header from name, value pairs, adding repeated names as
// separate lines.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// date formats t as an HTTP-date.
func date(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

func delta(n int) Delta { return Delta{D: secs(n), Set: true} }

// rfc850GMT is the obsolete RFC 850 date format as HTTP sends it, in GMT:
// time.RFC850 would print the zone as UTC, which is not an HTTP-date.
const rfc850GMT = "Monday, 02-Jan-06 15:04:05 GMT"

package rfc9111

import (
	"net/http"
	"testing"
	"time"
)

func TestNotModified(t *testing.T) {
	lm := date(t0)
	tests := []struct {
		name   string
		method string
		req    http.Header
		etag   string
		lm     string
		want   bool
	}{
		{"RFC 9110 §13.1.2 If-None-Match with the same strong ETag", "GET", hdr("If-None-Match", `"a"`), `"a"`, "", true},
		{"RFC 9110 §13.1.2 If-None-Match with another ETag", "GET", hdr("If-None-Match", `"b"`), `"a"`, "", false},
		{"RFC 9110 §8.8.3.2 weak comparison: weak request tag matches a strong ETag", "GET", hdr("If-None-Match", `W/"a"`), `"a"`, "", true},
		{"RFC 9110 §8.8.3.2 weak comparison: strong request tag matches a weak ETag", "GET", hdr("If-None-Match", `"a"`), `W/"a"`, "", true},
		{"RFC 9110 §8.8.3.2 weak comparison: both weak", "GET", hdr("If-None-Match", `W/"a"`), `W/"a"`, "", true},
		{"RFC 9110 §8.8.3 the opaque tag is case-sensitive", "GET", hdr("If-None-Match", `"A"`), `"a"`, "", false},
		{"RFC 9110 §8.8.3 w/ is not a weak prefix", "GET", hdr("If-None-Match", `w/"a"`), `"a"`, "", false},
		{"RFC 9110 §13.1.2 a list matches any member", "GET", hdr("If-None-Match", `"x", W/"a" ,"y"`), `"a"`, "", true},
		{"RFC 9110 §13.1.2 a list over several lines", "GET", hdr("If-None-Match", `"x"`, "If-None-Match", `"a"`), `"a"`, "", true},
		{"RFC 9110 §8.8.3 a comma inside an entity-tag", "GET", hdr("If-None-Match", `"a,b"`), `"a,b"`, "", true},
		{"RFC 9110 §13.1.2 a list without a match", "GET", hdr("If-None-Match", `"x", "y"`), `"a"`, "", false},
		{"RFC 9110 §13.1.2 * matches a stored response", "GET", hdr("If-None-Match", "*"), `"a"`, "", true},
		{"RFC 9110 §13.1.2 * matches even without an ETag", "GET", hdr("If-None-Match", " * "), "", "", true},
		{"RFC 9110 §13.1.2 no stored ETag, no match", "GET", hdr("If-None-Match", `"a"`), "", lm, false},
		{"RFC 9110 §8.8.3 an unquoted stored ETag never matches", "GET", hdr("If-None-Match", `a`), `a`, "", false},
		{"RFC 9110 §8.8.3 an invalid list stops matching", "GET", hdr("If-None-Match", `"x" junk, "a"`), `"a"`, "", false},
		{"RFC 9110 §13.1.2 HEAD is evaluated", "HEAD", hdr("If-None-Match", `"a"`), `"a"`, "", true},
		{"RFC 9110 §13.1.2 other methods are not answered with 304", "POST", hdr("If-None-Match", `"a"`), `"a"`, "", false},
		{"RFC 9110 §13.1.3 If-Modified-Since equal to Last-Modified", "GET", hdr("If-Modified-Since", lm), "", lm, true},
		{"RFC 9110 §13.1.3 If-Modified-Since after Last-Modified", "GET", hdr("If-Modified-Since", date(t0.Add(time.Hour))), "", lm, true},
		{"RFC 9110 §13.1.3 If-Modified-Since before Last-Modified", "GET", hdr("If-Modified-Since", date(t0.Add(-time.Hour))), "", lm, false},
		{"RFC 9110 §13.1.3 an invalid If-Modified-Since is ignored", "GET", hdr("If-Modified-Since", "yesterday"), "", lm, false},
		{"RFC 9110 §13.1.3 an invalid Last-Modified is ignored", "GET", hdr("If-Modified-Since", lm), "", "recently", false},
		{"RFC 9110 §13.1.3 a missing Last-Modified is ignored", "GET", hdr("If-Modified-Since", lm), "", "", false},
		{"RFC 9110 §13.1.3 several If-Modified-Since lines are ignored", "GET", hdr("If-Modified-Since", lm, "If-Modified-Since", lm), "", lm, false},
		{"RFC 9110 §13.1.3 an RFC 850 If-Modified-Since is a valid HTTP-date", "GET", hdr("If-Modified-Since", t0.Format(rfc850GMT)), "", lm, true},
		{"RFC 9110 §13.1.3 POST ignores If-Modified-Since", "POST", hdr("If-Modified-Since", lm), "", lm, false},
		{"RFC 9110 §13.2.2 If-None-Match takes precedence over If-Modified-Since", "GET", hdr("If-None-Match", `"b"`, "If-Modified-Since", lm), `"a"`, lm, false},
		{"RFC 9110 §13.2.2 a matching If-None-Match ignores If-Modified-Since", "GET", hdr("If-None-Match", `"a"`, "If-Modified-Since", date(t0.Add(-time.Hour))), `"a"`, lm, true},
		{"RFC 9111 §4.3.2 If-Match is not evaluated by a cache", "GET", hdr("If-Match", `"a"`), `"a"`, lm, false},
		{"RFC 9110 §13.1 an unconditional request", "GET", nil, `"a"`, lm, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NotModified(tt.method, tt.req, tt.etag, tt.lm, ""); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNotModifiedDateStandsInForLastModified(t *testing.T) {
	lm := date(t0)
	tests := []struct {
		name     string
		req      http.Header
		lm, date string
		want     bool
	}{
		{"RFC 9111 §4.3.2 without Last-Modified, If-Modified-Since is compared with Date", hdr("If-Modified-Since", lm), "", lm, true},
		{"RFC 9111 §4.3.2 a Date after If-Modified-Since is modified", hdr("If-Modified-Since", lm), "", date(t0.Add(time.Hour)), false},
		{"RFC 9111 §4.3.2 Last-Modified, when there is one, is compared, not Date", hdr("If-Modified-Since", lm), date(t0.Add(time.Hour)), lm, false},
		{"RFC 9111 §4.3.2 neither Last-Modified nor Date: If-Modified-Since is ignored", hdr("If-Modified-Since", lm), "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NotModified("GET", tt.req, "", tt.lm, tt.date); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConditional(t *testing.T) {
	tests := []struct {
		name                 string
		h                    http.Header
		want                 bool // any conditional header
		forwarded, evaluated bool
	}{
		{"RFC 9110 §13.1.1 If-Match is forwarded", hdr("If-Match", `"a"`), true, true, false},
		{"RFC 9110 §13.1.2 If-None-Match is evaluated", hdr("If-None-Match", "*"), true, false, true},
		{"RFC 9110 §13.1.3 If-Modified-Since is evaluated", hdr("If-Modified-Since", date(t0)), true, false, true},
		{"RFC 9110 §13.1.4 If-Unmodified-Since is forwarded", hdr("If-Unmodified-Since", date(t0)), true, true, false},
		{"RFC 9110 §13.1.5 If-Range is forwarded", hdr("If-Range", `"a"`), true, true, false},
		{"RFC 9110 §13.1 no conditional header", hdr("Accept", "*/*"), false, false, false},
		{"RFC 9110 §13.1 nil header", nil, false, false, false},
		{"an empty field is no precondition", hdr("If-None-Match", ""), false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, e := ForwardedConditional(tt.h), EvaluatedConditional(tt.h)
			if (f || e) != tt.want || f != tt.forwarded || e != tt.evaluated {
				t.Errorf("forwarded %v, evaluated %v; want any=%v, forwarded %v, evaluated %v", f, e, tt.want, tt.forwarded, tt.evaluated)
			}
		})
	}
}

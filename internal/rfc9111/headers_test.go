package rfc9111

import (
	"net/http"
	"reflect"
	"testing"
)

func TestStripForStorage(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		p    Policy
		want http.Header
	}{
		{"§3.1 connection-specific fields are not stored",
			hdr("Connection", "keep-alive", "Keep-Alive", "timeout=5", "Proxy-Connection", "x", "TE", "trailers", "Trailer", "X-T",
				"Transfer-Encoding", "chunked", "Upgrade", "h2c", "Content-Type", "text/plain"), Policy{},
			hdr("Content-Type", "text/plain")},
		{"§3.1 fields named by Connection are not stored", hdr("Connection", "X-Hop, x-other", "X-Hop", "1", "X-Other", "2", "X-End", "3"), Policy{},
			hdr("X-End", "3")},
		{"§3.1 proxy authentication fields are not stored",
			hdr("Proxy-Authenticate", "Basic", "Proxy-Authentication-Info", "x", "Proxy-Authorization", "y", "ETag", `"a"`), Policy{},
			hdr("ETag", `"a"`)},
		{"§5.2.2.4 fields named by qualified no-cache are not stored", hdr("Cache-Control", `no-cache="X-User", max-age=5`, "X-User", "bob"), Policy{},
			hdr("Cache-Control", `no-cache="X-User", max-age=5`)},
		{"§5.2.2.7 fields named by qualified private are not stored", hdr("Cache-Control", `private="x-user"`, "X-User", "bob"), Policy{},
			hdr("Cache-Control", `private="x-user"`)},
		{"Set-Cookie is removed with StripSetCookie", hdr("Set-Cookie", "a=1", "Set-Cookie", "b=2", "Vary", "Accept"), Policy{StripSetCookie: true},
			hdr("Vary", "Accept")},
		{"Set-Cookie is kept without StripSetCookie", hdr("Set-Cookie", "a=1"), Policy{}, hdr("Set-Cookie", "a=1")},
		{"§4.2.3 Age is not stored", hdr("Age", "10", "Date", "x"), Policy{}, hdr("Date", "x")},
		{"§3.1 nil header gives an empty one", nil, Policy{}, http.Header{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.h.Clone()
			got := StripForStorage(tt.h, ParseDirectives(tt.h), tt.p)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(tt.h, before) {
				t.Errorf("got input changed to %v, want %v", tt.h, before)
			}
		})
	}
}

func TestFreshen(t *testing.T) {
	stored := hdr("Content-Type", "text/html", "Content-Length", "120", "ETag", `"a"`, "Cache-Control", "max-age=60", "Date", "old", "X-Keep", "1")
	tests := []struct {
		name string
		nm   http.Header
		want http.Header
	}{
		{"§3.2 fields of the 304 replace the stored ones",
			hdr("Cache-Control", "max-age=120", "Date", "new", "X-New", "a", "X-New", "b"),
			hdr("Content-Type", "text/html", "Content-Length", "120", "ETag", `"a"`, "Cache-Control", "max-age=120", "Date", "new", "X-Keep", "1", "X-New", "a", "X-New", "b")},
		{"§3.2 Content-Length is not updated",
			hdr("Content-Length", "0"),
			stored},
		{"§3.2 hop-by-hop fields of the 304 are not stored",
			hdr("Connection", "X-Hop", "X-Hop", "1", "Transfer-Encoding", "chunked", "Keep-Alive", "timeout=5"),
			stored},
		{"§4.2.3 the 304's Age is not stored",
			hdr("Age", "30"),
			stored},
		{"§3.2 the 304's Set-Cookie is not stored",
			hdr("Set-Cookie", "session=alice"),
			stored},
		{"§3.2 an empty 304 changes nothing", nil, stored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := stored.Clone()
			got := Freshen(stored, tt.nm)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(stored, before) {
				t.Errorf("got stored changed to %v, want %v", stored, before)
			}
		})
	}
	if got := Freshen(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("nil headers: got %v, want an empty header", got)
	}
}

// TestCanFreshen checks both of the 304 rules: CanFreshen, §4.3.4's selection,
// and ConfirmsRevalidation, which also takes a 304 without validators as
// answering the one response the cache asked about.
func TestCanFreshen(t *testing.T) {
	lm := date(t0)
	tests := []struct {
		name              string
		stored            http.Header
		nm                http.Header
		freshen, confirms bool
	}{
		{"§4.3.4 the same strong ETag", hdr("ETag", `"a"`), hdr("ETag", `"a"`), true, true},
		{"§4.3.4 another strong ETag", hdr("ETag", `"a"`), hdr("ETag", `"b"`), false, false},
		{"§4.3.4 a strong ETag against a weak stored one", hdr("ETag", `W/"a"`), hdr("ETag", `"a"`), false, false},
		{"§4.3.4 a weak ETag matches by weak comparison", hdr("ETag", `"a"`), hdr("ETag", `W/"a"`), true, true},
		{"§4.3.4 a weak ETag that differs", hdr("ETag", `W/"a"`), hdr("ETag", `W/"b"`), false, false},
		{"§4.3.4 an ETag when none is stored", hdr("Last-Modified", lm), hdr("ETag", `"a"`), false, false},
		{"§4.3.4 an invalid ETag in the 304", hdr("ETag", `"a"`), hdr("ETag", `a`), false, false},
		{"§4.3.4 the same Last-Modified", hdr("Last-Modified", lm), hdr("Last-Modified", lm), true, true},
		{"§4.3.4 another Last-Modified", hdr("Last-Modified", lm), hdr("Last-Modified", date(t0.Add(1e9))), false, false},
		{"§4.3.4 no validators on either side", hdr("Content-Type", "text/plain"), hdr("Date", lm), true, true},
		{"§4.3.4 no validator in the 304 but one stored: it answers the one asked about", hdr("ETag", `"a"`, "Last-Modified", lm), hdr("Date", lm), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanFreshen(tt.stored, tt.nm); got != tt.freshen {
				t.Errorf("CanFreshen: got %v, want %v", got, tt.freshen)
			}
			if got := ConfirmsRevalidation(tt.stored, tt.nm); got != tt.confirms {
				t.Errorf("ConfirmsRevalidation: got %v, want %v", got, tt.confirms)
			}
		})
	}
}

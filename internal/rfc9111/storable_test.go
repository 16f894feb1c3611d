package rfc9111

import (
	"net/http"
	"testing"
	"time"
)

func TestStorable(t *testing.T) {
	lm := hdr("Last-Modified", date(t0.Add(-time.Hour)))
	tests := []struct {
		name       string
		method     string
		req        http.Header
		status     int
		resp       http.Header
		p          Policy
		wantOK     bool
		wantReason string
	}{
		{"§3 GET 200 with max-age is stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60"), Policy{}, true, ""},
		{"§3 HEAD is not stored: the GET entry answers it", "HEAD", nil, 200, hdr("Cache-Control", "max-age=60"), Policy{}, false, "method"},
		{"§3 POST is not stored", "POST", nil, 200, hdr("Cache-Control", "max-age=60"), Policy{}, false, "method"},
		{"§3 an interim 1xx is not final", "GET", nil, 103, hdr("Cache-Control", "max-age=60"), Policy{}, false, "status"},
		{"§3.3 206 is not stored", "GET", nil, 206, hdr("Cache-Control", "max-age=60"), Policy{}, false, "partial"},
		{"§4.3.4 304 is not stored", "GET", nil, 304, hdr("Cache-Control", "max-age=60"), Policy{}, false, "status"},
		{"§5.2.2.5 response no-store is not stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60, no-store"), Policy{}, false, "no-store"},
		{"§5.2.1.5 request no-store is not stored", "GET", hdr("Cache-Control", "no-store"), 200, hdr("Cache-Control", "max-age=60"), Policy{}, false, "no-store"},
		{"§5.2.2.3 must-understand with a known status lifts the response's no-store", "GET", nil, 200, hdr("Cache-Control", "max-age=60, no-store, must-understand"), Policy{}, true, ""},
		{"§5.2.2.3 must-understand with an unknown status keeps no-store's refusal", "GET", nil, 299, hdr("Cache-Control", "max-age=60, no-store, must-understand"), Policy{}, false, "must-understand"},
		{"§5.2.2.3 must-understand does not lift the request's no-store", "GET", hdr("Cache-Control", "no-store"), 200, hdr("Cache-Control", "max-age=60, no-store, must-understand"), Policy{}, false, "no-store"},
		{"§5.2.2.3 must-understand with an unknown status is not stored", "GET", nil, 299, hdr("Cache-Control", "max-age=60, must-understand"), Policy{}, false, "must-understand"},
		{"§5.2.2.3 must-understand with a known status is stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60, must-understand"), Policy{}, true, ""},
		{"§5.2.2.7 private is not stored in a shared cache", "GET", nil, 200, hdr("Cache-Control", "private, max-age=60"), Policy{}, false, "private"},
		{"§5.2.2.7 qualified private is treated as private", "GET", nil, 200, hdr("Cache-Control", `private="X-User", max-age=60`), Policy{}, false, "private"},
		{"§3.5 Authorization without public is not stored", "GET", hdr("Authorization", "Bearer x"), 200, hdr("Cache-Control", "max-age=60"), Policy{}, false, "authorization"},
		{"§3.5 Authorization with public is stored", "GET", hdr("Authorization", "Bearer x"), 200, hdr("Cache-Control", "public, max-age=60"), Policy{}, true, ""},
		{"§3.5 Authorization with s-maxage is stored", "GET", hdr("Authorization", "Bearer x"), 200, hdr("Cache-Control", "s-maxage=60"), Policy{}, true, ""},
		{"§3.5 Authorization with must-revalidate is stored", "GET", hdr("Authorization", "Bearer x"), 200, hdr("Cache-Control", "max-age=60, must-revalidate"), Policy{}, true, ""},
		{"§3.5 an empty Authorization still counts", "GET", hdr("Authorization", ""), 200, hdr("Cache-Control", "max-age=60"), Policy{}, false, "authorization"},
		{"Set-Cookie is not stored by default", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Set-Cookie", "s=1"), Policy{}, false, "set-cookie"},
		{"Set-Cookie is stored with StripSetCookie", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Set-Cookie", "s=1"), Policy{StripSetCookie: true}, true, ""},
		{"a request with cookies and no explicit freshness is not stored", "GET", hdr("Cookie", "session=abc"), 200, nil, Policy{DefaultTTL: time.Minute}, false, "cookie"},
		{"a request with cookies and max-age is stored", "GET", hdr("Cookie", "session=abc"), 200, hdr("Cache-Control", "max-age=60"), Policy{}, true, ""},
		{"a request with cookies and public is stored", "GET", hdr("Cookie", "session=abc"), 200, hdr("Cache-Control", "public", "ETag", `"a"`), Policy{}, true, ""},
		{"a request with cookies is not stored on the heuristic alone", "GET", hdr("Cookie", "session=abc"), 200, lm, Policy{}, false, "cookie"},
		{"Override does not store a request with cookies that the origin made stale at once", "GET", hdr("Cookie", "session=abc"), 200, hdr("Cache-Control", "max-age=0"), Policy{DefaultTTL: time.Minute, Override: true}, false, "cookie"},
		{"Override does not store a request with cookies whose Expires is past", "GET", hdr("Cookie", "session=abc"), 200, hdr("Expires", "0"), Policy{DefaultTTL: time.Minute, Override: true}, false, "cookie"},
		{"Override stores a request with cookies that the origin gave a lifetime", "GET", hdr("Cookie", "session=abc"), 200, hdr("Cache-Control", "max-age=5"), Policy{DefaultTTL: time.Minute, Override: true}, true, ""},
		{"Override stores a public response to a request with cookies", "GET", hdr("Cookie", "session=abc"), 200, hdr("Cache-Control", "public, max-age=0"), Policy{DefaultTTL: time.Minute, Override: true}, true, ""},
		{"§4.1 Vary: * is not stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Vary", "*"), Policy{}, false, "vary-star"},
		{"§4.1 Vary with * among other names is not stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, * ,Accept"), Policy{}, false, "vary-star"},
		{"§4.1 Vary with * on a second line is not stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Vary", "Accept", "Vary", "*"), Policy{}, false, "vary-star"},
		{"§4.1 Vary without * is stored", "GET", nil, 200, hdr("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), Policy{}, true, ""},
		{"§3 Expires is explicit freshness", "GET", nil, 200, hdr("Expires", date(t0.Add(time.Hour))), Policy{}, true, ""},
		{"§3 an invalid Expires still marks the response storable", "GET", nil, 200, hdr("Expires", "0", "ETag", `"a"`), Policy{}, true, ""},
		{"§3 s-maxage is explicit freshness", "GET", nil, 200, hdr("Cache-Control", "s-maxage=60"), Policy{}, true, ""},
		{"§3 a non-cacheable status with max-age is stored", "GET", nil, 500, hdr("Cache-Control", "max-age=5"), Policy{}, true, ""},
		{"§3 a non-cacheable status without explicit freshness is not stored", "GET", nil, 302, lm, Policy{}, false, "status"},
		{"§3 a non-cacheable status is not stored even with DefaultTTL", "GET", nil, 500, nil, Policy{DefaultTTL: time.Minute}, false, "status"},
		{"§5.2.2.9 public makes a non-cacheable status heuristically cacheable", "GET", nil, 302, hdr("Cache-Control", "public", "Last-Modified", date(t0.Add(-time.Hour))), Policy{}, true, ""},
		{"§4.2.2 a cacheable status with Last-Modified is stored for the heuristic", "GET", nil, 200, lm, Policy{}, true, ""},
		{"§4.3 a cacheable status with only an ETag is stored for revalidation", "GET", nil, 404, hdr("ETag", `"a"`), Policy{}, true, ""},
		{"§3 a cacheable status with DefaultTTL is stored", "GET", nil, 200, nil, Policy{DefaultTTL: time.Minute}, true, ""},
		{"§3 a cacheable status with nothing to go on gains nothing", "GET", nil, 200, nil, Policy{}, false, "no-freshness"},
		{"§3 public with nothing to go on gains nothing", "GET", nil, 200, hdr("Cache-Control", "public"), Policy{}, false, "no-freshness"},
		{"Override with DefaultTTL stores a cacheable status without freshness", "GET", nil, 200, hdr("Cache-Control", "max-age=0"), Policy{DefaultTTL: time.Minute, Override: true}, true, ""},
		{"Override without DefaultTTL changes nothing", "GET", nil, 200, nil, Policy{Override: true}, false, "no-freshness"},
		{"Override does not store no-store", "GET", nil, 200, hdr("Cache-Control", "no-store"), Policy{DefaultTTL: time.Minute, Override: true}, false, "no-store"},
		{"Override does not store private", "GET", nil, 200, hdr("Cache-Control", "private"), Policy{DefaultTTL: time.Minute, Override: true}, false, "private"},
		{"Override does not store Set-Cookie", "GET", nil, 200, hdr("Set-Cookie", "s=1"), Policy{DefaultTTL: time.Minute, Override: true}, false, "set-cookie"},
		{"Override does not store an authorized response", "GET", hdr("Authorization", "x"), 200, nil, Policy{DefaultTTL: time.Minute, Override: true}, false, "authorization"},
		{"CacheableStatus replaces the RFC 9110 list", "GET", nil, 404, lm, Policy{CacheableStatus: []int{200}}, false, "status"},
		{"CacheableStatus may add a status", "GET", nil, 302, lm, Policy{CacheableStatus: []int{302}}, true, ""},
		{"§3 max-age=0 with nothing to revalidate by or serve stale for gains nothing", "GET", nil, 200, hdr("Cache-Control", "max-age=0"), Policy{}, false, "no-freshness"},
		{"§3 an Expires no later than Date gains nothing", "GET", nil, 200, hdr("Expires", date(t0), "Date", date(t0)), Policy{}, false, "no-freshness"},
		{"§4.2.1 an Expires with no Date is dated by the response time: no later gains nothing", "GET", nil, 200, hdr("Expires", date(t0)), Policy{}, false, "no-freshness"},
		{"§4.3 max-age=0 with an ETag is stored for revalidation", "GET", nil, 200, hdr("Cache-Control", "max-age=0", "ETag", `"a"`), Policy{}, true, ""},
		{"RFC 5861 max-age=0 with stale-if-error is stored for errors", "GET", nil, 200, hdr("Cache-Control", "max-age=0, stale-if-error=60"), Policy{}, true, ""},
		{"a policy's stale-while-revalidate stores max-age=0", "GET", nil, 200, hdr("Cache-Control", "max-age=0"), Policy{StaleWhileRevalidate: time.Minute}, true, ""},
		{"§5.2.2.4 no-cache responses are stored, to be revalidated", "GET", nil, 200, hdr("Cache-Control", "no-cache", "ETag", `"a"`), Policy{}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, reason := Storable(tt.method, tt.req, tt.status, tt.resp, t0, tt.p)
			if ok != tt.wantOK || reason != tt.wantReason {
				t.Errorf("got %v, %q, want %v, %q", ok, reason, tt.wantOK, tt.wantReason)
			}
		})
	}
}

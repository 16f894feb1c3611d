package rfc9111

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func TestInvalidates(t *testing.T) {
	tests := []struct {
		name   string
		method string
		status int
		want   bool
	}{
		{"§4.4 POST 200 invalidates", "POST", 200, true},
		{"§4.4 PUT 201 invalidates", "PUT", 201, true},
		{"§4.4 PATCH 204 invalidates", "PATCH", 204, true},
		{"§4.4 DELETE 303 invalidates", "DELETE", 303, true},
		{"§4.4 an unknown method invalidates", "PURGE", 200, true},
		{"§4.4 a lower-case method is unknown, so unsafe", "get", 200, true},
		{"§4.4 an error status does not invalidate", "POST", 500, false},
		{"§4.4 a client error does not invalidate", "DELETE", 404, false},
		{"§4.4 a 1xx does not invalidate", "POST", 100, false},
		{"§4.4 GET is safe", "GET", 200, false},
		{"§4.4 HEAD is safe", "HEAD", 200, false},
		{"§4.4 OPTIONS is safe", "OPTIONS", 200, false},
		{"§4.4 TRACE is safe", "TRACE", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Invalidates(tt.method, tt.status); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInvalidationTargets(t *testing.T) {
	tests := []struct {
		name   string
		target string
		h      http.Header
		want   []string
	}{
		{"§4.4 the target URI alone", "https://example.com/a?x=1", nil, []string{"https://example.com/a?x=1"}},
		{"§4.4 a relative Location is resolved against the target", "https://example.com/items/", hdr("Location", "42"),
			[]string{"https://example.com/items/", "https://example.com/items/42"}},
		{"§4.4 an absolute same-origin Location", "https://example.com/items", hdr("Location", "https://EXAMPLE.com:443/items/42"),
			[]string{"https://example.com/items", "https://EXAMPLE.com:443/items/42"}},
		{"§4.4 a Location of another host is not invalidated", "https://example.com/items", hdr("Location", "https://evil.example/items/42"),
			[]string{"https://example.com/items"}},
		{"§4.4 a Location of another scheme is not invalidated", "https://example.com/items", hdr("Location", "http://example.com/items/42"),
			[]string{"https://example.com/items"}},
		{"§4.4 a Location of another port is not invalidated", "https://example.com/items", hdr("Location", "https://example.com:8443/items/42"),
			[]string{"https://example.com/items"}},
		{"§4.4 a scheme-relative Location of another host is not invalidated", "https://example.com/items", hdr("Location", "//evil.example/x"),
			[]string{"https://example.com/items"}},
		{"§4.4 Content-Location too", "https://example.com/items", hdr("Content-Location", "/items/42.json", "Location", "/items/42"),
			[]string{"https://example.com/items", "https://example.com/items/42", "https://example.com/items/42.json"}},
		{"§4.4 a Location equal to the target is listed once", "https://example.com/items", hdr("Location", "/items#top"),
			[]string{"https://example.com/items"}},
		{"§4.4 fragments are dropped", "https://example.com/items#x", hdr("Location", "/a#b"),
			[]string{"https://example.com/items", "https://example.com/a"}},
		{"§4.4 an unparsable Location is skipped", "https://example.com/items", hdr("Location", "http://[::1"),
			[]string{"https://example.com/items"}},
		{"§4.4 a host-less target keeps relative references", "/items/", hdr("Location", "42", "Content-Location", "https://example.com/items/42"),
			[]string{"/items/", "/items/42"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, err := url.Parse(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range InvalidationTargets(target, tt.h) {
				got = append(got, u.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if target.String() != tt.target {
				t.Errorf("got target changed to %q, want %q", target, tt.target)
			}
		})
	}
	if got := InvalidationTargets(nil, nil); got != nil {
		t.Errorf("nil target: got %v, want nil", got)
	}
}

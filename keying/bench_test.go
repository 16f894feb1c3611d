package keying

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func BenchmarkKey(b *testing.B) {
	k := New(Options{IgnoreQuery: []string{"utm_*", "fbclid"}})
	r := httptest.NewRequest(http.MethodGet, "/docs/page?lang=en", nil)
	r.Header.Set("Accept-Encoding", "gzip, deflate, br")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := k.Key(r); !ok {
			b.Fatal("Key: got ok=false, want true")
		}
	}
}

func BenchmarkURLKey(b *testing.B) {
	k := New(Options{IgnoreQuery: []string{"utm_*", "fbclid"}})
	u := &url.URL{Scheme: "https", Host: "example.com", Path: "/docs/page", RawQuery: "lang=en"}
	b.ReportAllocs()
	for b.Loop() {
		k.URLKey(u)
	}
}

func BenchmarkVariantKey(b *testing.B) {
	k := New(Options{})
	h := http.Header{"Accept-Encoding": {"gzip, deflate, br"}, "Accept-Language": {"en-US,en;q=0.9"}}
	vary := []string{"Accept-Encoding"}
	primary := "GET http://example.com/docs/page?lang=en"
	b.ReportAllocs()
	for b.Loop() {
		k.VariantKey(primary, vary, h)
	}
}

package keying_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/plugcache/plugcache/keying"
)

func ExampleNew() {
	k := keying.New(keying.Options{
		IgnoreQuery: []string{"utm_*", "fbclid"},
		Headers:     []string{"x-tenant"},
	})
	r := httptest.NewRequest(http.MethodGet, "https://Example.COM:443/docs/a?utm_source=mail&y=2&x=1", nil)
	primary, _ := k.Key(r)
	fmt.Println(primary)
	fmt.Println(k.URLKey(&url.URL{Scheme: "https", Host: "example.com", Path: "/docs/a", RawQuery: "x=1&y=2"}))
	// Output:
	// GET https://example.com/docs/a?x=1&y=2
	// GET https://example.com/docs/a?x=1&y=2
}

func ExampleKeyer_Key() {
	k := keying.New(keying.Options{})
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/docs/%7Euser?lang=en&q=a+b", nil),
		httptest.NewRequest(http.MethodHead, "/docs/~user?q=a%20b&lang=en", nil),
		httptest.NewRequest(http.MethodPost, "/docs/a%2fb", nil),
	} {
		key, ok := k.Key(r)
		fmt.Println(key, ok)
	}
	// Output:
	// GET http://example.com/docs/~user?lang=en&q=a+b true
	// GET http://example.com/docs/~user?lang=en&q=a+b true
	// POST http://example.com/docs/a%2Fb true
}

func ExampleKeyer_VariantKey() {
	k := keying.New(keying.Options{Cookies: []string{"session"}})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "GZIP, br;q=0.9")
	r.Header.Set("Cookie", "theme=dark; session=abc")

	resp := http.Header{"Vary": {"accept-encoding, Accept-Language"}}
	names, star := keying.ParseVary(resp)
	fmt.Println(names, star)

	primary, _ := k.Key(r)
	fmt.Println(k.VariantKey(primary, names, r.Header))
	// Output:
	// [Accept-Encoding Accept-Language] false
	// GET http://example.com/ Accept-Encoding=br;q=0.9,gzip Accept-Language cookie:session=abc
}

func ExampleParseVary() {
	names, star := keying.ParseVary(http.Header{"Vary": {"Origin, accept-encoding", "Accept-Encoding, *"}})
	fmt.Println(names, star)
	// Output:
	// [Accept-Encoding Origin] true
}

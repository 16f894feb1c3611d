package keying

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"testing"
	"unicode/utf8"
)

func FuzzKey(f *testing.F) {
	f.Add("GET", "/docs/page?lang=en", "example.com", "Accept-Encoding", "gzip, br", false)
	f.Add("POST", "https://Example.com:443/a%2Fb?a=1&a=&b", "example.com:443", "X-Tenant", "t 1", true)
	f.Add("HEAD", "*", "[::1]:80", "Cookie", "s=1; s=2", false)
	f.Add("G\x00T", "/%zz?%zz=%&&=#frag", "h\xff", "x\x01", "\x7f\xc3", false)
	f.Add("", "/"+string(make([]byte, 300)), "", "Accept", "", true)
	k := New(Options{IgnoreQuery: []string{"utm_*", "x"}, Headers: []string{"X-Tenant"}, Cookies: []string{"s"}})
	f.Fuzz(func(t *testing.T, method, target, host, field, value string, https bool) {
		u, err := url.Parse(target)
		if err != nil {
			u = &url.URL{Path: target}
		}
		h := http.Header{field: {value}, "Cookie": {value}}
		r := &http.Request{Method: method, URL: u, Host: host, Header: h}
		if https {
			r.TLS = &tls.ConnectionState{}
		}
		key, ok := k.Key(r)
		if !ok {
			t.Fatalf("Key: got ok=false, want true")
		}
		checkKey(t, "Key", key)
		if again, _ := k.Key(r); again != key {
			t.Fatalf("Key again: got %q, want %q", again, key)
		}

		vary, _ := ParseVary(http.Header{"Vary": {field}})
		variant := k.VariantKey(key, vary, h)
		checkKey(t, "VariantKey", variant)
		if again := k.VariantKey(key, vary, h); again != variant {
			t.Fatalf("VariantKey again: got %q, want %q", again, variant)
		}

		get := &http.Request{Method: http.MethodGet, URL: u, Header: h}
		want, _ := k.Key(get)
		if got := k.URLKey(u); got != want {
			t.Fatalf("URLKey(%q): got %q, want %q", u, got, want)
		}
	})
}

// checkKey fails t unless key is short, valid UTF-8 and free of control
// characters.
func checkKey(t *testing.T, name, key string) {
	t.Helper()
	if len(key) > maxKeyLen || !utf8.ValidString(key) {
		t.Fatalf("%s: got %q (%d bytes), want valid UTF-8 of at most %d bytes", name, key, len(key), maxKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] == 0x7f {
			t.Fatalf("%s: got %q, want no control character", name, key)
		}
	}
}

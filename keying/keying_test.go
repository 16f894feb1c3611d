package keying

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// request returns a server-side request for target, as net/http's server
// builds it, with its Host set to host when host is not empty.
func request(method, target, host string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if host != "" {
		r.Host = host
	}
	return r
}

func TestKeyLayout(t *testing.T) {
	tlsRequest := request("GET", "/docs/a?y=2&x=1", "example.com")
	tlsRequest.TLS = &tls.ConnectionState{}
	tests := []struct {
		name string
		opts Options
		r    *http.Request
		want string
	}{
		{"a short key is readable", Options{}, tlsRequest, "GET https://example.com/docs/a?x=1&y=2"},
		{"without TLS the scheme is http", Options{}, request("GET", "/docs", ""), "GET http://example.com/docs"},
		{"a proxy request keeps its URL's scheme and host", Options{}, request("GET", "https://Origin.example/x", ""), "GET https://origin.example/x"},
		{"the host is lower-cased", Options{}, request("GET", "/", "EXAMPLE.com"), "GET http://example.com/"},
		{"default port is dropped", Options{}, request("GET", "/", "example.com:80"), "GET http://example.com/"},
		{"an empty port is dropped", Options{}, request("GET", "/", "example.com:"), "GET http://example.com/"},
		{"the https port is kept for http", Options{}, request("GET", "/", "example.com:443"), "GET http://example.com:443/"},
		{"default port of an IPv6 host is dropped", Options{}, request("GET", "/", "[::1]:80"), "GET http://[::1]/"},
		{"a bare IPv6 host keeps its last group", Options{}, request("GET", "/", "::80"), "GET http://::80/"},
		{"HEAD shares GET's key", Options{}, request("HEAD", "/a", ""), "GET http://example.com/a"},
		{"POST gets its own key", Options{}, request("POST", "/a", ""), "POST http://example.com/a"},
		{"methods are case-sensitive", Options{}, request("get", "/a", ""), "get http://example.com/a"},
		{"OPTIONS * is marked", Options{}, request("OPTIONS", "*", ""), "OPTIONS http://example.com@*"},
		{"%7E in the path is ~", Options{}, request("GET", "/%7Euser/%41", ""), "GET http://example.com/~user/A"},
		{"%2F in the path is not a slash", Options{}, request("GET", "/a%2fb", ""), "GET http://example.com/a%2Fb"},
		{"sub-delimiters in the path stay encoded", Options{}, request("GET", "/a%2Cb,c", ""), "GET http://example.com/a%2Cb,c"},
		{"dot segments are kept", Options{}, request("GET", "/a/../b", ""), "GET http://example.com/a/../b"},
		{"Headers and Cookies do not join the primary key", Options{Headers: []string{"Accept"}, Cookies: []string{"s"}},
			withHeader(request("GET", "/", ""), "Cookie", "s=1"), "GET http://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := New(tt.opts).Key(tt.r)
			if got != tt.want || !ok {
				t.Errorf("Key: got %q, %v, want %q, true", got, ok, tt.want)
			}
		})
	}
}

func withHeader(r *http.Request, name, value string) *http.Request {
	r.Header.Add(name, value)
	return r
}

func TestKeyEquivalence(t *testing.T) {
	tests := []struct {
		name string
		a, b *http.Request
		same bool
	}{
		{"query parameter order does not matter", request("GET", "/?a=1&b=2", ""), request("GET", "/?b=2&a=1", ""), true},
		{"the order of a repeated parameter matters: handlers read the first", request("GET", "/?a=1&a=2", ""), request("GET", "/?a=2&a=1", ""), false},
		{"+ and %20 in the query meet", request("GET", "/?q=a+b", ""), request("GET", "/?q=a%20b", ""), true},
		{"%41 and A in the query meet", request("GET", "/?q=%41", ""), request("GET", "/?q=A", ""), true},
		{"%7E and ~ in the path meet", request("GET", "/%7e", ""), request("GET", "/~", ""), true},
		{"hex case in the path does not matter", request("GET", "/a%2fb", ""), request("GET", "/a%2Fb", ""), true},
		{"HEAD shares GET's key", request("HEAD", "/a", ""), request("GET", "/a", ""), true},
		{"default port is dropped", request("GET", "/", "example.com:80"), request("GET", "/", "example.com"), true},
		{"headers do not change the primary key", withHeader(request("GET", "/", ""), "Accept", "x"), request("GET", "/", ""), true},
		{"POST gets its own key", request("POST", "/a", ""), request("GET", "/a", ""), false},
		{"PUT and POST differ", request("PUT", "/a", ""), request("POST", "/a", ""), false},
		{"%2F in the path is not a slash", request("GET", "/a%2Fb", ""), request("GET", "/a/b", ""), false},
		{"%2C in the path is not a comma", request("GET", "/a%2Cb", ""), request("GET", "/a,b", ""), false},
		{"a trailing slash matters", request("GET", "/a/", ""), request("GET", "/a", ""), false},
		{"path case matters", request("GET", "/A", ""), request("GET", "/a", ""), false},
		{"a parameter without = differs from an empty one", request("GET", "/?a", ""), request("GET", "/?a=", ""), false},
		{"an encoded & is not a separator", request("GET", "/?a=1%26b=2", ""), request("GET", "/?a=1&b=2", ""), false},
		{"an encoded = is not a separator", request("GET", "/?a%3D1", ""), request("GET", "/?a=1", ""), false},
		{"an encoded + is not a space", request("GET", "/?a=%2B", ""), request("GET", "/?a=+", ""), false},
		{"a semicolon is not a separator", request("GET", "/?a=1;b=2", ""), request("GET", "/?a=1&b=2", ""), false},
		{"a non-default port matters", request("GET", "/", "example.com:8080"), request("GET", "/", "example.com"), false},
		{"hosts differ", request("GET", "/", "a.example"), request("GET", "/", "b.example"), false},
		{"schemes differ", request("GET", "https://example.com/", ""), request("GET", "http://example.com/", ""), false},
		{"a stray % differs from an encoded one", request("GET", "/?a=%25zz", ""), request("GET", "/?a=%zz", ""), false},
	}
	k := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := k.Key(tt.a)
			b, _ := k.Key(tt.b)
			if same := a == b; same != tt.same {
				t.Errorf("keys %q and %q: got same=%v, want same=%v", a, b, same, tt.same)
			}
		})
	}
}

func TestURLKeyMatchesKey(t *testing.T) {
	k := New(Options{IgnoreQuery: []string{"utm_*"}, Headers: []string{"Accept-Language"}, Cookies: []string{"s"}})
	tests := []struct {
		name string
		url  string
		r    *http.Request
	}{
		{"a plain GET", "http://example.com/docs", request("GET", "/docs", "")},
		{"a HEAD", "http://example.com/docs", request("HEAD", "/docs", "")},
		{"a TLS request", "https://example.com/docs?a=1", tlsRequest(request("GET", "/docs?a=1", ""))},
		{"an absolute-form request", "https://example.com/docs", request("GET", "https://example.com/docs", "")},
		{"a URL without a scheme is http", "//example.com/docs", request("GET", "/docs", "")},
		{"the URL's host is normalised", "http://EXAMPLE.com:80/docs", request("GET", "/docs", "example.com")},
		{"an empty path is /", "http://example.com", request("GET", "/", "")},
		{"the query is normalised", "http://example.com/?b=%7E&a=1&utm_source=x", request("GET", "/?a=1&b=~", "")},
		{"headers and cookies do not matter", "http://example.com/",
			withHeader(withHeader(request("GET", "/", ""), "Accept-Language", "de"), "Cookie", "s=1")},
		{"a client request", "https://example.com/a%2Fb?x", clientRequest("https://example.com/a%2Fb?x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatalf("url.Parse(%q): got error %v, want nil", tt.url, err)
			}
			want, _ := k.Key(tt.r)
			if got := k.URLKey(u); got != want {
				t.Errorf("URLKey(%q): got %q, want %q", tt.url, got, want)
			}
		})
	}
}

func tlsRequest(r *http.Request) *http.Request {
	r.TLS = &tls.ConnectionState{}
	return r
}

func clientRequest(target string) *http.Request {
	r, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		panic(err)
	}
	return r
}

func TestFunc(t *testing.T) {
	long := strings.Repeat("k", 300)
	tests := []struct {
		name   string
		fn     func(*http.Request) (string, bool)
		want   string
		wantOK bool
		urlKey string
	}{
		{"Func replaces the key", func(r *http.Request) (string, bool) { return "page:" + r.URL.Path, true }, "page:/a", true, "page:/a"},
		{"Func can leave a request uncached", func(*http.Request) (string, bool) { return "x", false }, "", false, ""},
		{"a long Func key is shortened", func(*http.Request) (string, bool) { return long, true }, shorten(long), true, shorten(long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := New(Options{Func: tt.fn, IgnoreQuery: []string{"*"}})
			got, ok := k.Key(request("GET", "/a?x=1", ""))
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Key: got %q, %v, want %q, %v", got, ok, tt.want, tt.wantOK)
			}
			if got := k.URLKey(&url.URL{Scheme: "http", Host: "example.com", Path: "/a"}); got != tt.urlKey {
				t.Errorf("URLKey: got %q, want %q", got, tt.urlKey)
			}
		})
	}
}

func TestNewPanicsOnEmptyNames(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"an empty header name", Options{Headers: []string{"Accept", ""}}, "keying: Options.Headers[1] is empty"},
		{"an empty cookie name", Options{Cookies: []string{""}}, "keying: Options.Cookies[0] is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover(); got != tt.want {
					t.Errorf("New: got panic %v, want %q", got, tt.want)
				}
			}()
			New(tt.opts)
		})
	}
}

func TestNewDoesNotModifyOptions(t *testing.T) {
	o := Options{Headers: []string{"x-b", "x-a"}, Cookies: []string{"b", "a"}, IgnoreQuery: []string{"z", "a*"}}
	New(o)
	if got, want := strings.Join(o.Headers, ",")+";"+strings.Join(o.Cookies, ",")+";"+strings.Join(o.IgnoreQuery, ","), "x-b,x-a;b,a;z,a*"; got != want {
		t.Errorf("Options after New: got %s, want %s", got, want)
	}
}

func TestZeroKeyerIsNewOfZeroOptions(t *testing.T) {
	var zero Keyer
	r := request("GET", "/a?b=1&a=2", "")
	got, _ := zero.Key(r)
	want, _ := New(Options{}).Key(r)
	if got != want {
		t.Errorf("zero Keyer's Key: got %q, want %q", got, want)
	}
}

func TestConcurrentUse(t *testing.T) {
	k := New(Options{IgnoreQuery: []string{"utm_*"}, Headers: []string{"X-Tenant"}, Cookies: []string{"s"}})
	want := "GET http://example.com/a?x=1 Accept-Encoding=br,gzip X-Tenant=t cookie:s=1"
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				r := request("GET", "/a?utm_source=m&x=1", "")
				r.Header.Set("Accept-Encoding", "gzip, br")
				r.Header.Set("X-Tenant", "t")
				r.Header.Set("Cookie", "s=1")
				primary, _ := k.Key(r)
				if got := k.VariantKey(primary, []string{"Accept-Encoding"}, r.Header); got != want {
					t.Errorf("VariantKey: got %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

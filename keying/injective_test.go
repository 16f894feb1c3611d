package keying

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The lists below hold near-collisions: parts that differ only in separators,
// escapes, empty values and repetition. No two entries of a list are
// equivalent, so every combination must get a key of its own.
var (
	nearMethods = []string{"GET", "POST", "get", "GET ", "G ET", "GET%20", "GET#", "PUT"}
	nearHosts   = []string{
		"example.com", "example.com:8080", "example.com.", "example.co", "m.example.com",
		"[::1]", "[::1]:8080", "a@b", "a/b", "a%2Fb", "a b", "a?b", "a#b", "é",
	}
	nearPaths = []string{
		"/", "/a", "/a/", "//a", "/a/b", "/a%2Fb", "/a%252Fb", "/a%3Fb", "/a%20b", "/a+b",
		"/a%2Bb", "/a%23b", "/a@b", "/a%40b", "/@a", "/a%25", "/%C3%A9", "*", "/*",
	}
	nearQueries = []string{
		"", "a", "a=", "a=1", "a=1&b=2", "a=1%26b%3D2", "a=1&b%3D2", "a%3D1&b=2",
		"a=1%2Bb", "a=1+b", "a=&b", "a&b=", "a=b=c", "a%3Db=c", "a=1&a=2", "a=1,2",
		"a=1;b=2", "a%26b", "a&b", "=a", "a=%", "a=%25", "a=%zz", "a=%21%25zz",
		"a=%21zz", "a=%2", "b=1&a", "a=1&a=1", "a=1&a", "a#=1", "a=%23",
	}
)

func TestPrimaryKeysAreDistinct(t *testing.T) {
	k := New(Options{})
	seen := make(map[string]string)
	for _, method := range nearMethods {
		for _, host := range nearHosts {
			for _, path := range nearPaths {
				for _, query := range nearQueries {
					for _, https := range []bool{false, true} {
						u := &url.URL{Path: path, RawQuery: query}
						if p, err := url.PathUnescape(path); err == nil {
							u.Path, u.RawPath = p, path
						}
						r := &http.Request{Method: method, URL: u, Host: host, Header: http.Header{}}
						if https {
							r.TLS = &tls.ConnectionState{}
						}
						desc := strings.Join([]string{method, host, path, query}, " | ")
						if https {
							desc += " | TLS"
						}
						key, _ := k.Key(r)
						if other, ok := seen[key]; ok {
							t.Fatalf("Key(%s): got %q, the key of %s, want a key of its own", desc, key, other)
						}
						seen[key] = desc
					}
				}
			}
		}
	}
}

// nearValues are header values, as lines, that differ only in separators and
// escapes; nil is a missing header.
var nearValues = [][]string{
	nil, {""}, {"1"}, {"1 X-B"}, {"1 X-B=2"}, {"1 X-B="}, {"1%20X-B=2"}, {"1", "X-B=2"},
	{"1 cookie:s=1"}, {"1 cookie:s"}, {"="}, {"=1"}, {"%"}, {"%25"}, {"#"}, {"a#b"}, {"\x01"}, {"é"},
	{"a,b"}, {"a", ""}, {"", "a"}, {"a;b"},
}

func TestVariantKeysAreDistinct(t *testing.T) {
	k := New(Options{Cookies: []string{"s"}})
	// The cookies differ in s, except those marked, which differ from an
	// earlier one only in other cookies: they count only when Vary names Cookie.
	cookies := []struct {
		line      string
		otherOnly bool
	}{
		{"", false}, {"s=", false}, {`s=""`, false}, {"s=1", false}, {"s=1; s=2", false}, {"s=1 s=2", false},
		{"s=1%20s=2", false}, {"s=1 cookie:s=2", false}, {"s=1,t=2", false}, {"s=;s", false},
		{"t=1", true}, {"s=1;t=2", true}, {"s=1; t=2", true}, {"t=1; s=1", true},
	}
	varies := [][]string{nil, {"X-A"}, {"X-B"}, {"X-A", "X-B"}, {"Cookie"}}
	var primaries []string
	for _, target := range []string{"/", "/a", "/?a", "/?a=X-A", "/" + strings.Repeat("p", 300)} {
		key, _ := k.Key(request(http.MethodGet, target, ""))
		primaries = append(primaries, key)
	}
	seen := make(map[string]string)
	for _, primary := range primaries {
		for _, vary := range varies {
			for ai, a := range nearValues {
				for bi, b := range nearValues {
					for _, cookie := range cookies {
						h := http.Header{}
						if a != nil {
							h["X-A"] = a
						}
						if b != nil {
							h["X-B"] = b
						}
						if cookie.line != "" {
							h["Cookie"] = []string{cookie.line}
						}
						// Headers that vary does not name cannot change the key:
						// only the first of each set of such combinations counts,
						// and other cookies count only when vary names Cookie.
						if !contains(vary, "X-A") && ai > 0 || !contains(vary, "X-B") && bi > 0 ||
							!contains(vary, "Cookie") && cookie.otherOnly {
							continue
						}
						desc := fmt.Sprintf("primary %q, vary %q, X-A %q, X-B %q, Cookie %q", primary, vary, a, b, cookie.line)
						key := k.VariantKey(primary, vary, h)
						if other, ok := seen[key]; ok {
							t.Fatalf("VariantKey(%s): got %q, the key of %s, want a key of its own", desc, key, other)
						}
						seen[key] = desc
					}
				}
			}
		}
	}
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

package keying

import (
	"net/url"
	"testing"
)

func TestQuery(t *testing.T) {
	tests := []struct {
		name   string
		ignore []string
		raw    string
		want   string
	}{
		{"no query is nothing", nil, "", ""},
		{"query parameter order does not matter", nil, "b=2&a=1", "?a=1&b=2"},
		{"parameters are sorted by name, and a repeated name keeps its order", nil, "b=2&a=2&a=1", "?a=2&a=1&b=2"},
		{"a name without = differs from an empty value", nil, "b&a=&c", "?a=&b&c"},
		{"a repeated name keeps its order with or without =", nil, "a=&a=1&a", "?a=&a=1&a"},
		{"a space is +", nil, "q=a%20b+c", "?q=a+b+c"},
		{"unreserved escapes are decoded", nil, "%7Eq=%41%2d", "?~q=A-"},
		{"hex is upper-cased", nil, "q=%c3%a9", "?q=%C3%A9"},
		{"other bytes are escaped", nil, "q=a/b:c@d!e", "?q=a%2Fb%3Ac%40d%21e"},
		{"an escaped separator stays escaped", nil, "q=a%26b%3Dc%2Bd", "?q=a%26b%3Dc%2Bd"},
		{"a semicolon is not a separator", nil, "a=1;b=2", "?a=1%3Bb%3D2"},
		{"a value may hold =", nil, "a=b=c", "?a=b%3Dc"},
		{"an empty name is kept", nil, "=1", "?=1"},
		{"a stray % is marked", nil, "q=%zz", "?q=!%25zz"},
		{"a truncated escape is marked", nil, "q%2=1", "?!q%252=1"},
		{"an empty pair is dropped", nil, "&x=1&&", "?x=1"},
		{"a query of empty pairs is nothing", nil, "&&", ""},
		{"ignored utm_* parameters are dropped", []string{"utm_*", "fbclid"}, "utm_source=x&fbclid=1&utm_medium=y&x=1&utm=2", "?utm=2&x=1"},
		{"ignored names match decoded names", []string{"a b", "c~*"}, "a+b=1&a%20b=2&ab=3&c%7Ed=4", "?ab=3"},
		{"ignored names are case-sensitive", []string{"x"}, "X=1&x=2", "?X=1"},
		{"ignoring * drops the query", []string{"*"}, "a=1&b", ""},
		{"many parameters are sorted", nil, "p=1&o=1&n=1&m=1&l=1&k=1&j=1&i=1&h=1&g=1&f=1&e=1&d=1&c=1&b=1&a=1",
			"?a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1&l=1&m=1&n=1&o=1&p=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newIgnoreList(tt.ignore)
			if got := string(l.appendQuery(nil, tt.raw)); got != tt.want {
				t.Errorf("appendQuery(%q): got %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestQueryComponentMatchesNetURL(t *testing.T) {
	for c := range 256 {
		s := string(rune(c))
		if c >= 0x80 {
			s = string([]byte{byte(c)})
		}
		if got, want := string(appendQueryString(nil, s)), url.QueryEscape(s); got != want {
			t.Errorf("appendQueryString(%q): got %q, want %q", s, got, want)
		}
	}
	for _, raw := range []string{"", "a+b", "%41%7e", "%2B+%20", "%c3%A9", "a%26b%3D", "~!*()'", "%", "%4", "%zz", "100%"} {
		decoded, err := url.QueryUnescape(raw)
		want := url.QueryEscape(decoded)
		if err != nil {
			want = "!" + url.QueryEscape(raw)
		}
		if got := string(appendQueryComponent(nil, raw)); got != want {
			t.Errorf("appendQueryComponent(%q): got %q, want %q", raw, got, want)
		}
	}
}

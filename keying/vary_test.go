package keying

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

const primary = "GET http://example.com/"

func TestVariantKey(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		vary []string
		h    http.Header
		want string
	}{
		{"no Vary and no Headers keeps the primary key", Options{}, nil, http.Header{"Accept": {"x"}}, primary},
		{"a Vary field joins the key", Options{}, []string{"Accept-Language"}, http.Header{"Accept-Language": {"de"}}, primary + " Accept-Language=de"},
		{"a missing header is the name alone", Options{}, []string{"X-A"}, http.Header{}, primary + " X-A"},
		{"an empty header has an empty value", Options{}, []string{"X-A"}, http.Header{"X-A": {""}}, primary + " X-A="},
		{"a nil header is missing", Options{}, []string{"X-A"}, nil, primary + " X-A"},
		{"header lines are joined with commas", Options{}, []string{"X-A"}, http.Header{"X-A": {"a", " b "}}, primary + " X-A=a,b"},
		{"whitespace is folded and escaped", Options{}, []string{"X-A"}, http.Header{"X-A": {" a \t b  c "}}, primary + " X-A=a%20b%20c"},
		{"RFC 9111 §4.1 lines combine as one list", Options{}, []string{"X-A"}, http.Header{"X-A": {"1", "2"}}, primary + " X-A=1,2"},
		{"RFC 9111 §4.1 whitespace around list commas does not count", Options{}, []string{"X-A"}, http.Header{"X-A": {" 1 ,  2 "}}, primary + " X-A=1,2"},
		{"order within another field is kept", Options{}, []string{"X-A"}, http.Header{"X-A": {"2, 1"}}, primary + " X-A=2,1"},
		{"case of other headers is kept", Options{}, []string{"X-A"}, http.Header{"X-A": {"AbC"}}, primary + " X-A=AbC"},
		{"separators in values are escaped", Options{}, []string{"X-A"}, http.Header{"X-A": {"1 X-B=2 #%\x01é"}},
			primary + " X-A=1%20X-B=2%20%23%25%01%C3%A9"},
		{"Accept-Encoding tokens are lower-cased and sorted", Options{}, []string{"Accept-Encoding"},
			http.Header{"Accept-Encoding": {"GZIP, deflate", "br;q=0.5"}}, primary + " Accept-Encoding=br;q=0.5,deflate,gzip"},
		{"list parameters lose optional whitespace", Options{}, []string{"Accept"},
			http.Header{"Accept": {"text/html ; q = 0.8 , */*;  level=1"}}, primary + " Accept=text/html;q=0.8,*/*;level=1"},
		{"list duplicates and empty elements are dropped", Options{}, []string{"Accept-Encoding"},
			http.Header{"Accept-Encoding": {"gzip,, gzip , br"}}, primary + " Accept-Encoding=br,gzip"},
		{"Accept-Language keeps its order and drops repeats", Options{}, []string{"Accept-Language"},
			http.Header{"Accept-Language": {"fr,, de , fr, en"}}, primary + " Accept-Language=fr,de,en"},
		{"vary names are merged with Headers", Options{Headers: []string{"x-tenant", "Accept"}}, []string{"Accept", "Origin"},
			http.Header{"X-Tenant": {"t1"}}, primary + " Accept Origin X-Tenant=t1"},
		{"Headers join without Vary", Options{Headers: []string{"X-Tenant"}}, nil,
			http.Header{"X-Tenant": {"t1"}}, primary + " X-Tenant=t1"},
		{"a cookie joins the key", Options{Cookies: []string{"session"}}, nil,
			http.Header{"Cookie": {"a=1; session = abc ;b=2"}}, primary + " cookie:session=abc"},
		{"a missing cookie is the name alone", Options{Cookies: []string{"session"}}, nil,
			http.Header{"Cookie": {"a=1"}}, primary + " cookie:session"},
		{"a cookie without = is empty", Options{Cookies: []string{"s"}}, nil,
			http.Header{"Cookie": {"s"}}, primary + " cookie:s="},
		{"a repeated cookie joins each time", Options{Cookies: []string{"s", "a"}}, nil,
			http.Header{"Cookie": {"s=1; a=x", "s=2"}}, primary + " cookie:a=x cookie:s=1 cookie:s=2"},
		{"cookie names are case-sensitive", Options{Cookies: []string{"s"}}, nil,
			http.Header{"Cookie": {"S=1"}}, primary + " cookie:s"},
		{"unsorted vary names are canonicalised", Options{}, []string{"x-b", "X-A", "x-a"},
			http.Header{"X-A": {"1"}}, primary + " X-A=1 X-B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.opts).VariantKey(primary, tt.vary, tt.h); got != tt.want {
				t.Errorf("VariantKey: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVariantKeyEquivalence(t *testing.T) {
	tests := []struct {
		name string
		vary []string
		a, b http.Header
		same bool
	}{
		{"Accept-Encoding token order and case do not matter", []string{"Accept-Encoding"},
			http.Header{"Accept-Encoding": {"gzip, br"}}, http.Header{"Accept-Encoding": {"BR,GZIP"}}, true},
		{"Accept-Encoding lines and commas meet", []string{"Accept-Encoding"},
			http.Header{"Accept-Encoding": {"gzip", "br"}}, http.Header{"Accept-Encoding": {"br, gzip"}}, true},
		{"q-values stay with their token", []string{"Accept-Encoding"},
			http.Header{"Accept-Encoding": {"gzip;q=0.5, br"}}, http.Header{"Accept-Encoding": {"gzip, br;q=0.5"}}, false},
		{"Accept-Language order matters: it may be the priority (RFC 9110 §12.5.4)", []string{"Accept-Language"},
			http.Header{"Accept-Language": {"en, fr"}}, http.Header{"Accept-Language": {"fr, en"}}, false},
		{"Accept-Language case and spacing do not matter", []string{"Accept-Language"},
			http.Header{"Accept-Language": {"en-US, de"}}, http.Header{"Accept-Language": {"en-us,de"}}, true},
		{"a missing header differs from an empty one", []string{"X-A"}, http.Header{}, http.Header{"X-A": {""}}, false},
		{"a missing list header differs from an empty one", []string{"Accept"}, http.Header{}, http.Header{"Accept": {""}}, false},
		{"surrounding whitespace does not matter", []string{"X-A"}, http.Header{"X-A": {"  a"}}, http.Header{"X-A": {"a "}}, true},
		{"repeated whitespace does not matter", []string{"X-A"}, http.Header{"X-A": {"a  \tb"}}, http.Header{"X-A": {"a b"}}, true},
		{"inner whitespace matters", []string{"X-A"}, http.Header{"X-A": {"a b"}}, http.Header{"X-A": {"ab"}}, false},
		{"case of other headers matters", []string{"X-A"}, http.Header{"X-A": {"a"}}, http.Header{"X-A": {"A"}}, false},
		{"a value holding the separator differs from two fields", []string{"X-A", "X-B"},
			http.Header{"X-A": {"1 X-B=2"}}, http.Header{"X-A": {"1"}, "X-B": {"2"}}, false},
		{"an escaped space differs from a space", []string{"X-A"}, http.Header{"X-A": {"a%20b"}}, http.Header{"X-A": {"a b"}}, false},
		{"other headers do not matter", []string{"X-A"}, http.Header{"X-A": {"1"}}, http.Header{"X-A": {"1"}, "X-B": {"2"}}, true},
	}
	k := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := k.VariantKey(primary, tt.vary, tt.a), k.VariantKey(primary, tt.vary, tt.b)
			if same := a == b; same != tt.same {
				t.Errorf("keys %q and %q: got same=%v, want same=%v", a, b, same, tt.same)
			}
		})
	}
}

func TestVariantKeyIsShort(t *testing.T) {
	k := New(Options{})
	h := http.Header{"X-A": {strings.Repeat("a", 300)}}
	got := k.VariantKey(primary, []string{"X-A"}, h)
	if len(got) != hashedKeyLen || !strings.HasPrefix(got, primary+" X-A=aaa") {
		t.Errorf("VariantKey: got %q (%d bytes), want %d bytes starting %q", got, len(got), hashedKeyLen, primary+" X-A=aaa")
	}
}

func TestVariantKeyDoesNotModifyVary(t *testing.T) {
	vary := []string{"x-b", "X-A"}
	New(Options{}).VariantKey(primary, vary, nil)
	if got, want := strings.Join(vary, ","), "x-b,X-A"; got != want {
		t.Errorf("vary after VariantKey: got %s, want %s", got, want)
	}
}

func TestParseVary(t *testing.T) {
	tests := []struct {
		name      string
		lines     []string
		wantNames []string
		wantStar  bool
	}{
		{"no Vary names nothing", nil, nil, false},
		{"names are canonical and sorted", []string{"origin, accept-encoding"}, []string{"Accept-Encoding", "Origin"}, false},
		{"duplicates across lines and case are removed", []string{"Accept", "ACCEPT, accept"}, []string{"Accept"}, false},
		{"* is reported, not named", []string{"*, Accept"}, []string{"Accept"}, true},
		{"* alone", []string{" * "}, nil, true},
		{"empty elements are skipped", []string{", ,Accept,,"}, []string{"Accept"}, false},
		{"a name that is not a token is lower-cased", []string{"X A", "x a"}, []string{"x a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, star := ParseVary(http.Header{"Vary": tt.lines})
			if !slices.Equal(names, tt.wantNames) || star != tt.wantStar {
				t.Errorf("ParseVary(%q): got %q, %v, want %q, %v", tt.lines, names, star, tt.wantNames, tt.wantStar)
			}
		})
	}
}

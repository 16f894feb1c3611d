package rfc9111

import (
	"net/http"
	"reflect"
	"testing"
)

func TestParseDirectives(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want Directives
	}{
		{"§5.2 no Cache-Control is the zero Directives", nil, Directives{}},
		{"§5.2 every boolean directive", hdr("Cache-Control", "no-store, no-cache, private, public, must-revalidate, proxy-revalidate, only-if-cached, no-transform, immutable, must-understand"),
			Directives{NoStore: true, NoCache: true, Private: true, Public: true, MustRevalidate: true, ProxyRevalidate: true, OnlyIfCached: true, NoTransform: true, Immutable: true, MustUnderstand: true}},
		{"§5.2 names compare case-insensitively", hdr("Cache-Control", "MAX-AGE=60, No-Store, S-MaxAge=5"),
			Directives{NoStore: true, MaxAge: delta(60), SMaxAge: delta(5)}},
		{"§5.2 multiple Cache-Control lines combine", hdr("Cache-Control", "public", "Cache-Control", "max-age=60"),
			Directives{Public: true, MaxAge: delta(60)}},
		{"§5.2 whitespace and empty list elements are skipped", hdr("Cache-Control", " , public ,,\tmax-age = 60 , "),
			Directives{Public: true, MaxAge: delta(60)}},
		{"§5.2 quoted max-age=\"60\" is accepted", hdr("Cache-Control", `max-age="60"`), Directives{MaxAge: delta(60)}},
		{"§5.2.2.1 max-age=0 is set and zero", hdr("Cache-Control", "max-age=0"), Directives{MaxAge: delta(0)}},
		{"§1.2.2 leading zeros are digits", hdr("Cache-Control", "max-age=0060"), Directives{MaxAge: delta(60)}},
		{"§4.2.1 negative max-age reads as stale", hdr("Cache-Control", "max-age=-1"), Directives{MaxAge: delta(0)}},
		{"§4.2.1 non-numeric max-age reads as stale", hdr("Cache-Control", "max-age=soon"), Directives{MaxAge: delta(0)}},
		{"§4.2.1 max-age without a value reads as stale", hdr("Cache-Control", "max-age"), Directives{MaxAge: delta(0)}},
		{"§4.2.1 max-age with trailing junk reads as stale", hdr("Cache-Control", "max-age=60 s, public"), Directives{Public: true, MaxAge: delta(0)}},
		{"§4.2.1 conflicting max-age duplicates read as stale", hdr("Cache-Control", "max-age=60", "Cache-Control", "max-age=30"), Directives{MaxAge: delta(0)}},
		{"§4.2.1 an invalid max-age duplicate reads as stale", hdr("Cache-Control", "max-age=soon, max-age=60"), Directives{MaxAge: delta(0)}},
		{"§4.2.1 equal max-age duplicates keep the value", hdr("Cache-Control", "max-age=60, max-age=60"), Directives{MaxAge: delta(60)}},
		{"§4.2.1 conflicting s-maxage duplicates read as stale", hdr("Cache-Control", "s-maxage=60, s-maxage=120"), Directives{SMaxAge: delta(0)}},
		{"§1.2.2 a huge max-age saturates at 2147483648", hdr("Cache-Control", "max-age=99999999999999999999999"), Directives{MaxAge: Delta{D: maxDelta, Set: true}}},
		{"§1.2.2 2147483648 itself is kept", hdr("Cache-Control", "max-age=2147483648"), Directives{MaxAge: Delta{D: maxDelta, Set: true}}},
		{"§5.2.2.4 qualified no-cache lists canonical field names", hdr("Cache-Control", `no-cache="set-cookie, x-foo"`),
			Directives{NoCacheFields: []string{"Set-Cookie", "X-Foo"}}},
		{"§5.2.2.4 token-form qualified no-cache", hdr("Cache-Control", "no-cache=set-cookie"), Directives{NoCacheFields: []string{"Set-Cookie"}}},
		{"§5.2.2.4 empty qualified no-cache reads as unqualified", hdr("Cache-Control", `no-cache=""`), Directives{NoCache: true}},
		{"§5.2.2.4 qualified and unqualified no-cache together", hdr("Cache-Control", `no-cache, no-cache="X-A"`),
			Directives{NoCache: true, NoCacheFields: []string{"X-A"}}},
		{"§5.2.2.7 qualified private keeps the comma inside quotes", hdr("Cache-Control", `private="X-A, X-B", max-age=5`),
			Directives{PrivateFields: []string{"X-A", "X-B"}, MaxAge: delta(5)}},
		{"§5.2 quoted-pair escapes are resolved", hdr("Cache-Control", `private="X-\A", public`), Directives{PrivateFields: []string{"X-A"}, Public: true}},
		{"§5.2 an unterminated quoted string runs to the end", hdr("Cache-Control", `no-cache="Set-Cookie`), Directives{NoCacheFields: []string{"Set-Cookie"}}},
		{"§5.2.1.2 max-stale without a value accepts any staleness", hdr("Cache-Control", "max-stale"), Directives{MaxStaleAny: true}},
		{"§5.2.1.2 max-stale=N", hdr("Cache-Control", "max-stale=30"), Directives{MaxStale: delta(30)}},
		{"§5.2.1.2 a valued max-stale beats a bare one", hdr("Cache-Control", "max-stale, max-stale=30"), Directives{MaxStale: delta(30)}},
		{"§5.2.1.2 a bare max-stale after a valued one changes nothing", hdr("Cache-Control", "max-stale=30, max-stale"), Directives{MaxStale: delta(30)}},
		{"§5.2.1.2 an invalid max-stale is ignored", hdr("Cache-Control", "max-stale=-5"), Directives{}},
		{"§5.2.1.2 repeated max-stale keeps the smallest", hdr("Cache-Control", "max-stale=30, max-stale=10"), Directives{MaxStale: delta(10)}},
		{"§5.2.1.3 repeated min-fresh keeps the largest", hdr("Cache-Control", "min-fresh=10, min-fresh=30"), Directives{MinFresh: delta(30)}},
		{"§5.2.1.3 an invalid min-fresh is ignored", hdr("Cache-Control", "min-fresh=x"), Directives{}},
		{"RFC 5861 stale-while-revalidate and stale-if-error", hdr("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=600"),
			Directives{MaxAge: delta(60), StaleWhileRevalidate: delta(30), StaleIfError: delta(600)}},
		{"RFC 5861 repeated stale-while-revalidate keeps the smallest", hdr("Cache-Control", "stale-while-revalidate=60, stale-while-revalidate=5"), Directives{StaleWhileRevalidate: delta(5)}},
		{"RFC 5861 an invalid stale-if-error is ignored", hdr("Cache-Control", "stale-if-error=forever"), Directives{}},
		{"§5.2.3 unknown directives are ignored", hdr("Cache-Control", `community="UCI", foo=bar, baz`), Directives{}},
		{"§5.2 a missing name is ignored", hdr("Cache-Control", "=5, public"), Directives{Public: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseDirectives(tt.h); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRequestDirectives(t *testing.T) {
	tests := []struct {
		name        string
		h           http.Header
		wantNoCache bool
	}{
		{"§5.4 Pragma: no-cache without Cache-Control is no-cache", hdr("Pragma", "no-cache"), true},
		{"§5.4 Pragma no-cache among other pragmas, any case", hdr("Pragma", "foo=bar, NO-CACHE"), true},
		{"§5.4 Pragma is ignored when Cache-Control is present", hdr("Pragma", "no-cache", "Cache-Control", "max-age=10"), false},
		{"§5.4 an empty Cache-Control does not hide Pragma", hdr("Pragma", "no-cache", "Cache-Control", " , "), true},
		{"§5.4 other pragmas are not no-cache", hdr("Pragma", "no-cache-please"), false},
		{"§5.2.1.4 Cache-Control no-cache", hdr("Cache-Control", "no-cache"), true},
		{"§5.2.1 no header", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RequestDirectives(tt.h).NoCache; got != tt.wantNoCache {
				t.Errorf("got NoCache %v, want %v", got, tt.wantNoCache)
			}
		})
	}
}

func FuzzParseDirectives(f *testing.F) {
	for _, s := range []string{
		"max-age=60", `no-cache="Set-Cookie, X-Foo"`, `max-age="60`, "max-stale, max-stale=5",
		"s-maxage=99999999999999999999", `private="\`, ",,=,", "max-age=-1, max-age=1",
	} {
		f.Add(s, "no-cache")
	}
	f.Fuzz(func(t *testing.T, cc, pragma string) {
		h := http.Header{"Cache-Control": {cc}, "Pragma": {pragma}}
		for _, d := range []Directives{ParseDirectives(h), RequestDirectives(h)} {
			for _, v := range []Delta{d.MaxAge, d.SMaxAge, d.MinFresh, d.MaxStale, d.StaleWhileRevalidate, d.StaleIfError} {
				if v.D < 0 || v.D > maxDelta || (!v.Set && v.D != 0) {
					t.Fatalf("ParseDirectives(%q) gave delta %+v, want 0 <= D <= %v", cc, v, maxDelta)
				}
			}
			if d.MaxStaleAny && d.MaxStale.Set {
				t.Fatalf("ParseDirectives(%q) gave both MaxStaleAny and MaxStale", cc)
			}
		}
	})
}

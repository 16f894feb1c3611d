package rfc9111

import (
	"net/http"
	"testing"
	"time"
)

func TestUse(t *testing.T) {
	fresh := Stored{Lifetime: time.Minute, Age: secs(30)}
	stale := Stored{Lifetime: time.Minute, Age: secs(90)} // 30s stale
	tests := []struct {
		name       string
		req        Directives
		s          Stored
		want       Verdict
		wantReason string
	}{
		{"§4.2 a fresh response is served", Directives{}, fresh, Fresh, "fresh"},
		{"§4.2 age equal to the lifetime is stale", Directives{}, Stored{Lifetime: time.Minute, Age: time.Minute}, Revalidate, "stale"},
		{"§4.2 a zero lifetime is stale at once", Directives{}, Stored{}, Revalidate, "stale"},
		{"§5.2.2.4 response no-cache revalidates even when fresh", Directives{}, Stored{Lifetime: time.Minute, NoCache: true}, Revalidate, "no-cache"},
		{"§5.2.1.4 request no-cache revalidates even when fresh", Directives{NoCache: true}, fresh, Revalidate, "request-no-cache"},
		{"§5.2.1.1 request max-age below the age revalidates", Directives{MaxAge: delta(10)}, fresh, Revalidate, "request-max-age"},
		{"§5.2.1.1 request max-age=0 revalidates any aged response", Directives{MaxAge: delta(0)}, fresh, Revalidate, "request-max-age"},
		{"§5.2.1.1 request max-age equal to the age is served", Directives{MaxAge: delta(30)}, fresh, Fresh, "fresh"},
		{"§5.2.1.1 request max-age does not accept a stale response", Directives{MaxAge: delta(600)}, stale, Revalidate, "stale"},
		{"§5.2.1.3 min-fresh beyond the remaining freshness revalidates", Directives{MinFresh: delta(31)}, fresh, Revalidate, "request-min-fresh"},
		{"§5.2.1.3 min-fresh within the remaining freshness is served", Directives{MinFresh: delta(30)}, fresh, Fresh, "fresh"},
		{"§5.2.1.3 min-fresh beats max-stale", Directives{MinFresh: delta(0), MaxStaleAny: true}, stale, Revalidate, "request-min-fresh"},
		{"§5.2.1.2 bare max-stale serves any staleness", Directives{MaxStaleAny: true}, stale, StaleAllowed, "max-stale"},
		{"§5.2.1.2 max-stale at least the staleness is served", Directives{MaxStale: delta(30)}, stale, StaleAllowed, "max-stale"},
		{"§5.2.1.2 max-stale below the staleness revalidates", Directives{MaxStale: delta(29)}, stale, Revalidate, "stale"},
		{"§5.2.2.2 must-revalidate beats max-stale", Directives{MaxStaleAny: true}, Stored{Lifetime: time.Minute, Age: secs(90), MustRevalidate: true}, Revalidate, "must-revalidate"},
		{"§5.2.2.2 must-revalidate does not affect a fresh response", Directives{}, Stored{Lifetime: time.Minute, Age: secs(30), MustRevalidate: true}, Fresh, "fresh"},
		{"RFC 5861 §3 within stale-while-revalidate is served and refreshed", Directives{}, Stored{Lifetime: time.Minute, Age: secs(90), StaleWhileRevalidate: secs(30)}, StaleWhileRevalidate, "stale-while-revalidate"},
		{"RFC 5861 §3 beyond stale-while-revalidate revalidates", Directives{}, Stored{Lifetime: time.Minute, Age: secs(91), StaleWhileRevalidate: secs(30)}, Revalidate, "stale"},
		{"§4.2.4 must-revalidate beats stale-while-revalidate", Directives{}, Stored{Lifetime: time.Minute, Age: secs(90), StaleWhileRevalidate: secs(30), MustRevalidate: true}, Revalidate, "must-revalidate"},
		{"§5.2.1.2 max-stale is preferred to stale-while-revalidate", Directives{MaxStaleAny: true}, Stored{Lifetime: time.Minute, Age: secs(90), StaleWhileRevalidate: secs(30)}, StaleAllowed, "max-stale"},
		{"§5.2.1.4 request no-cache beats stale-while-revalidate", Directives{NoCache: true}, Stored{Lifetime: time.Minute, Age: secs(90), StaleWhileRevalidate: secs(30)}, Revalidate, "request-no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := Use(tt.req, tt.s)
			if got != tt.want || reason != tt.wantReason {
				t.Errorf("got %v, %q, want %v, %q", got, reason, tt.want, tt.wantReason)
			}
		})
	}
}

func TestUsableOnError(t *testing.T) {
	stale := func(sie time.Duration) Stored {
		return Stored{Lifetime: time.Minute, Age: secs(90), StaleIfError: sie} // 30s stale
	}
	tests := []struct {
		name string
		req  Directives
		s    Stored
		want bool
	}{
		{"RFC 5861 §4 within stale-if-error is usable", Directives{}, stale(secs(30)), true},
		{"RFC 5861 §4 beyond stale-if-error is not", Directives{}, stale(secs(29)), false},
		{"RFC 5861 §4 no stale-if-error anywhere is not", Directives{}, stale(0), false},
		{"RFC 5861 §4 the request's stale-if-error allows it", Directives{StaleIfError: delta(60)}, stale(0), true},
		{"RFC 5861 §4 the larger of request and response windows counts", Directives{StaleIfError: delta(5)}, stale(secs(60)), true},
		{"§4.2.4 must-revalidate forbids it", Directives{}, Stored{Lifetime: time.Minute, Age: secs(90), StaleIfError: time.Hour, MustRevalidate: true}, false},
		{"§4.2.4 response no-cache forbids it", Directives{}, Stored{Lifetime: time.Minute, Age: secs(90), StaleIfError: time.Hour, NoCache: true}, false},
		{"§5.2.1.4 request no-cache forbids it", Directives{NoCache: true}, stale(time.Hour), false},
		{"§4.2 a fresh response is usable", Directives{MaxAge: delta(0)}, Stored{Lifetime: time.Minute, Age: secs(30)}, true},
		{"§4.2 a fresh must-revalidate response is usable", Directives{MaxAge: delta(0)}, Stored{Lifetime: time.Minute, Age: secs(30), MustRevalidate: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UsableOnError(tt.req, tt.s); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewStored(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		p    Policy
		want Stored
	}{
		{"§4.2.1 the lifetime comes from Lifetime", hdr("Cache-Control", "max-age=60"), Policy{}, Stored{Lifetime: time.Minute}},
		{"§5.2.2.4 no-cache", hdr("Cache-Control", "no-cache, max-age=60"), Policy{}, Stored{Lifetime: time.Minute, NoCache: true}},
		{"§5.2.2.4 qualified no-cache is not NoCache", hdr("Cache-Control", `no-cache="X-A", max-age=60`), Policy{}, Stored{Lifetime: time.Minute}},
		{"§5.2.2.2 must-revalidate", hdr("Cache-Control", "max-age=60, must-revalidate"), Policy{}, Stored{Lifetime: time.Minute, MustRevalidate: true}},
		{"§5.2.2.8 proxy-revalidate is must-revalidate in a shared cache", hdr("Cache-Control", "max-age=60, proxy-revalidate"), Policy{}, Stored{Lifetime: time.Minute, MustRevalidate: true}},
		{"§5.2.2.10 s-maxage implies proxy-revalidate", hdr("Cache-Control", "s-maxage=60"), Policy{}, Stored{Lifetime: time.Minute, MustRevalidate: true}},
		{"RFC 5861 the response's windows", hdr("Cache-Control", "max-age=60, stale-while-revalidate=5, stale-if-error=7"), Policy{StaleWhileRevalidate: time.Hour, StaleIfError: time.Hour},
			Stored{Lifetime: time.Minute, StaleWhileRevalidate: secs(5), StaleIfError: secs(7)}},
		{"RFC 5861 an explicit zero window beats the Policy's", hdr("Cache-Control", "max-age=60, stale-while-revalidate=0"), Policy{StaleWhileRevalidate: time.Hour},
			Stored{Lifetime: time.Minute}},
		{"RFC 5861 the Policy's windows when the response has none", hdr("Cache-Control", "max-age=60"), Policy{StaleWhileRevalidate: time.Hour, StaleIfError: 2 * time.Hour},
			Stored{Lifetime: time.Minute, StaleWhileRevalidate: time.Hour, StaleIfError: 2 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewStored(200, tt.h, t0, tt.p); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestVerdictString(t *testing.T) {
	tests := []struct {
		v    Verdict
		want string
	}{
		{Fresh, "fresh"},
		{StaleAllowed, "stale-allowed"},
		{StaleWhileRevalidate, "stale-while-revalidate"},
		{Revalidate, "revalidate"},
		{Verdict(42), "Verdict(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.v.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

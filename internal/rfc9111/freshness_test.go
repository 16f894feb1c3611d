package rfc9111

import (
	"net/http"
	"testing"
	"time"
)

func TestLifetime(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		h          http.Header
		p          Policy
		want       time.Duration
		wantSource string
	}{
		{"§4.2.1 s-maxage wins over max-age in a shared cache", 200, hdr("Cache-Control", "max-age=60, s-maxage=30"), Policy{}, secs(30), "s-maxage"},
		{"§4.2.1 max-age", 200, hdr("Cache-Control", "max-age=60"), Policy{}, secs(60), "max-age"},
		{"§4.2.1 max-age=0 is a zero lifetime", 200, hdr("Cache-Control", "max-age=0"), Policy{}, 0, "max-age"},
		{"§4.2.1 negative max-age is a zero lifetime", 200, hdr("Cache-Control", "max-age=-10"), Policy{}, 0, "max-age"},
		{"§4.2.1 non-numeric max-age is a zero lifetime", 200, hdr("Cache-Control", "max-age=ten"), Policy{}, 0, "max-age"},
		{"§5.3 max-age wins over Expires", 200, hdr("Cache-Control", "max-age=60", "Expires", date(t0.Add(time.Hour)), "Date", date(t0)), Policy{}, secs(60), "max-age"},
		{"§4.2.1 Expires minus Date", 200, hdr("Expires", date(t0.Add(time.Hour)), "Date", date(t0.Add(-time.Minute))), Policy{}, time.Hour + time.Minute, "expires"},
		{"§4.2.1 Expires minus responseTime when Date is missing", 200, hdr("Expires", date(t0.Add(time.Hour))), Policy{}, time.Hour, "expires"},
		{"§4.2.1 Expires minus responseTime when Date is invalid", 200, hdr("Expires", date(t0.Add(time.Hour)), "Date", "yesterday"), Policy{}, time.Hour, "expires"},
		{"§4.2.1 Expires in the past is a zero lifetime", 200, hdr("Expires", date(t0.Add(-time.Hour)), "Date", date(t0)), Policy{}, 0, "expires"},
		{"§4.2.1 Expires equal to Date is a zero lifetime", 200, hdr("Expires", date(t0), "Date", date(t0)), Policy{}, 0, "expires"},
		{"§5.3 an invalid Expires such as 0 is already expired", 200, hdr("Expires", "0", "Date", date(t0)), Policy{DefaultTTL: time.Hour}, 0, "expires"},
		{"§4.2.1 conflicting Expires lines read as stale", 200, hdr("Expires", date(t0.Add(time.Hour)), "Expires", date(t0.Add(2*time.Hour))), Policy{}, 0, "expires"},
		{"§4.2.1 equal Expires lines are one", 200, hdr("Expires", date(t0.Add(time.Hour)), "Expires", date(t0.Add(time.Hour))), Policy{}, time.Hour, "expires"},
		{"§5.3 an obsolete RFC 850 Expires is parsed", 200, hdr("Expires", t0.Add(time.Hour).Format(rfc850GMT), "Date", date(t0)), Policy{}, time.Hour, "expires"},
		{"DefaultTTL when there is no explicit freshness", 200, hdr("Last-Modified", date(t0.Add(-100*time.Hour))), Policy{DefaultTTL: time.Minute}, time.Minute, "default-ttl"},
		{"DefaultTTL does not replace explicit freshness", 200, hdr("Cache-Control", "max-age=5"), Policy{DefaultTTL: time.Minute}, secs(5), "max-age"},
		{"Override replaces explicit freshness", 200, hdr("Cache-Control", "max-age=5, s-maxage=5"), Policy{DefaultTTL: time.Minute, Override: true}, time.Minute, "override"},
		{"Override without DefaultTTL changes nothing", 200, hdr("Cache-Control", "max-age=5"), Policy{Override: true}, secs(5), "max-age"},
		{"§4.2.2 heuristic is 10% of Date minus Last-Modified", 200, hdr("Date", date(t0), "Last-Modified", date(t0.Add(-10*time.Hour))), Policy{}, time.Hour, "heuristic"},
		{"§4.2.2 heuristic uses responseTime when Date is missing", 200, hdr("Last-Modified", date(t0.Add(-10*time.Hour))), Policy{}, time.Hour, "heuristic"},
		{"§4.2.2 heuristic is capped at 24h", 200, hdr("Date", date(t0), "Last-Modified", date(t0.Add(-1000*time.Hour))), Policy{}, 24 * time.Hour, "heuristic"},
		{"§4.2.2 no heuristic when Last-Modified is after Date", 200, hdr("Date", date(t0), "Last-Modified", date(t0.Add(time.Hour))), Policy{}, 0, "none"},
		{"§4.2.2 no heuristic with an invalid Last-Modified", 200, hdr("Date", date(t0), "Last-Modified", "long ago"), Policy{}, 0, "none"},
		{"§4.2.2 no heuristic for a status that is not heuristically cacheable", 302, hdr("Date", date(t0), "Last-Modified", date(t0.Add(-10*time.Hour))), Policy{DefaultTTL: time.Minute}, 0, "none"},
		{"§5.2.2.9 public allows the heuristic for any status", 302, hdr("Cache-Control", "public", "Date", date(t0), "Last-Modified", date(t0.Add(-10*time.Hour))), Policy{}, time.Hour, "heuristic"},
		{"§4.2 nothing to go on is a zero lifetime", 200, nil, Policy{}, 0, "none"},
		{"§4.2.2 CacheableStatus governs the heuristic", 404, hdr("Last-Modified", date(t0.Add(-10*time.Hour))), Policy{CacheableStatus: []int{200}}, 0, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, source := Lifetime(tt.status, tt.h, t0, tt.p)
			if got != tt.want || source != tt.wantSource {
				t.Errorf("got %v, %q, want %v, %q", got, source, tt.want, tt.wantSource)
			}
		})
	}
}

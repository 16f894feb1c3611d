package rfc9111

import (
	"net/http"
	"testing"
	"time"
)

func TestInitialAge(t *testing.T) {
	requestTime, responseTime := t0.Add(-2*time.Second), t0
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"§4.2.3 no Age and Date now is the response delay", hdr("Date", date(t0)), secs(2)},
		{"§4.2.3 apparent age from an old Date", hdr("Date", date(t0.Add(-time.Minute))), time.Minute},
		{"§4.2.3 Age plus response delay", hdr("Date", date(t0), "Age", "10"), secs(12)},
		{"§4.2.3 Age larger than the apparent age wins", hdr("Date", date(t0.Add(-5*time.Second)), "Age", "100"), secs(102)},
		{"§4.2.3 apparent age larger than Age wins", hdr("Date", date(t0.Add(-time.Hour)), "Age", "100"), time.Hour},
		{"§4.2.3 missing Date gives no apparent age", hdr("Age", "10"), secs(12)},
		{"§4.2.3 invalid Date gives no apparent age", hdr("Date", "now", "Age", "10"), secs(12)},
		{"§4.2.3 clock skew: a Date after responseTime gives no apparent age", hdr("Date", date(t0.Add(time.Hour))), secs(2)},
		{"§5.1 invalid Age is ignored", hdr("Date", date(t0), "Age", "-5"), secs(2)},
		{"§5.1 non-numeric Age is ignored", hdr("Date", date(t0), "Age", "old"), secs(2)},
		{"§5.1 of several Age lines the first counts", hdr("Date", date(t0), "Age", "10", "Age", "30"), secs(12)},
		{"§5.1 of a list on one line the first member counts", hdr("Date", date(t0), "Age", "30, 10"), secs(32)},
		{"§5.1 an invalid first member is ignored, not replaced by the next", hdr("Date", date(t0), "Age", "old, 30"), secs(2)},
		{"§5.1 Age with surrounding whitespace", hdr("Date", date(t0), "Age", " 10 "), secs(12)},
		{"§1.2.2 a huge Age saturates", hdr("Age", "999999999999999999999"), maxDelta + secs(2)},
		{"§4.2.3 no headers at all", nil, secs(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InitialAge(tt.h, requestTime, responseTime); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInitialAgeResponseBeforeRequest(t *testing.T) {
	// A clock that stepped back between request and response adds no delay.
	if got, want := InitialAge(hdr("Age", "10"), t0, t0.Add(-time.Second)), secs(10); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCurrentAge(t *testing.T) {
	tests := []struct {
		name    string
		initial time.Duration
		now     time.Time
		want    time.Duration
	}{
		{"§4.2.3 current age adds the resident time", secs(10), t0.Add(time.Minute), time.Minute + secs(10)},
		{"§4.2.3 at responseTime the current age is the initial age", secs(10), t0, secs(10)},
		{"§4.2.3 a clock before responseTime adds nothing", secs(10), t0.Add(-time.Minute), secs(10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CurrentAge(tt.initial, t0, tt.now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

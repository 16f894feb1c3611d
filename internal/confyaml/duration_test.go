package confyaml

import (
	"math"
	"testing"
	"time"
)

func TestDurationFromValue(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    time.Duration
		wantErr bool
	}{
		{name: "a number is milliseconds", in: int64(1500), want: 1500 * time.Millisecond},
		{name: "a float number is milliseconds", in: 2.5, want: 2500 * time.Microsecond},
		{name: "Go duration", in: "1h30m", want: 90 * time.Minute},
		{name: "Go duration in milliseconds", in: "100ms", want: 100 * time.Millisecond},
		{name: "ms form with day unit", in: "2d", want: 48 * time.Hour},
		{name: "ms form with long unit and space", in: "2 hours", want: 2 * time.Hour},
		{name: "ms form with minutes word", in: "5 minutes", want: 5 * time.Minute},
		{name: "ms form bare number string is milliseconds", in: "250", want: 250 * time.Millisecond},
		{name: "ms form weeks", in: "1w", want: 7 * 24 * time.Hour},
		{name: "ISO 8601 minutes", in: "PT1M", want: time.Minute},
		{name: "ISO 8601 days and hours", in: "P1DT12H", want: 36 * time.Hour},
		{name: "ISO 8601 fractional seconds", in: "PT0.5S", want: 500 * time.Millisecond},
		{name: "ISO 8601 month is 30 days", in: "P1M", want: 30 * 24 * time.Hour},
		{name: "object form", in: map[string]any{"hours": int64(1), "minutes": int64(30)}, want: 90 * time.Minute},
		{name: "object form milliseconds", in: map[string]any{"milliseconds": int64(20)}, want: 20 * time.Millisecond},
		{name: "negative is returned for the caller to judge", in: "-5s", want: -5 * time.Second},
		{name: "object form unknown key", in: map[string]any{"minuts": int64(5)}, wantErr: true},
		{name: "object form non-number", in: map[string]any{"hours": "x"}, wantErr: true},
		{name: "garbage string", in: "soon", wantErr: true},
		{name: "bare P is not a duration", in: "P", wantErr: true},
		{name: "P with dangling T is not a duration", in: "PT", wantErr: true},
		{name: "bare -P is not a duration", in: "-P", wantErr: true},
		{name: "bare lower-case p is not a duration", in: "p", wantErr: true},
		{name: "-PT is not a duration", in: "-PT", wantErr: true},
		{name: "a T after a date component is not a duration", in: "P1DT", wantErr: true},
		{name: "ISO 8601 negative", in: "-PT5S", want: -5 * time.Second},
		{name: "ISO 8601 in lower case", in: "p1dt1h", want: 25 * time.Hour},
		{name: "a list is not a duration", in: []any{int64(1)}, wantErr: true},
		{name: "overflow", in: "1000000000y", wantErr: true},
		{name: "2^63ns as a millisecond string is out of range, not wrapped negative", in: "9223372036854.775808", wantErr: true},
		{name: "2^63ns as a millisecond number is out of range, not wrapped negative", in: 9223372036854.775808, wantErr: true},
		{name: "2^63ns as an object is out of range, not wrapped negative", in: map[string]any{"days": 106751.99116730064}, wantErr: true},
		{name: "-2^63ns is the smallest duration, not out of range", in: "-9223372036854.775808", want: math.MinInt64},
		{name: "106751 days, just short of 2^63ns, is kept", in: "106751d", want: 106751 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DurationFromValue(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("DurationFromValue(%v) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("DurationFromValue(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSizeFromValue(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    int64
		wantErr bool
	}{
		{name: "a number is bytes", in: int64(1024), want: 1024},
		{name: "MiB is binary", in: "1MiB", want: 1 << 20},
		{name: "MB is decimal", in: "1MB", want: 1_000_000},
		{name: "with a space", in: "256 MiB", want: 256 << 20},
		{name: "negative is returned for the caller to judge", in: "-1KiB", want: -1024},
		{name: "fractional bytes are refused", in: 1.5, wantErr: true},
		{name: "2^63 bytes is out of range, not wrapped negative", in: float64(1 << 63), wantErr: true},
		{name: "-2^63 bytes is returned for the caller to judge", in: -float64(1 << 63), want: math.MinInt64},
		{name: "garbage", in: "lots", wantErr: true},
		{name: "a boolean is not a size", in: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SizeFromValue(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SizeFromValue(%v) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("SizeFromValue(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

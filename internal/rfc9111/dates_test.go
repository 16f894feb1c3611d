package rfc9111

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	want := time.Date(2050, 8, 18, 2, 1, 18, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		ok   bool
		want time.Time
	}{
		{"RFC 9110 §5.6.7 IMF-fixdate", "Thu, 18 Aug 2050 02:01:18 GMT", true, want},
		{"RFC 9110 §5.6.7 obsolete RFC 850 date, two-digit year within 50 years", "Thursday, 18-Aug-50 02:01:18 GMT", true, want},
		{"RFC 9110 §5.6.7 RFC 850 year more than 50 years ahead is in the past", "Sunday, 06-Nov-94 08:49:37 GMT", true, time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)},
		{"RFC 9110 §5.6.7 obsolete asctime date, space-padded day", "Mon Aug  8 02:01:18 2050", true, time.Date(2050, 8, 8, 2, 1, 18, 0, time.UTC)},
		{"asctime with a two-digit day", "Thu Aug 18 02:01:18 2050", true, want},
		{"names in another case are still read", "THU, 18 AUG 2050 02:01:18 gmt", true, want},
		{"a zone other than GMT is invalid", "Thu, 18 Aug 2050 02:01:18 UTC", false, time.Time{}},
		{"a numeric zone is invalid", "Thu, 18 Aug 2050 02:01:18 +0000", false, time.Time{}},
		{"IMF-fixdate needs a four-digit year", "Thu, 18 Aug 50 02:01:18 GMT", false, time.Time{}},
		{"IMF-fixdate needs the comma", "Thu 18 Aug 2050 02:01:18 GMT", false, time.Time{}},
		{"doubled spaces are invalid", "Thu, 18  Aug  2050 02:01:18 GMT", false, time.Time{}},
		{"dashes belong to RFC 850 only", "Thu, 18-Aug-2050 02:01:18 GMT", false, time.Time{}},
		{"time needs colons", "Thu, 18 Aug 2050 02.01.18 GMT", false, time.Time{}},
		{"a one-digit hour is invalid", "Thu, 18 Aug 2050 2:01:18 GMT", false, time.Time{}},
		{"a day that does not exist is invalid", "Thu, 31 Feb 2050 02:01:18 GMT", false, time.Time{}},
		{"an hour past 23 is invalid", "Thu, 18 Aug 2050 24:01:18 GMT", false, time.Time{}},
		{"RFC 9111 §5.3 the value 0 is invalid", "0", false, time.Time{}},
		{"empty", "", false, time.Time{}},
		{"a lone comma", ",", false, time.Time{}},
		{"an unknown weekday", "Thorsday, 18-Aug-50 02:01:18 GMT", false, time.Time{}},
		{"an unknown month", "Thu, 18 Agu 2050 02:01:18 GMT", false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDate(tt.in, now)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("parseDate(%q): got %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Thu, 18 Aug 2050 02:01:18 GMT", "Thursday, 18-Aug-50 02:01:18 GMT", "Mon Aug  8 02:01:18 2050", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDate(s)
		if ok && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, not in UTC", s, got)
		}
	})
}

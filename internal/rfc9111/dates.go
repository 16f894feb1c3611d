package rfc9111

import (
	"strings"
	"time"
)

// ParseDate parses an HTTP-date, RFC 9110 §5.6.7, in any of its three forms:
//
//	Sun, 06 Nov 1994 08:49:37 GMT   IMF-fixdate
//	Sunday, 06-Nov-94 08:49:37 GMT  obsolete RFC 850 format
//	Sun Nov  6 08:49:37 1994        obsolete asctime() format
//
// It is strict about the shape, where net/http's ParseTime is lenient (it
// takes a one-digit hour or doubled spaces): a date that is not one of these
// shapes is invalid, and for Expires an invalid date is in the past
// (RFC 9111 §5.3). It ignores the case of day names, month names and "GMT",
// which the grammar spells case-sensitively, since such a date is still
// unambiguous. A two-digit RFC 850 year is taken in the century that puts it
// no more than 50 years ahead of the current year, RFC 9110 §5.6.7.
func ParseDate(s string) (time.Time, bool) {
	return parseDate(s, time.Now())
}

func parseDate(s string, now time.Time) (time.Time, bool) {
	switch {
	case len(s) == len("Sun, 06 Nov 1994 08:49:37 GMT") && s[3] == ',':
		return imfFixdate(s)
	case len(s) == len("Sun Nov  6 08:49:37 1994") && s[3] == ' ':
		return asctime(s)
	default:
		return rfc850(s, now)
	}
}

// imfFixdate parses "Sun, 06 Nov 1994 08:49:37 GMT".
func imfFixdate(s string) (time.Time, bool) {
	if _, ok := shortDay(s[:3]); !ok || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || !strings.EqualFold(s[25:], " GMT") {
		return time.Time{}, false
	}
	day, ok1 := digits(s[5:7])
	month, ok2 := monthOf(s[8:11])
	year, ok3 := digits(s[12:16])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	return assemble(year, month, day, s[17:25])
}

// asctime parses "Sun Nov  6 08:49:37 1994", whose day is space-padded.
func asctime(s string) (time.Time, bool) {
	if _, ok := shortDay(s[:3]); !ok || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' {
		return time.Time{}, false
	}
	month, ok1 := monthOf(s[4:7])
	d := s[8:10]
	if d[0] == ' ' {
		d = "0" + d[1:]
	}
	day, ok2 := digits(d)
	year, ok3 := digits(s[20:24])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	return assemble(year, month, day, s[11:19])
}

// rfc850 parses "Sunday, 06-Nov-94 08:49:37 GMT".
func rfc850(s string, now time.Time) (time.Time, bool) {
	comma := strings.IndexByte(s, ',')
	rest := s[comma+1:]
	if comma < 0 || !longDay(s[:comma]) || len(rest) != len(" 06-Nov-94 08:49:37 GMT") ||
		rest[0] != ' ' || rest[3] != '-' || rest[7] != '-' || rest[10] != ' ' || !strings.EqualFold(rest[19:], " GMT") {
		return time.Time{}, false
	}
	day, ok1 := digits(rest[1:3])
	month, ok2 := monthOf(rest[4:7])
	yy, ok3 := digits(rest[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	year := now.UTC().Year()/100*100 + yy
	if year > now.UTC().Year()+50 {
		year -= 100
	}
	return assemble(year, month, day, rest[11:19])
}

// assemble checks hms ("08:49:37") and the ranges of every part, so that a
// date that does not exist, such as 31 Feb, is invalid rather than moved on.
func assemble(year int, month time.Month, day int, hms string) (time.Time, bool) {
	if hms[2] != ':' || hms[5] != ':' {
		return time.Time{}, false
	}
	h, ok1 := digits(hms[0:2])
	m, ok2 := digits(hms[3:5])
	sec, ok3 := digits(hms[6:8])
	// A leap second, 60, is allowed by the grammar; it reads as the next minute.
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 60 || day < 1 {
		return time.Time{}, false
	}
	if time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Day() != day {
		return time.Time{}, false
	}
	return time.Date(year, month, day, h, m, sec, 0, time.UTC), true
}

// digits parses s, which must be all ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

var (
	shortDays = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	longDays  = [...]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months    = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

func shortDay(s string) (int, bool) {
	for i, d := range shortDays {
		if strings.EqualFold(s, d) {
			return i, true
		}
	}
	return 0, false
}

func longDay(s string) bool {
	for _, d := range longDays {
		if strings.EqualFold(s, d) {
			return true
		}
	}
	return false
}

func monthOf(s string) (time.Month, bool) {
	for i, m := range months {
		if strings.EqualFold(s, m) {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

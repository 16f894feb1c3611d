package confyaml

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

const (
	day   = 24 * time.Hour
	week  = 7 * day
	month = 30 * day  // as Backstage's HumanDuration counts a month
	year  = 365 * day // and a year
)

// durationKeys are the keys of Backstage's HumanDuration object form.
var durationKeys = map[string]time.Duration{
	"years": year, "months": month, "weeks": week, "days": day,
	"hours": time.Hour, "minutes": time.Minute, "seconds": time.Second, "milliseconds": time.Millisecond,
}

// durationKeyNames are durationKeys' keys, sorted, for errors.
var durationKeyNames = slices.Sorted(maps.Keys(durationKeys))

// DurationFromValue reads a duration in any of the forms Backstage accepts:
//   - a number: milliseconds (3600000);
//   - a Go duration ("90s", "1h30m");
//   - a number and a unit ("1d", "2 hours", "500ms", "1.5h"), as the ms package reads;
//   - an ISO 8601 duration ("PT1M", "P1DT12H");
//   - an object of HumanDuration keys ({hours: 1, minutes: 30}).
//
// A month counts 30 days and a year 365. Negative values are returned as read,
// for the caller to judge.
func DurationFromValue(v any) (time.Duration, error) {
	if n, ok := number(v); ok {
		return fromMillis(n)
	}
	switch x := v.(type) {
	case string:
		return ParseDuration(x)
	case map[string]any:
		return durationFromObject(x)
	}
	return 0, errors.New(`expected a duration: milliseconds, "90s", "PT1M" or {minutes: 5}`)
}

// number is a YAML number, as a plain value holds it, in a float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// int64Limit is 2^63, the first float64 past int64's range: math.MaxInt64
// as a float64 rounds up to it, so a check against that lets 2^63 through,
// and converting 2^63 to int64 wraps to math.MinInt64.
const int64Limit = 1 << 63

// inInt64 reports whether f converts to an int64 without overflow.
func inInt64(f float64) bool {
	return f >= -int64Limit && f < int64Limit // false for NaN
}

func fromMillis(ms float64) (time.Duration, error) {
	d := ms * float64(time.Millisecond)
	if !inInt64(d) {
		return 0, errors.New("duration out of range")
	}
	return time.Duration(d), nil
}

func durationFromObject(m map[string]any) (time.Duration, error) {
	var total float64
	for k, v := range m {
		unit, ok := durationKeys[k]
		if !ok {
			return 0, fmt.Errorf("unknown duration key %q%s", k, hint(k, durationKeyNames))
		}
		n, ok := number(v)
		if !ok {
			return 0, fmt.Errorf("duration key %q: expected a number", k)
		}
		total += n * float64(unit)
	}
	return fromMillis(total / float64(time.Millisecond))
}

var (
	msForm  = regexp.MustCompile(`^(?i)(-?\d*\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$`)
	isoForm = regexp.MustCompile(`^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
)

var msUnits = map[byte]time.Duration{'s': time.Second, 'h': time.Hour, 'd': day, 'w': week, 'y': year}

// ParseDuration reads the string forms that DurationFromValue accepts.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	if m := msForm.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return 0, errors.New("duration out of range")
		}
		unit := strings.ToLower(m[2])
		per := time.Millisecond
		switch {
		case unit == "" || strings.HasPrefix(unit, "ms") || strings.HasPrefix(unit, "milli"):
		case strings.HasPrefix(unit, "m"):
			per = time.Minute
		default:
			per = msUnits[unit[0]]
		}
		return fromMillis(n * float64(per) / float64(time.Millisecond))
	}
	// ISO 8601 wants at least one component, and one after a T: "P", "-P",
	// "PT" and "P1DT" are not durations.
	iso := strings.ToUpper(s)
	if m := isoForm.FindStringSubmatch(iso); m != nil && strings.Join(m[2:], "") != "" && !strings.HasSuffix(iso, "T") {
		var total float64
		for i, unit := range []time.Duration{year, month, week, day, time.Hour, time.Minute, time.Second} {
			if m[i+2] != "" {
				n, _ := strconv.ParseFloat(m[i+2], 64)
				total += n * float64(unit)
			}
		}
		if m[1] == "-" {
			total = -total
		}
		return fromMillis(total / float64(time.Millisecond))
	}
	return 0, errors.New(`expected a duration: milliseconds, "90s", "1h30m", "2 days", "PT1M" or {minutes: 5}`)
}

// SizeFromValue reads a size in bytes: a number, or a string such as "1MiB",
// "256MiB", "64MB" or "512KiB" (MB is 10^6 bytes, MiB is 2^20).
func SizeFromValue(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, errors.New("size out of range")
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || !inInt64(x) {
			return 0, errors.New("expected a whole number of bytes")
		}
		return int64(x), nil
	case string:
		s := strings.TrimSpace(x)
		neg := strings.HasPrefix(s, "-")
		n, err := humanize.ParseBytes(strings.TrimPrefix(s, "-"))
		if err != nil || n > math.MaxInt64 {
			return 0, errors.New(`expected a size: bytes, or "64MiB", "1MB", "512KiB"`)
		}
		if neg {
			return -int64(n), nil
		}
		return int64(n), nil
	}
	return 0, errors.New(`expected a size: bytes, or "64MiB", "1MB", "512KiB"`)
}

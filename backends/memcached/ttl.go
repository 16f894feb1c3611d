package memcached

import (
	"math"
	"time"
)

// maxRelativeExpiry is the longest expiry that memcached reads as seconds from
// now. It reads any larger exptime as an absolute Unix time, so a relative 31
// days would mean a moment in January 1970: an item that expires at once.
const maxRelativeExpiry = 30 * 24 * 60 * 60

// expiration converts ttl into memcached's exptime, in whole seconds, at time
// now:
//   - zero means no expiry, and stays 0;
//   - a negative ttl means already expired, and becomes -1, which memcached
//     stores as an item that no Get returns;
//   - a ttl up to 30 days is rounded up to whole seconds, so that a ttl under
//     one second keeps the item for a second rather than becoming 0, which
//     memcached would read as no expiry;
//   - a longer ttl is sent as the absolute Unix time now+ttl, rounded up, and
//     capped at the largest time memcached's 32-bit exptime can carry
//     (January 2038).
//
// memcached's clock ticks once a second, so an item lives between exptime-1
// and exptime seconds.
func expiration(ttl time.Duration, now time.Time) int32 {
	switch {
	case ttl == 0:
		return 0
	case ttl < 0:
		return -1
	}
	secs := ceilSeconds(ttl)
	if secs <= maxRelativeExpiry {
		return int32(secs)
	}
	at := now.Add(ttl)
	unix := at.Unix()
	if at.Nanosecond() > 0 {
		unix++
	}
	return int32(min(unix, math.MaxInt32))
}

// GocacheExpiration returns the expiration to give gocache's memcache store,
// with store.WithExpiration, so that memcached keeps an item for ttl from now,
// as Store.Set does. gocache sends int32(expiration.Seconds()) to memcached as
// the exptime, unconverted: a ttl under a second would become 0, no expiry,
// and one over 30 days a moment in 1970, an item that expires at once. The
// result is memcached's exptime in whole seconds, which gocache passes
// through: a ttl up to 30 days rounded up, a longer one the absolute Unix time
// now+ttl (capped in January 2038). Zero stays zero, no expiry; a negative ttl
// becomes -1s, which memcached reads as already expired.
func GocacheExpiration(ttl time.Duration, now time.Time) time.Duration {
	return time.Duration(expiration(ttl, now)) * time.Second
}

// ceilSeconds returns d in whole seconds, rounded up. d must be positive.
func ceilSeconds(d time.Duration) int64 {
	secs := int64(d / time.Second)
	if d%time.Second != 0 {
		secs++
	}
	return secs
}

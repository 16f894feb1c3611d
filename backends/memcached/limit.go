package memcached

// itemOverhead is the number of bytes memcached 1.6 adds to an item's key and
// value when it checks them against its item size limit (-I), on a 64-bit
// server with CAS enabled: its 48-byte item header, the key's terminating NUL,
// the value's trailing "\r\n" and the 8-byte CAS id, for items without flags,
// as this package writes them. Measured against memcached 1.6.18 at -I 1m and
// -I 2m: a value of MaxItemSize-59-len(key) bytes stores, and one byte more is
// refused with "SERVER_ERROR object too large for cache"
// (TestMaxValueSizeIsWhatTheServerAccepts). A server without CAS (-C) takes 8
// bytes more, which this package leaves unused. memcached 1.4 also keeps a
// " flags length\r\n" suffix, up to 12 bytes more: such a server refuses the
// largest values itself, which Set reports as backends.ErrTooLarge too.
const itemOverhead = 59

// MaxValueSize returns the largest value, in bytes, that Set and Add accept
// for key: the item size limit (Options.MaxItemSize), less memcached's
// per-item overhead and the length of the key as sent, which is at most 250
// bytes. It implements backends.Limiter.
func (s *Store) MaxValueSize(key string) int {
	return s.maxValueSize(safeKeyLen(key))
}

// maxValueSize is MaxValueSize for a key of sentLen bytes as sent to memcached.
func (s *Store) maxValueSize(sentLen int) int {
	return s.maxItemSize - itemOverhead - sentLen
}

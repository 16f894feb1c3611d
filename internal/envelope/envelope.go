// Package envelope is the format of every value a plugin client stores: the
// value, the time it expires and a checksum, so that expiry holds to the
// millisecond on every store and damaged bytes read as a miss.
//
//	b := envelope.Seal(nil, value, time.Now().Add(time.Minute))
//	v, expires, err := envelope.Open(b) // ErrCorrupt on bad bytes, ErrOtherVersion on another version's
//
// Layout, big-endian:
//
//	0  2  magic "pc"
//	2  1  version (3)
//	3  1  flags (0; reserved)
//	4  8  expiry, unix milliseconds; 0 means none
//	12 4  CRC-32 (IEEE) of bytes 0..12 and of the value
//	16 .. value
package envelope

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	"github.com/plugcache/plugcache/internal/storeerr"
)

// HeaderSize is the number of bytes Seal adds to a value.
const HeaderSize = 16

// version changes whenever values of one plugcache must not be read by
// another sharing the store. 2: CRC-32 (IEEE) instead of CRC-32C. 3: the
// memcached Store escapes a key's spaces and '%' instead of hashing the key,
// so the same memcached key can name different plugin keys in versions 2 and
// 3 ("x y" is now sent as "x%20y", which version 2 sent for "x%20y"), and a
// reader must take the other's value for a miss.
const version = 3

// ErrCorrupt is returned by Open for bytes that are not an intact envelope:
// too short, another format, or damaged. An intact envelope of another
// version is ErrOtherVersion.
// It wraps storeerr.ErrCorrupt, which the HTTP cache tests for.
var ErrCorrupt = fmt.Errorf("envelope: %w", storeerr.ErrCorrupt)

// ErrOtherVersion is returned by Open for an envelope of another version:
// written by an older or newer plugcache sharing the store, as in a rolling
// upgrade. It is not damage, and a reader takes it for a miss.
var ErrOtherVersion = errors.New("envelope: another version")

// checksum is the CRC of an envelope's first 12 bytes and its value. It is
// CRC-32 with the IEEE polynomial because Go computes that one with
// carry-less multiplication: on 256 KiB just read from a socket it takes 9 µs,
// where CRC-32C takes 14.
func checksum(head, value []byte) uint32 {
	return crc32.Update(crc32.ChecksumIEEE(head), crc32.IEEETable, value)
}

// Seal appends to dst the envelope of value expiring at expires (the zero Time
// for never) and returns the extended slice.
func Seal(dst, value []byte, expires time.Time) []byte {
	var ms int64
	if !expires.IsZero() {
		ms = max(expires.UnixMilli(), 1)
	}
	start := len(dst)
	dst = append(dst, 'p', 'c', version, 0)
	dst = binary.BigEndian.AppendUint64(dst, uint64(ms))
	sum := checksum(dst[start:start+12], value)
	dst = binary.BigEndian.AppendUint32(dst, sum)
	return append(dst, value...)
}

// Open checks b and returns the value it holds, which aliases b, and its expiry
// (the zero Time for never). It returns ErrOtherVersion for an envelope of
// another version and ErrCorrupt for any other bytes it cannot open.
func Open(b []byte) (value []byte, expires time.Time, err error) {
	if err := checkHeader(b); err != nil {
		return nil, time.Time{}, err
	}
	sum := checksum(b[:12], b[HeaderSize:])
	if sum != binary.BigEndian.Uint32(b[12:16]) {
		return nil, time.Time{}, ErrCorrupt
	}
	return open(b)
}

// OpenLocal is Open for bytes that never left this process, such as those of
// an in-process store, which holds its own copy of what Seal made: it checks
// the format but not the checksum, which can only fail for bytes that crossed
// a network or a disk. It is the hit path of the memory store.
func OpenLocal(b []byte) (value []byte, expires time.Time, err error) {
	if err := checkHeader(b); err != nil {
		return nil, time.Time{}, err
	}
	return open(b)
}

// checkHeader returns nil when b starts with this version's header,
// ErrOtherVersion when it starts with another version's, and ErrCorrupt
// otherwise.
func checkHeader(b []byte) error {
	switch {
	case len(b) < HeaderSize || b[0] != 'p' || b[1] != 'c':
		return ErrCorrupt
	case b[2] != version:
		return ErrOtherVersion
	case b[3] != 0:
		return ErrCorrupt
	}
	return nil
}

func open(b []byte) (value []byte, expires time.Time, err error) {
	ms := int64(binary.BigEndian.Uint64(b[4:12]))
	if ms < 0 {
		return nil, time.Time{}, ErrCorrupt
	}
	if ms != 0 {
		expires = time.UnixMilli(ms)
	}
	return b[HeaderSize:], expires, nil
}

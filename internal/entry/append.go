package entry

import (
	"cmp"
	"encoding/binary"
	"hash/crc32"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Layout constants; the package doc draws them.
const (
	magic0, magic1 = 'p', 'e'

	flagNoCache        = 1 << 0
	flagMustRevalidate = 1 << 1

	fixedSize    = 56 // magic to stale-if-error
	checksumSize = 4
	// minSize is the shortest entry: no fields, no Vary names, no body.
	minSize = fixedSize + 3 + checksumSize
)

// checksum is the CRC of an entry's bytes. It is CRC-32 with the IEEE
// polynomial, not CRC-32C, because Go computes it with carry-less
// multiplication, half again as fast on amd64. Either catches every burst of
// up to 32 damaged bits and all but one in 2^32 of any other damage.
func checksum(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// Append appends the encoding of e to dst and returns the extended slice.
//
// It stores header names canonical, merging the values of keys that share a
// canonical name in the byte order of the keys, and orders fields by name.
// Times and durations are truncated to the millisecond. Append panics if
// e.Kind is neither Response nor VaryIndex or e.Status is outside 0..65535:
// such an entry is a programmer's error.
func Append(dst []byte, e *Entry) []byte {
	if e.Kind != Response && e.Kind != VaryIndex {
		panic("entry: Append: unknown kind " + e.Kind.String())
	}
	if e.Status < 0 || e.Status > math.MaxUint16 {
		panic("entry: Append: status " + strconv.Itoa(e.Status) + " out of range")
	}
	var flags byte
	if e.NoCache {
		flags |= flagNoCache
	}
	if e.MustRevalidate {
		flags |= flagMustRevalidate
	}
	start := len(dst)
	dst = append(dst, magic0, magic1, Version, byte(e.Kind), flags, 0)
	dst = binary.BigEndian.AppendUint16(dst, uint16(e.Status))
	for _, ms := range [...]int64{
		e.RequestTime.UnixMilli(),
		e.ResponseTime.UnixMilli(),
		e.InitialAge.Milliseconds(),
		e.Lifetime.Milliseconds(),
		e.StaleWhileRevalidate.Milliseconds(),
		e.StaleIfError.Milliseconds(),
	} {
		dst = binary.BigEndian.AppendUint64(dst, uint64(ms))
	}
	dst = appendHeader(dst, e.Header)
	dst = binary.AppendUvarint(dst, uint64(len(e.Vary)))
	for _, name := range e.Vary {
		dst = appendString(dst, http.CanonicalHeaderKey(name))
	}
	dst = appendString(dst, e.Body)
	return binary.BigEndian.AppendUint32(dst, checksum(dst[start:]))
}

// appendHeader appends the header block: the field count, then each field's
// canonical name and values, in increasing order of name.
func appendHeader(dst []byte, h http.Header) []byte {
	type key struct{ name, key string }
	keys := make([]key, 0, len(h))
	for k := range h {
		keys = append(keys, key{http.CanonicalHeaderKey(k), k})
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.key, b.key))
	})
	fields := 0
	for i, k := range keys {
		if i == 0 || k.name != keys[i-1].name {
			fields++
		}
	}
	dst = binary.AppendUvarint(dst, uint64(fields))
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].name == keys[i].name {
			j++
		}
		values := 0
		for _, k := range keys[i:j] {
			values += len(h[k.key])
		}
		dst = appendString(dst, keys[i].name)
		dst = binary.AppendUvarint(dst, uint64(values))
		for _, k := range keys[i:j] {
			for _, v := range h[k.key] {
				dst = appendString(dst, v)
			}
		}
		i = j
	}
	return dst
}

// appendString appends s with its uvarint length.
func appendString[S string | []byte](dst []byte, s S) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

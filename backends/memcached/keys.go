package memcached

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// maxKeyLen is the longest key that memcached's text protocol accepts.
const maxKeyLen = 250

// hashedKeyPrefix marks a key that safeKey replaced by a hash. Keys that
// already start with it are hashed too, so a key that is sent readable can
// never equal a hashed one.
const hashedKeyPrefix = "~sha256:"

// escapeByte introduces a percent-escape in a key that safeKey made readable.
const escapeByte = '%'

// safeKey maps key to one that memcached accepts: at most 250 bytes, none of
// them a space or a control character. Other bytes, including non-ASCII UTF-8,
// are legal.
//
// The key stays readable where it can: a space, a control character, DEL and
// "%" become "%" and two upper-case hex digits, as in a URL, and a key that
// needs none of that is sent as it is, without allocating. The HTTP cache's
// keys ("GET http://host/path") take this path on every call, so it must cost
// less than a hash.
//
// A key that would still not fit (over 250 bytes once escaped), the empty key,
// and any key that starts with hashedKeyPrefix become hashedKeyPrefix followed
// by the unpadded base64url SHA-256 of the key (51 bytes in all).
//
// Two different keys therefore never share a memcached key, short of a SHA-256
// collision: escaping is one-to-one, and only hashed keys start with the
// marker.
func safeKey(key string) string {
	escapes, hashed := sendPlan(key)
	switch {
	case hashed:
		return hashedKey(key)
	case escapes == 0:
		return key
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(key) + 2*escapes)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !mustEscape(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte(escapeByte)
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// safeKeyLen is len(safeKey(key)), without building the key: MaxValueSize
// needs the length only, and the client asks it before every Set.
func safeKeyLen(key string) int {
	escapes, hashed := sendPlan(key)
	if hashed {
		return hashedKeyLen
	}
	return len(key) + 2*escapes
}

// sendPlan is how safeKey sends key: hashed, or with escapes bytes escaped.
func sendPlan(key string) (escapes int, hashed bool) {
	if key == "" || strings.HasPrefix(key, hashedKeyPrefix) {
		return 0, true
	}
	for i := 0; i < len(key); i++ {
		if mustEscape(key[i]) {
			escapes++
		}
	}
	return escapes, len(key)+2*escapes > maxKeyLen
}

// hashedKeyLen is the length of every hashed key.
var hashedKeyLen = len(hashedKeyPrefix) + base64.RawURLEncoding.EncodedLen(sha256.Size)

func hashedKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hashedKeyPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}

// mustEscape reports whether safeKey escapes c: the bytes that memcached's
// text protocol refuses in a key (a space, a control character, DEL), and the
// escape byte itself, so that escaping stays one-to-one.
func mustEscape(c byte) bool {
	return !legalKeyByte(c) || c == escapeByte
}

func legalKeyByte(c byte) bool { return c > ' ' && c != 0x7f }

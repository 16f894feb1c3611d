package keying

import (
	"crypto/sha256"
	"encoding/base64"
)

const (
	// maxKeyLen is the longest key that Key, URLKey and VariantKey return.
	maxKeyLen = 250
	// hashedHeadLen is how much of a long key's readable form a shortened key keeps.
	hashedHeadLen = 100
	// hashedKeyLen is the length of a shortened key: the head, "#" and the
	// unpadded base64url SHA-256 of the whole key.
	hashedKeyLen = hashedHeadLen + 1 + 43
)

// finish returns the key laid out in b, shortened if it is too long.
func finish(b []byte) string {
	if len(b) <= maxKeyLen {
		return string(b)
	}
	return hashed(b, sha256.Sum256(b))
}

// shorten returns key, shortened if it is too long.
func shorten(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	return hashed([]byte(key[:hashedHeadLen]), sha256.Sum256([]byte(key)))
}

// hashed returns the shortened form of a key longer than maxKeyLen that
// starts with head and has the SHA-256 sum: its first 100 bytes, "#" and the
// unpadded base64url encoding of sum. Readable keys never hold "#", so a
// shortened key meets another key only if their SHA-256 sums collide.
func hashed(head []byte, sum [sha256.Size]byte) string {
	var out [hashedKeyLen]byte
	copy(out[:], head[:hashedHeadLen])
	out[hashedHeadLen] = '#'
	base64.RawURLEncoding.Encode(out[hashedHeadLen+1:], sum[:])
	return string(out[:])
}

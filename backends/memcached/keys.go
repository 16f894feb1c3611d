package memcached

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// maxKeyLen is the longest key that memcached's text protocol accepts.
const maxKeyLen = 250

// hashedKeyPrefix marks a key that safeKey replaced by a hash. Keys that
// already start with it are hashed too, so a key that is sent as it is can
// never equal a hashed one.
const hashedKeyPrefix = "~sha256:"

// safeKey maps key to one that memcached accepts: at most 250 bytes, none of
// them a space or a control character. Other bytes, including non-ASCII UTF-8,
// are legal. A key that memcached accepts is kept as it is; any other key, the
// empty key, and any key that starts with hashedKeyPrefix become
// hashedKeyPrefix followed by the unpadded base64url SHA-256 of the key
// (51 bytes in all). Two different keys therefore never share a memcached key,
// short of a SHA-256 collision.
func safeKey(key string) string {
	if legalKey(key) && !strings.HasPrefix(key, hashedKeyPrefix) {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return hashedKeyPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}

// legalKey reports whether memcached's text protocol takes key as it is:
// between 1 and 250 bytes, with no space, control character or DEL.
func legalKey(key string) bool {
	if key == "" || len(key) > maxKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

package ristretto

import (
	"hash/maphash"

	"github.com/cespare/xxhash/v2"
)

// The cache is keyed by a 64-bit hash of each key, and each item keeps a
// second, independent hash of its key, which a lookup must match: two keys
// with the same first hash then replace each other's entry, as in any cache,
// but never read it. This is ristretto's own scheme (its KeyToHash and
// conflict check), done here so that a key can be hashed in two parts:
// GetPrefixed hashes prefix then key as the one string prefix+key, which
// Set stored, without building that string. A plugin client looks up
// "<namespace>@<generation>:" + key on every hit, and joining the two was an
// allocation and a fifth of the time of a Get.

// conflictSeed seeds the second hash, for this process only: the keys of an
// in-process store never meet another process's hashes.
var conflictSeed = maphash.MakeSeed()

// keyHashes returns the two hashes of the string prefix+key: xxhash, as
// ristretto uses, for the cache's key, and maphash for the item's check.
func keyHashes(prefix, key string) (hash, conflict uint64) {
	if prefix == "" {
		return xxhash.Sum64String(key), maphash.String(conflictSeed, key)
	}
	// Joined on the stack, the two parts hash at once, which is faster than
	// hashing them in turn; longer keys, rare, are hashed in turn.
	var buf [joinedMax]byte
	if len(prefix)+len(key) <= len(buf) {
		b := append(append(buf[:0], prefix...), key...)
		return xxhash.Sum64(b), maphash.Bytes(conflictSeed, b)
	}
	var x xxhash.Digest
	x.Reset()
	x.WriteString(prefix)
	x.WriteString(key)
	var m maphash.Hash
	m.SetSeed(conflictSeed)
	m.WriteString(prefix)
	m.WriteString(key)
	return x.Sum64(), m.Sum64()
}

// joinedMax is the longest prefix+key that keyHashes joins on the stack:
// a plugin's prefix and an HTTP cache key of a URL of 200 bytes or so.
const joinedMax = 256

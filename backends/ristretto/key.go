package ristretto

import "hash/maphash"

// The cache is keyed by a 64-bit hash of each key, and each item keeps a
// second, independent hash of its key, which a lookup must match: two keys
// with the same first hash then replace each other's entry, as in any cache,
// but never read it. This is ristretto's own scheme (its KeyToHash, the
// runtime's hash for the key and xxhash for the check, and its conflict
// check), done here so that a key can be hashed in two parts:
// GetPrefixed hashes prefix then key as the one string prefix+key, which
// Set stored, without building that string. A plugin client looks up
// "[namespace<sep>]<plugin>@<generation>:" + key on every hit, and joining the two was an
// allocation and a fifth of the time of a Get.

// The seeds of the two hashes, both maphash (the runtime's hash, which
// ristretto uses for the first), for this process only: the keys of an
// in-process store never meet another process's hashes. xxhash, as ristretto
// has it for the check, took three times as long as maphash.
var hashSeed, conflictSeed = maphash.MakeSeed(), maphash.MakeSeed()

// keyHashes returns the two hashes of the string prefix+key.
func keyHashes(prefix, key string) (hash, conflict uint64) {
	if prefix == "" {
		return maphash.String(hashSeed, key), maphash.String(conflictSeed, key)
	}
	// Joined on the stack, the two parts hash at once, which is faster than
	// hashing them in turn; longer keys, rare, are hashed in turn.
	var buf [joinedMax]byte
	if len(prefix)+len(key) <= len(buf) {
		b := append(append(buf[:0], prefix...), key...)
		return maphash.Bytes(hashSeed, b), maphash.Bytes(conflictSeed, b)
	}
	return joinedHash(hashSeed, prefix, key), joinedHash(conflictSeed, prefix, key)
}

// joinedHash is maphash.String(seed, prefix+key), written in two parts.
func joinedHash(seed maphash.Seed, prefix, key string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(prefix)
	h.WriteString(key)
	return h.Sum64()
}

// joinedMax is the longest prefix+key that keyHashes joins on the stack:
// a plugin's prefix and an HTTP cache key of a URL of 200 bytes or so.
const joinedMax = 256

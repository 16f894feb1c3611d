// Package lazybytes gives tests a slice as long as a store's size limit, half
// a GiB for redis, without the cost of one: the tests that check that a store
// refuses a value one byte past its limit need the length, never the bytes.
//
//	value, release := lazybytes.New(512<<20 + 1)
//	defer release()
//	err := store.Set(ctx, key, value, 0) // want ErrTooLarge, and nothing sent
//
// On the Go heap, such a slice stalled every goroutine of a race-enabled test
// binary for most of a second when the collector freed it, which made the
// calls of tests running beside it miss their deadlines.
package lazybytes

// New returns n zero bytes, read-only, and the function that releases them.
// Where the system allows, they are address space outside the Go heap that
// takes no memory until read: a store that refuses the slice untouched costs
// nothing. Writing to them crashes the process.
func New(n int) (b []byte, release func()) {
	if b, release, ok := mapped(n); ok {
		return b, release
	}
	return make([]byte, n), func() {}
}

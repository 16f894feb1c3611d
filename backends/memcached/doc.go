// Package memcached implements backends.Store on memcached: one server, or a
// pool of servers that share keys by consistent hashing.
//
//	s, err := memcached.New(memcached.Options{Servers: []string{"127.0.0.1:11211"}})
//	if err != nil { /* a server that does not parse */ }
//	defer s.Close()
//	err = s.Set(ctx, "k", []byte("v"), time.Minute)
//	v, err := s.Get(ctx, "k") // errors.Is(err, backends.ErrNotFound) on a miss
//
// The Store hides memcached's limits from its callers, so any string is a key.
// A space, a control character, DEL and "%" are sent percent-escaped ("GET
// http://h/a" as "GET%20http://h/a"), so keys stay readable in memcached; a
// key still longer than 250 bytes once escaped, the empty key and one that
// starts with "~sha256:" are sent as a hash of themselves. A TTL is rounded up to
// whole seconds, and one past 30 days is sent as an absolute time, as memcached
// requires. A value too large for the server's item size is refused with
// backends.ErrTooLarge before anything is sent.
//
// Set and Delete go through gocache's memcache store, and Get and Add straight
// through the gomemcache client under it, so that values are plain memcached
// items that a gocache client on the same servers reads and writes too.
// Neither takes a context: a call's duration is bounded by Options.Timeout,
// not by the context's deadline.
//
// The Store implements backends.Adder and backends.Limiter. It does not
// implement backends.Clearer: memcached can only clear a server with
// flush_all, which would drop every other application's items too.
package memcached

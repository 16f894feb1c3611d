package memcached

import (
	"fmt"
	"time"
)

// Defaults and limits of Options.
const (
	defaultTimeout      = 100 * time.Millisecond
	defaultMaxIdleConns = 64
	defaultMaxItemSize  = 1 << 20 // memcached's own default for -I
	minItemSize         = 1024    // the smallest -I memcached accepts
)

// Options configures a Store. Every field but Servers has a default, which its
// zero value selects. New does not modify it.
type Options struct {
	// Servers lists the memcached servers: each is "host:port" or, when it
	// contains a "/" (as in gomemcache's ServerList), the path of a unix
	// socket, such as "/run/memcached.sock". At least one is required. With
	// several, each key lives on one server, picked by consistent hashing of
	// the key, so adding or removing one of n servers moves about 1/n of the
	// keys. Host names are resolved at each dial, not by New.
	Servers []string

	// Timeout bounds each network step of a call (gomemcache's
	// Client.Timeout): the dial of a new connection, then the request and its
	// response. A call to a server that does not answer fails with
	// backends.ErrUnavailable after about Timeout, or twice Timeout when it
	// dials too. A call's duration is bounded by Timeout, not by its context's
	// deadline: a done context fails a call before any I/O, but does not cut
	// short one in flight.
	// Default: 100ms.
	Timeout time.Duration

	// MaxIdleConns is the number of idle connections kept open per server for
	// later calls. A call that finds none dials a new connection; connections
	// past this number are closed when their call ends. Set it near the peak
	// number of concurrent calls to one server.
	// Default: 64.
	MaxIdleConns int

	// MaxItemSize is the servers' item size limit in bytes, as set by
	// memcached -I. Set and Add refuse with backends.ErrTooLarge, before
	// sending anything, a value that would not fit in an item of this size
	// with its key and memcached's per-item overhead; MaxValueSize reports the
	// largest that fits. It must not exceed the limit of any server in the
	// pool, or memcached refuses the largest values itself. Minimum: 1024.
	// Default: 1 MiB, memcached's default.
	MaxItemSize int
}

// withDefaults validates o and returns a copy with defaults in place of zero
// values.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("memcached: Timeout: must be >= 0, got %v", o.Timeout)
	case o.MaxIdleConns < 0:
		return o, fmt.Errorf("memcached: MaxIdleConns: must be >= 0, got %d", o.MaxIdleConns)
	case o.MaxItemSize < 0 || (o.MaxItemSize > 0 && o.MaxItemSize < minItemSize):
		return o, fmt.Errorf("memcached: MaxItemSize: must be 0 (1 MiB) or >= 1024, memcached's minimum, got %d", o.MaxItemSize)
	}
	if o.Timeout == 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxIdleConns == 0 {
		o.MaxIdleConns = defaultMaxIdleConns
	}
	if o.MaxItemSize == 0 {
		o.MaxItemSize = defaultMaxItemSize
	}
	return o, nil
}

package memcached

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/golang/groupcache/consistenthash"
)

// replicas is the number of points each server has on the hash ring. With 160
// points, as ketama uses, each of 5 servers holds within about 5% of its fair
// share of keys, and adding a fifth server to four moves about a fifth of them.
const replicas = 160

// selector is a memcache.ServerSelector that picks a key's server by
// consistent hashing: adding a server to n-1 others, or removing one of n,
// moves about 1/n of the keys, where gomemcache's ServerList, which hashes
// modulo the number of servers, moves most of them. The ring is keyed by the
// server strings as written, so every process configured with the same servers
// picks the same server for a key, whatever their order.
//
// A selector is immutable, and so safe for concurrent use.
type selector struct {
	ring  *consistenthash.Map
	byKey map[string]net.Addr // by server string, as added to ring
	addrs []net.Addr          // in the order given, for Each
}

// newSelector returns a selector over servers, each "host:port" or the path of
// a unix socket. It fails, naming the server, on an empty list, a duplicate or a
// server that does not parse. It does no I/O: host names are resolved when a
// connection is dialled.
func newSelector(servers []string) (*selector, error) {
	if len(servers) == 0 {
		return nil, errors.New("memcached: Servers: at least one server is required")
	}
	s := &selector{
		ring:  consistenthash.New(replicas, ringHash),
		byKey: make(map[string]net.Addr, len(servers)),
		addrs: make([]net.Addr, 0, len(servers)),
	}
	for i, server := range servers {
		addr, err := parseServer(server)
		if err != nil {
			return nil, fmt.Errorf("memcached: Servers[%d] %q: %w", i, server, err)
		}
		if _, dup := s.byKey[server]; dup {
			return nil, fmt.Errorf("memcached: Servers[%d] %q: listed twice", i, server)
		}
		s.byKey[server] = addr
		s.addrs = append(s.addrs, addr)
		s.ring.Add(server)
	}
	return s, nil
}

// PickServer returns the server that holds key.
func (s *selector) PickServer(key string) (net.Addr, error) {
	if len(s.addrs) == 1 {
		return s.addrs[0], nil
	}
	return s.byKey[s.ring.Get(key)], nil
}

// Each calls f with each server, in the order given to newSelector, until f
// returns an error.
func (s *selector) Each(f func(net.Addr) error) error {
	for _, addr := range s.addrs {
		if err := f(addr); err != nil {
			return err
		}
	}
	return nil
}

// ringHash hashes ring points and keys. SHA-256 spreads the points of servers
// whose names differ in a digit far more evenly than the ring's default CRC-32
// does (each server within about 5% of its share, against 30%), and, unlike
// hash/maphash, it is the same in every process.
func ringHash(data []byte) uint32 {
	sum := sha256.Sum256(data)
	return binary.BigEndian.Uint32(sum[:4])
}

// parseServer returns the address of server, "host:port" or the path of a unix
// socket. As in gomemcache's ServerList, a server that contains a "/" is a unix
// socket. Unlike ServerList, a host name is kept as it is, to be resolved at
// each dial, so New does no I/O and a changed DNS record is followed.
func parseServer(server string) (net.Addr, error) {
	if strings.Contains(server, "/") {
		return &net.UnixAddr{Name: server, Net: "unix"}, nil
	}
	host, port, err := net.SplitHostPort(server)
	if err != nil {
		return nil, errors.New(`want "host:port" or a unix socket path`)
	}
	if strings.ContainsAny(host, " \t\r\n") {
		return nil, fmt.Errorf("invalid host %q", host)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return nil, fmt.Errorf("invalid port %q: want 1 to 65535", port)
	}
	return tcpAddr(server), nil
}

// tcpAddr is the address of a TCP server, as written: "host:port", with a host
// name or an IP address.
type tcpAddr string

func (a tcpAddr) Network() string { return "tcp" }
func (a tcpAddr) String() string  { return string(a) }

var _ memcache.ServerSelector = (*selector)(nil)

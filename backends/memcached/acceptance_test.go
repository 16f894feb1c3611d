package memcached

import (
	"fmt"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/storetest"
	"github.com/plugcache/plugcache/internal/testserver"
)

// TestStore runs the shared acceptance suite on one server, on a pool and on
// a unix socket, each with its servers killed and restarted.
func TestStore(t *testing.T) {
	tests := []struct {
		name    string
		servers int
		socket  bool
	}{
		{name: "one server on TCP", servers: 1},
		{name: "a pool of two servers", servers: 2},
		{name: "one server on a unix socket", servers: 1, socket: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var procs []*testserver.Memcached
			var addrs []string
			for range tt.servers {
				m := testserver.NewMemcached(t, testserver.MemcachedOptions{Socket: tt.socket})
				procs = append(procs, m)
				addrs = append(addrs, m.Addr+m.Socket) // one of them is ""
			}
			storetest.Run(t, storetest.Harness{
				New: func(t *testing.T) backends.Store {
					s, err := New(Options{Servers: addrs, Timeout: 500 * time.Millisecond})
					if err != nil {
						t.Fatalf("New: %v", err)
					}
					return s
				},
				Kill: func(t *testing.T) {
					for _, m := range procs {
						if err := m.Kill(); err != nil {
							t.Fatal(err)
						}
					}
				},
				Restart: func(t *testing.T) {
					for _, m := range procs {
						if err := m.Restart(); err != nil {
							t.Fatal(err)
						}
					}
				},
				TTLResolution: time.Second,
			})
		})
	}
}

// TestPoolSpreadsKeysOverItsServers checks, on the servers themselves, that
// a pool stores keys on each of its servers.
func TestPoolSpreadsKeysOverItsServers(t *testing.T) {
	tcp := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	unix := testserver.NewMemcached(t, testserver.MemcachedOptions{Socket: true})
	pool := newStore(t, Options{Servers: []string{tcp.Addr, unix.Socket}, Timeout: time.Second})
	onTCP := newStore(t, Options{Servers: []string{tcp.Addr}, Timeout: time.Second})
	onUnix := newStore(t, Options{Servers: []string{unix.Socket}, Timeout: time.Second})

	ctx := t.Context()
	const n = 200
	for i := range n {
		if err := pool.Set(ctx, fmt.Sprintf("pool/%d", i), []byte("v"), time.Minute); err != nil {
			t.Fatalf("Set(%q): %v", fmt.Sprintf("pool/%d", i), err)
		}
	}
	count := map[string]int{}
	for i := range n {
		_, errTCP := onTCP.Get(ctx, fmt.Sprintf("pool/%d", i))
		_, errUnix := onUnix.Get(ctx, fmt.Sprintf("pool/%d", i))
		switch {
		case errTCP == nil && errUnix != nil:
			count["tcp"]++
		case errUnix == nil && errTCP != nil:
			count["unix"]++
		default:
			t.Fatalf("key %q: got tcp error %v and unix error %v, want it on exactly one server", fmt.Sprintf("pool/%d", i), errTCP, errUnix)
		}
	}
	for _, server := range []string{"tcp", "unix"} {
		if got := count[server]; got < n/4 {
			t.Errorf("the %s server holds %d of %d keys, want at least %d", server, got, n, n/4)
		}
	}
}

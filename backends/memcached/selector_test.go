package memcached

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/bradfitz/gomemcache/memcache"
)

func TestNewSelector(t *testing.T) {
	tests := []struct {
		name    string
		servers []string
		want    []string // network/address of each server, when valid
		wantErr string   // substring of the error, when not
	}{
		{name: "an IPv4 host and port is TCP", servers: []string{"127.0.0.1:11211"}, want: []string{"tcp/127.0.0.1:11211"}},
		{name: "a host name is kept unresolved", servers: []string{"memcached.internal:11211"}, want: []string{"tcp/memcached.internal:11211"}},
		{name: "an IPv6 host and port is TCP", servers: []string{"[::1]:11211"}, want: []string{"tcp/[::1]:11211"}},
		{name: "a path with a slash is a unix socket", servers: []string{"/run/memcached.sock"}, want: []string{"unix//run/memcached.sock"}},
		{name: "a relative path with a slash is a unix socket", servers: []string{"./mc.sock"}, want: []string{"unix/./mc.sock"}},
		{name: "a pool keeps the order given", servers: []string{"10.0.0.2:11211", "/tmp/mc.sock", "10.0.0.1:11211"}, want: []string{"tcp/10.0.0.2:11211", "unix//tmp/mc.sock", "tcp/10.0.0.1:11211"}},
		{name: "no servers is an error", servers: nil, wantErr: "memcached: Servers: at least one server is required"},
		{name: "an empty server is an error naming it", servers: []string{"127.0.0.1:11211", ""}, wantErr: `memcached: Servers[1] ""`},
		{name: "a server without a port is an error naming it", servers: []string{"localhost"}, wantErr: `memcached: Servers[0] "localhost": want "host:port"`},
		{name: "a port past 65535 is an error", servers: []string{"localhost:65536"}, wantErr: `invalid port "65536"`},
		{name: "port 0 is an error", servers: []string{"localhost:0"}, wantErr: `invalid port "0"`},
		{name: "a named port is an error", servers: []string{"localhost:memcache"}, wantErr: `invalid port "memcache"`},
		{name: "a host with a space is an error", servers: []string{"mem cached:11211"}, wantErr: `invalid host "mem cached"`},
		{name: "a server listed twice is an error", servers: []string{"127.0.0.1:1", "127.0.0.1:1"}, wantErr: `memcached: Servers[1] "127.0.0.1:1": listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newSelector(tt.servers)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("newSelector(%q): got error %v, want one containing %q", tt.servers, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("newSelector(%q): got error %v, want none", tt.servers, err)
			}
			var got []string
			s.Each(func(a net.Addr) error {
				got = append(got, a.Network()+"/"+a.String())
				return nil
			})
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("newSelector(%q).Each: got %q, want %q", tt.servers, got, tt.want)
			}
		})
	}
}

func TestSelectorEachStopsAtError(t *testing.T) {
	s, err := newSelector([]string{"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"})
	if err != nil {
		t.Fatal(err)
	}
	stop := fmt.Errorf("stop")
	calls := 0
	err = s.Each(func(net.Addr) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Each: got error %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func TestSelectorPickServerIgnoresOrder(t *testing.T) {
	a, _ := newSelector([]string{"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"})
	b, _ := newSelector([]string{"127.0.0.1:3", "127.0.0.1:1", "127.0.0.1:2"})
	for i := range 1000 {
		key := fmt.Sprintf("key-%d", i)
		ga, _ := a.PickServer(key)
		gb, _ := b.PickServer(key)
		if ga.String() != gb.String() {
			t.Fatalf("PickServer(%q): got %v with one order and %v with another, want the same server", key, ga, gb)
		}
	}
}

// servers returns n TCP servers on loopback; none is dialled.
func servers(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("127.0.0.1:%d", 40001+i)
	}
	return s
}

// movedShare returns the share of keys whose server differs between before
// and after.
func movedShare(t *testing.T, keys []string, before, after memcache.ServerSelector) float64 {
	t.Helper()
	moved := 0
	for _, key := range keys {
		a, err := before.PickServer(key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := after.PickServer(key)
		if err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			moved++
		}
	}
	return float64(moved) / float64(len(keys))
}

func testKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = safeKey(fmt.Sprintf("plugcache:v1:GET:/items/%d", i))
	}
	return keys
}

func TestSelectorMovesAFifthOfKeysFromFourServersToFive(t *testing.T) {
	keys := testKeys(20_000)

	four, err := newSelector(servers(4))
	if err != nil {
		t.Fatal(err)
	}
	five, err := newSelector(servers(5))
	if err != nil {
		t.Fatal(err)
	}
	ring := movedShare(t, keys, four, five)

	var modFour, modFive memcache.ServerList
	if err := modFour.SetServers(servers(4)...); err != nil {
		t.Fatal(err)
	}
	if err := modFive.SetServers(servers(5)...); err != nil {
		t.Fatal(err)
	}
	modulo := movedShare(t, keys, &modFour, &modFive)

	t.Logf("keys moved from 4 servers to 5: consistent hashing %.3f, gomemcache ServerList %.3f", ring, modulo)
	if ring < 0.12 || ring > 0.30 {
		t.Errorf("consistent hashing moved %.3f of keys, want between 0.12 and 0.30 (ideal 0.20)", ring)
	}
	if modulo < 2*ring {
		t.Errorf("ServerList moved %.3f of keys, want far more than consistent hashing's %.3f", modulo, ring)
	}
}

func TestSelectorSpreadsKeysEvenly(t *testing.T) {
	keys := testKeys(20_000)
	s, err := newSelector(servers(5))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, key := range keys {
		addr, _ := s.PickServer(key)
		count[addr.String()]++
	}
	fair := len(keys) / 5
	for _, server := range servers(5) {
		// 15% leaves room past the ~5% the ring shows for these servers.
		if got := count[server]; got < fair*85/100 || got > fair*115/100 {
			t.Errorf("server %s holds %d keys, want within 15%% of %d", server, got, fair)
		}
	}
}

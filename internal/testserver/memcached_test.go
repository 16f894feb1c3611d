package testserver

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// memcachedDo writes request to memcached at network and address and returns
// the first reply line without its CRLF.
func memcachedDo(t *testing.T, network, address, request string) string {
	t.Helper()
	conn, err := net.DialTimeout(network, address, 2*time.Second)
	if err != nil {
		t.Fatalf("dial memcached: %v", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte(request)); err != nil {
		t.Fatalf("write to memcached: %v", err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("read from memcached: %v", err)
	}
	return strings.TrimSuffix(line, "\r\n")
}

// memcachedEndpoint returns where m listens.
func memcachedEndpoint(m *Memcached) (network, address string) {
	if m.Socket != "" {
		return "unix", m.Socket
	}
	return "tcp", m.Addr
}

// checkVersion fails t unless m answers "version".
func checkVersion(t *testing.T, m *Memcached) {
	t.Helper()
	network, address := memcachedEndpoint(m)
	if got := memcachedDo(t, network, address, "version\r\n"); !strings.HasPrefix(got, "VERSION ") {
		t.Fatalf("version: got %q, want VERSION ...", got)
	}
}

func TestMemcachedKillRestart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts MemcachedOptions
	}{
		{name: "TCP", opts: MemcachedOptions{}},
		{name: "unix socket only", opts: MemcachedOptions{Socket: true, MemoryMB: 16}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := NewMemcached(t, tt.opts)
			if got, want := m.Addr == "", tt.opts.Socket; got != want {
				t.Fatalf("Addr: got %q, want empty = %v", m.Addr, want)
			}
			if got, want := m.Socket != "", tt.opts.Socket; got != want {
				t.Fatalf("Socket: got %q, want set = %v", m.Socket, want)
			}
			checkVersion(t, m)
			network, address := memcachedEndpoint(m)
			if got := memcachedDo(t, network, address, "set k 0 0 1\r\nv\r\n"); got != "STORED" {
				t.Fatalf("set: got %q, want STORED", got)
			}
			if err := m.Kill(); err != nil {
				t.Fatalf("Kill: %v", err)
			}
			checkRefused(t, network, address)
			if err := m.Restart(); err != nil {
				t.Fatalf("Restart: %v", err)
			}
			checkVersion(t, m)
			if got := memcachedDo(t, network, address, "get k\r\n"); got != "END" {
				t.Fatalf("get after restart: got %q, want END (cache starts empty)", got)
			}
			for i := range 2 {
				if err := m.Close(); err != nil {
					t.Fatalf("Close #%d: got %v, want nil", i+1, err)
				}
			}
			checkRefused(t, network, address)
		})
	}
}

func TestMemcachedMaxItemSize(t *testing.T) {
	t.Parallel()
	const tooLarge = "SERVER_ERROR object too large for cache"
	tests := []struct {
		name        string
		maxItemSize int
		valueSize   int
		want        string
	}{
		{name: "value well under -I 64KiB is stored", maxItemSize: 64 << 10, valueSize: 32 << 10, want: "STORED"},
		{name: "value over -I 64KiB is refused", maxItemSize: 64 << 10, valueSize: 64<<10 + 1, want: tooLarge},
		{name: "value over -I 3KiB is refused", maxItemSize: 3 << 10, valueSize: 4 << 10, want: tooLarge},
		{name: "value over the 1MiB default is refused", maxItemSize: 0, valueSize: 1<<20 + 1, want: tooLarge},
		{name: "value over 1MiB fits -I 2MiB", maxItemSize: 2 << 20, valueSize: 1<<20 + 1, want: "STORED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := NewMemcached(t, MemcachedOptions{MaxItemSize: tt.maxItemSize})
			request := fmt.Sprintf("set k 0 0 %d\r\n%s\r\n", tt.valueSize, strings.Repeat("x", tt.valueSize))
			if got := memcachedDo(t, "tcp", m.Addr, request); got != tt.want {
				t.Fatalf("set of %d bytes: got %q, want %q", tt.valueSize, got, tt.want)
			}
		})
	}
}

// TestMemcachedThreads checks that Threads reaches memcached: its settings
// report the worker threads asked for.
func TestMemcachedThreads(t *testing.T) {
	t.Parallel()
	m := NewMemcached(t, MemcachedOptions{Threads: 1})
	conn, err := net.DialTimeout("tcp", m.Addr, 2*time.Second)
	if err != nil {
		t.Fatalf("dial memcached: %v", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte("stats settings\r\n")); err != nil {
		t.Fatalf("write to memcached: %v", err)
	}
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read from memcached: %v", err)
		}
		line = strings.TrimSuffix(line, "\r\n")
		if line == "END" {
			t.Fatal("stats settings: got no num_threads")
		}
		if n, ok := strings.CutPrefix(line, "STAT num_threads "); ok {
			if n != "1" {
				t.Errorf("num_threads: got %s, want 1", n)
			}
			return
		}
	}
}

func TestMemcachedRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts MemcachedOptions
		want string
	}{
		{name: "MaxItemSize not a multiple of 1024", opts: MemcachedOptions{MaxItemSize: 1000},
			want: "testserver: MaxItemSize: must be a multiple of 1024 and >= 0, got 1000"},
		{name: "negative MemoryMB", opts: MemcachedOptions{MemoryMB: -1},
			want: "testserver: MemoryMB: must be >= 0, got -1"},
		{name: "negative Threads", opts: MemcachedOptions{Threads: -1},
			want: "testserver: Threads: must be >= 0, got -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := StartMemcached(tt.opts)
			if err == nil || err.Error() != tt.want {
				if m != nil {
					m.Close()
				}
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestMemcachedStartErrorShowsOutput(t *testing.T) {
	// -m 1 with -I 2MiB: memcached refuses an item limit over half its memory.
	m, err := StartMemcached(MemcachedOptions{MemoryMB: 1, MaxItemSize: 2 << 20})
	if err == nil {
		m.Close()
		t.Fatal("got a server, want an error")
	}
	if want := "memcached output (tail)"; !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want it to contain %q", err, want)
	}
}

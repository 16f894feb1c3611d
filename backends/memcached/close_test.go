package memcached

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
)

// connections returns memcached's count of open client connections, less the
// one that asks.
func connections(t *testing.T, addr string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprint(conn, "stats\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if _, err := fmt.Sscanf(line, "STAT curr_connections %d", &n); err == nil {
			return n - 1
		}
		if strings.HasPrefix(line, "END") {
			t.Fatal("stats: no curr_connections")
		}
	}
}

// waitConnections waits up to 5s for memcached to count want connections.
func waitConnections(t *testing.T, addr string, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := connections(t, addr)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("memcached counts %d connections, want %d", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settledConnections returns memcached's count of connections once it has
// stopped falling: the server's own readiness probe may still be counted for
// a moment after it closed, which would put every later count one off.
func settledConnections(t *testing.T, addr string) int {
	t.Helper()
	n := connections(t, addr)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		m := connections(t, addr)
		if m == n {
			return n
		}
		n = m
	}
	t.Fatalf("memcached's count of connections does not settle: %d", n)
	return 0
}

// waitConnectionsAtLeast waits until memcached counts at least want
// connections besides the one asking.
func waitConnectionsAtLeast(t *testing.T, addr string, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for connections(t, addr) < want {
		if time.Now().After(deadline) {
			t.Fatalf("memcached counts fewer than %d connections", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCloseClosesConnections(t *testing.T) {
	m := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	proxy := testserver.NewStallProxy(t, m.Addr)
	idle := settledConnections(t, m.Addr)
	s := newStore(t, Options{Servers: []string{proxy.Addr}, Timeout: 5 * time.Second})
	wrote := make(chan struct{}, 1)
	s.client.DialContext = func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
		if err != nil {
			return nil, err
		}
		return signalConn{conn, wrote}, nil
	}
	ctx := context.Background()

	// Two calls at once leave connections in the pool: the second starts
	// once the first has written on its connection and waits on the stall.
	// (memcached's own count of them lags at times, so this only waits for
	// the first; what matters is the count after Close.)
	proxy.Stall()
	done := make(chan error, 2)
	for _, key := range []string{"a", "b"} {
		go func() { done <- s.Set(ctx, key, []byte("v"), time.Minute) }()
		<-wrote
	}
	waitConnectionsAtLeast(t, m.Addr, idle+1)
	proxy.Resume()
	for range 2 {
		if err := <-done; err != nil {
			t.Fatalf("Set: %v", err)
		}
	}

	// One call is in flight, on one of them, when Close runs.
	proxy.Stall()
	select {
	case <-wrote: // drop the signal of an earlier write
	default:
	}
	go func() {
		_, err := s.Get(ctx, "a")
		done <- err
	}()
	<-wrote
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitConnections(t, m.Addr, idle+1) // the idle one closed, the busy one open
	proxy.Resume()
	if err := <-done; err != nil {
		t.Fatalf("Get in flight during Close: got %v, want it to finish", err)
	}
	waitConnections(t, m.Addr, idle) // the busy one closed when its call ended

	_, err := s.Get(ctx, "a")
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("Get after Close: got %v, want ErrUnavailable", err)
	}
}

// signalConn is a connection that signals each write on wrote, without
// waiting when a signal is pending.
type signalConn struct {
	net.Conn
	wrote chan<- struct{}
}

func (c signalConn) Write(p []byte) (int, error) {
	select {
	case c.wrote <- struct{}{}:
	default:
	}
	return c.Conn.Write(p)
}

func TestCloseFailsLaterCalls(t *testing.T) {
	s := newServerStore(t)
	ctx := context.Background()
	if err := s.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: got %v, want nil", err)
	}
	_, err := s.Get(ctx, "k")
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("Get after Close: got %v, want ErrUnavailable", err)
	}
}

package testserver

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// startEcho starts a TCP echo server on 127.0.0.1 that stops when t ends.
func startEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				io.Copy(conn, conn)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// dialProxy dials p and closes the connection when t ends.
func dialProxy(t *testing.T, p *StallProxy) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", p.Addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// send writes msg to conn.
func send(t *testing.T, conn net.Conn, msg string) {
	t.Helper()
	if _, err := conn.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// receive reads len(want) bytes from conn within timeout and fails t unless
// they are want.
func receive(t *testing.T, conn net.Conn, want string, timeout time.Duration) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(timeout))
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != want {
		t.Fatalf("read: got %q, %v, want %q", buf, err, want)
	}
}

// receiveTimesOut fails t unless a read from conn ends at its deadline, after
// about timeout, with nothing read.
func receiveTimesOut(t *testing.T, conn net.Conn, timeout time.Duration) {
	t.Helper()
	start := time.Now()
	conn.SetReadDeadline(start.Add(timeout))
	n, err := conn.Read(make([]byte, 1))
	if elapsed := time.Since(start); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || elapsed < timeout {
		t.Fatalf("read while stalled: got %d bytes, %v after %v, want a deadline error after %v", n, err, elapsed, timeout)
	}
}

func TestStallProxy(t *testing.T) {
	t.Parallel()
	const stall = 200 * time.Millisecond
	tests := []struct {
		name string
		run  func(t *testing.T, p *StallProxy)
	}{
		{name: "bytes pass both ways", run: func(t *testing.T, p *StallProxy) {
			conn := dialProxy(t, p)
			send(t, conn, "hello")
			receive(t, conn, "hello", 2*time.Second)
		}},
		{name: "stalled read times out at the client deadline and resume delivers it", run: func(t *testing.T, p *StallProxy) {
			conn := dialProxy(t, p)
			send(t, conn, "warm")
			receive(t, conn, "warm", 2*time.Second)
			p.Stall()
			send(t, conn, "held")
			receiveTimesOut(t, conn, stall)
			p.Resume()
			receive(t, conn, "held", 2*time.Second)
		}},
		{name: "connection opened while stalled moves after resume", run: func(t *testing.T, p *StallProxy) {
			p.Stall()
			conn := dialProxy(t, p)
			send(t, conn, "late")
			receiveTimesOut(t, conn, stall)
			p.Resume()
			receive(t, conn, "late", 2*time.Second)
		}},
		{name: "stall and resume repeat", run: func(t *testing.T, p *StallProxy) {
			conn := dialProxy(t, p)
			for _, msg := range []string{"one", "two", "three"} {
				p.Stall()
				send(t, conn, msg)
				receiveTimesOut(t, conn, stall/4)
				p.Resume()
				receive(t, conn, msg, 2*time.Second)
			}
		}},
		{name: "close ends stalled connections", run: func(t *testing.T, p *StallProxy) {
			conn := dialProxy(t, p)
			p.Stall()
			send(t, conn, "never")
			for i := range 2 {
				if err := p.Close(); err != nil {
					t.Fatalf("Close #%d: got %v, want nil", i+1, err)
				}
			}
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			if n, err := conn.Read(make([]byte, 8)); n != 0 || errors.Is(err, os.ErrDeadlineExceeded) || err == nil {
				t.Fatalf("read after Close: got %d bytes, %v, want the connection closed", n, err)
			}
			checkRefused(t, "tcp", p.Addr)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, NewStallProxy(t, startEcho(t)))
		})
	}
}

func TestStallProxyToRedis(t *testing.T) {
	t.Parallel()
	r := NewRedis(t, RedisOptions{Password: "s3cret"})
	p := NewStallProxy(t, r.Addr)
	redisPing(t, "tcp", p.Addr, "s3cret")
	p.Stall()
	if _, err := redisDo("tcp", p.Addr, "s3cret", 200*time.Millisecond, "PING"); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("PING while stalled: got %v, want a deadline error", err)
	}
	p.Resume()
	redisPing(t, "tcp", p.Addr, "s3cret")
}

func TestStallProxyUnreachableTargetClosesClient(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	p := NewStallProxy(t, loopback(port))
	conn := dialProxy(t, p)
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read: got %v, want EOF", err)
	}
}

// TestStallProxyCloseLeaksNoGoroutine is not parallel, so that the goroutine
// count belongs to it alone.
func TestStallProxyCloseLeaksNoGoroutine(t *testing.T) {
	echo := startEcho(t)
	before := runtime.NumGoroutine()
	p, err := StartStallProxy(echo)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		conn := dialProxy(t, p)
		send(t, conn, "x")
		receive(t, conn, "x", 2*time.Second)
	}
	p.Stall()
	dialProxy(t, p)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines: got %d after Close, want <= %d\n%s", got, before, buf[:runtime.Stack(buf, true)])
	}
}

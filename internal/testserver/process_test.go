package testserver

import (
	"errors"
	"io/fs"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFindBinary(t *testing.T) {
	tests := []struct {
		name    string
		binary  string
		env     string // value of PLUGCACHE_TEST_BINARY
		wantErr string // "" means a path is found
	}{
		{name: "found on PATH", binary: "redis-server"},
		{name: "env override wins", binary: "no-such-binary-pc", env: "/usr/bin/memcached"},
		{name: "env override must exist", binary: "redis-server", env: "/nonexistent/redis-server",
			wantErr: `testserver: PLUGCACHE_TEST_BINARY="/nonexistent/redis-server": `},
		{name: "missing binary names make test", binary: "no-such-binary-pc",
			wantErr: `testserver: no-such-binary-pc not found in PATH: run "make test", which installs it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PLUGCACHE_TEST_BINARY", tt.env)
			path, err := findBinary(tt.binary, "PLUGCACHE_TEST_BINARY")
			if tt.wantErr == "" {
				if err != nil || path == "" {
					t.Fatalf("findBinary(%q) = %q, %v, want a path", tt.binary, path, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("findBinary(%q) error = %v, want prefix %q", tt.binary, err, tt.wantErr)
			}
		})
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	var b tailBuffer
	b.Write([]byte(strings.Repeat("a", outputLimit)))
	b.Write([]byte("the end\n"))
	got := b.String()
	if len(got) != outputLimit-1 || !strings.HasSuffix(got, "the end") {
		t.Fatalf("got %d bytes ending %q, want %d ending %q", len(got), got[len(got)-10:], outputLimit-1, "the end")
	}
}

// checkRefused fails t unless dialing network and address is refused.
func checkRefused(t *testing.T, network, address string) {
	t.Helper()
	conn, err := net.DialTimeout(network, address, time.Second)
	if err == nil {
		conn.Close()
		t.Fatalf("dial %s %s: got a connection, want it refused", network, address)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("dial %s %s: got %v, want connection refused", network, address, err)
	}
}

package memcached

import (
	"strings"
	"testing"
	"time"
)

func TestNewValidatesOptions(t *testing.T) {
	one := []string{"127.0.0.1:11211"}
	tests := []struct {
		name    string
		opts    Options
		wantErr string // "" when New must succeed
	}{
		{name: "one server and zero values is valid", opts: Options{Servers: one}},
		{name: "a pool of TCP and unix servers is valid", opts: Options{Servers: []string{"127.0.0.1:11211", "/run/memcached.sock"}}},
		{name: "a host name is not resolved, so an unknown one is valid", opts: Options{Servers: []string{"memcached.invalid:11211"}}},
		{name: "MaxItemSize of 1024, memcached's minimum, is valid", opts: Options{Servers: one, MaxItemSize: 1024}},
		{name: "no servers is an error", opts: Options{}, wantErr: "memcached: Servers: at least one server is required"},
		{name: "a server without a port is an error naming it", opts: Options{Servers: []string{"127.0.0.1:11211", "cache"}}, wantErr: `memcached: Servers[1] "cache"`},
		{name: "a negative Timeout is an error", opts: Options{Servers: one, Timeout: -time.Second}, wantErr: "memcached: Timeout: must be >= 0"},
		{name: "a negative MaxIdleConns is an error", opts: Options{Servers: one, MaxIdleConns: -1}, wantErr: "memcached: MaxIdleConns: must be >= 0"},
		{name: "a negative MaxItemSize is an error", opts: Options{Servers: one, MaxItemSize: -1}, wantErr: "memcached: MaxItemSize: must be 0 (1 MiB) or >= 1024"},
		{name: "a MaxItemSize under 1024 is an error", opts: Options{Servers: one, MaxItemSize: 1023}, wantErr: "memcached: MaxItemSize: must be 0 (1 MiB) or >= 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.opts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New(%+v): got error %v, want none", tt.opts, err)
				}
				s.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New(%+v): got error %v, want one containing %q", tt.opts, err, tt.wantErr)
			}
		})
	}
}

func TestNewAppliesDefaults(t *testing.T) {
	tests := []struct {
		name         string
		opts         Options
		wantTimeout  time.Duration
		wantIdle     int
		wantItemSize int
	}{
		{name: "zero values select the defaults", opts: Options{}, wantTimeout: 100 * time.Millisecond, wantIdle: 64, wantItemSize: 1 << 20},
		{name: "set values are kept", opts: Options{Timeout: time.Second, MaxIdleConns: 8, MaxItemSize: 2 << 20}, wantTimeout: time.Second, wantIdle: 8, wantItemSize: 2 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Servers = []string{"127.0.0.1:11211"}
			s, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.client.Timeout != tt.wantTimeout {
				t.Errorf("Timeout: got %v, want %v", s.client.Timeout, tt.wantTimeout)
			}
			if s.client.MaxIdleConns != tt.wantIdle {
				t.Errorf("MaxIdleConns: got %d, want %d", s.client.MaxIdleConns, tt.wantIdle)
			}
			if s.maxItemSize != tt.wantItemSize {
				t.Errorf("MaxItemSize: got %d, want %d", s.maxItemSize, tt.wantItemSize)
			}
		})
	}
}

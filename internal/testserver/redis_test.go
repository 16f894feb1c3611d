package testserver

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// redisPing sends PING over network and address, after AUTH when password is
// set, and fails t unless the answer is PONG.
func redisPing(t *testing.T, network, address, password string) {
	t.Helper()
	got, err := redisDo(network, address, password, 2*time.Second, "PING")
	if err != nil || got != "PONG" {
		t.Fatalf("PING over %s %s: got %q, %v, want PONG", network, address, got, err)
	}
}

var redisOptionRows = []struct {
	name string
	opts RedisOptions
}{
	{name: "plain TCP", opts: RedisOptions{}},
	{name: "password", opts: RedisOptions{Password: "s3cret:/@"}},
	{name: "unix socket", opts: RedisOptions{Socket: true}},
}

func TestRedisStarts(t *testing.T) {
	t.Parallel()
	for _, tt := range redisOptionRows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := NewRedis(t, tt.opts)
			redisPing(t, "tcp", r.Addr, tt.opts.Password)
			if !strings.HasPrefix(r.Addr, "127.0.0.1:") {
				t.Errorf("Addr: got %q, want 127.0.0.1:port", r.Addr)
			}
			u, err := url.Parse(r.URL)
			if err != nil {
				t.Fatalf("URL %q: %v", r.URL, err)
			}
			password, _ := u.User.Password()
			if u.Scheme != "redis" || u.Host != r.Addr || u.Path != "/0" || password != tt.opts.Password {
				t.Errorf("URL: got %q, want redis://%s/0 with password %q", r.URL, r.Addr, tt.opts.Password)
			}
			if got, want := r.Socket != "", tt.opts.Socket; got != want {
				t.Fatalf("Socket: got %q, want set = %v", r.Socket, want)
			}
			if r.Socket != "" {
				redisPing(t, "unix", r.Socket, tt.opts.Password)
			}
		})
	}
}

func TestRedisPasswordRequiresAuth(t *testing.T) {
	t.Parallel()
	r := NewRedis(t, RedisOptions{Password: "s3cret"})
	tests := []struct {
		name     string
		password string
		want     string // prefix of the error
	}{
		{name: "no AUTH is refused", password: "", want: "testserver: redis replied NOAUTH"},
		{name: "wrong password is refused", password: "wrong", want: "testserver: redis replied WRONGPASS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := redisDo("tcp", r.Addr, tt.password, 2*time.Second, "PING")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("PING: got error %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestRedisKillRestart(t *testing.T) {
	t.Parallel()
	for _, tt := range redisOptionRows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := NewRedis(t, tt.opts)
			if _, err := redisDo("tcp", r.Addr, tt.opts.Password, 2*time.Second, "SET", "k", "v"); err != nil {
				t.Fatalf("SET: %v", err)
			}
			if err := r.Kill(); err != nil {
				t.Fatalf("Kill: %v", err)
			}
			checkRefused(t, "tcp", r.Addr)
			if r.Socket != "" {
				checkRefused(t, "unix", r.Socket)
			}
			if err := r.Kill(); err != nil {
				t.Fatalf("second Kill: got %v, want nil", err)
			}
			if err := r.Restart(); err != nil {
				t.Fatalf("Restart: %v", err)
			}
			redisPing(t, "tcp", r.Addr, tt.opts.Password)
			if r.Socket != "" {
				redisPing(t, "unix", r.Socket, tt.opts.Password)
			}
			got, err := redisDo("tcp", r.Addr, tt.opts.Password, 2*time.Second, "GET", "k")
			if err != nil || got != "" {
				t.Fatalf("GET after restart: got %q, %v, want empty (nothing persisted)", got, err)
			}
		})
	}
}

func TestRedisRestartRunning(t *testing.T) {
	t.Parallel()
	r := NewRedis(t, RedisOptions{})
	if err := r.Restart(); err != nil {
		t.Fatalf("Restart of a running server: %v", err)
	}
	redisPing(t, "tcp", r.Addr, "")
}

func TestRedisClose(t *testing.T) {
	t.Parallel()
	r, err := StartRedis(RedisOptions{Socket: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := r.Close(); err != nil {
			t.Fatalf("Close #%d: got %v, want nil", i+1, err)
		}
	}
	checkRefused(t, "tcp", r.Addr)
	checkRefused(t, "unix", r.Socket)
	if err := r.Restart(); err == nil || !strings.Contains(err.Error(), "restart after close") {
		t.Fatalf("Restart after Close: got %v, want restart after close", err)
	}
}

func TestRedisConcurrentKillRestart(t *testing.T) {
	t.Parallel()
	r := NewRedis(t, RedisOptions{})
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = r.Kill()
			} else {
				err = r.Restart()
			}
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if err := r.Restart(); err != nil {
		t.Fatalf("Restart: %v", err)
	}
	redisPing(t, "tcp", r.Addr, "")
}

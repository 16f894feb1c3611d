package testserver

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Redis is a redis-server process listening on 127.0.0.1 (and optionally a
// unix socket), with no persistence. Its methods are safe for concurrent use.
type Redis struct {
	// Addr is the "127.0.0.1:port" the server listens on.
	Addr string
	// URL is "redis://127.0.0.1:port/0", with ":password@" when a password is set.
	URL string
	// Socket is the unix socket path; "" unless RedisOptions.Socket.
	Socket string

	proc *process
}

// RedisOptions configures StartRedis. The zero value is a server without a
// password on TCP only.
type RedisOptions struct {
	// Password is the server's requirepass. Default: "". Empty means no password.
	Password string
	// Socket makes the server also listen on a unix socket in its temporary
	// directory. Default: false.
	Socket bool
}

// StartRedis starts a redis-server on a free port of 127.0.0.1 and returns once
// it answers PING. The caller must Close it.
func StartRedis(opts RedisOptions) (*Redis, error) {
	return startRedis(opts, nil)
}

// NewRedis is StartRedis for a test: it calls t.Fatal on error and closes the
// server when the test ends.
func NewRedis(t testing.TB, opts RedisOptions) *Redis {
	t.Helper()
	r, err := StartRedis(opts)
	return mustStart(t, r, err)
}

// startRedis starts a redis-server with opts, adding the flags that extra
// returns for its port when extra is not nil.
func startRedis(opts RedisOptions, extra func(port int) ([]string, error)) (*Redis, error) {
	bin, err := findBinary("redis-server", "PLUGCACHE_REDIS_SERVER")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pc")
	if err != nil {
		return nil, fmt.Errorf("testserver: %w", err)
	}
	r := &Redis{}
	if opts.Socket {
		r.Socket = filepath.Join(dir, "redis.sock")
	}
	proc, port, err := startOnFreePort(dir, func(port int) (command, error) {
		args := []string{
			"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--protected-mode", "no",
			"--save", "", "--appendonly", "no", "--dir", dir,
		}
		if r.Socket != "" {
			args = append(args, "--unixsocket", r.Socket, "--unixsocketperm", "700")
		}
		if opts.Password != "" {
			args = append(args, "--requirepass", opts.Password)
		}
		if extra != nil {
			more, err := extra(port)
			if err != nil {
				return command{}, err
			}
			args = append(args, more...)
		}
		return command{
			name: "redis-server", path: bin, args: args,
			network: "tcp", address: loopback(port), probe: redisProbe(opts.Password != ""),
		}, nil
	})
	if err != nil {
		return nil, err
	}
	r.proc = proc
	r.Addr = loopback(port)
	r.URL = redisURL(r.Addr, opts.Password, "/0")
	return r, nil
}

// redisURL returns the redis:// URL of addr with path, carrying password when
// it is set.
func redisURL(addr, password, path string) string {
	u := url.URL{Scheme: "redis", Host: addr, Path: path}
	if password != "" {
		u.User = url.UserPassword("", password)
	}
	return u.String()
}

// Kill sends SIGKILL to the server and waits for it to exit, as in a crash:
// clients see their connections reset and new ones refused. It does nothing
// when the server is not running.
func (r *Redis) Kill() error {
	r.proc.kill()
	return nil
}

// Restart starts the server again on the same port and socket, killing it
// first if it runs, and returns once it answers PING. The data is gone, as
// nothing is persisted. It fails after Close.
func (r *Redis) Restart() error {
	return r.proc.restart()
}

// Close stops the server for good and removes its temporary directory. It is
// idempotent.
func (r *Redis) Close() error {
	return r.proc.close()
}

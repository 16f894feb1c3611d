package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/storetest"
	"github.com/plugcache/plugcache/internal/lazybytes"
	"github.com/plugcache/plugcache/internal/testserver"
)

// testTimeout is the client and Store timeout of the stores that the
// acceptance suite drives: looser than the 100ms default, so that a loaded
// machine running the race detector does not fail calls that should pass. The
// stall tests check the defaults.
const testTimeout = time.Second

// newStore returns a Store for o, with testTimeout unless o sets a timeout. The
// caller closes it.
func newStore(t *testing.T, o ClientOptions) *Store {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = testTimeout
	}
	client, err := NewClient(o)
	if err != nil {
		t.Fatalf("NewClient(%v): got error %v, want nil", o, err)
	}
	return New(client, Options{Timeout: testTimeout})
}

func TestStore(t *testing.T) {
	t.Parallel()
	const password = "store-" + secret
	tests := []struct {
		name    string
		server  testserver.RedisOptions
		opts    func(r *testserver.Redis) ClientOptions
		restart bool
	}{
		{
			name:    "single server over TCP, killed and restarted",
			opts:    func(r *testserver.Redis) ClientOptions { return ClientOptions{URL: r.URL} },
			restart: true,
		},
		{
			name:   "password in the URL",
			server: testserver.RedisOptions{Password: password},
			opts:   func(r *testserver.Redis) ClientOptions { return ClientOptions{URL: r.URL} },
		},
		{
			name:   "password in ClientOptions.Password",
			server: testserver.RedisOptions{Password: password},
			opts: func(r *testserver.Redis) ClientOptions {
				return ClientOptions{URL: "redis://" + r.Addr + "/0", Password: password}
			},
		},
		{
			name:   "unix socket",
			server: testserver.RedisOptions{Socket: true},
			opts: func(r *testserver.Redis) ClientOptions {
				return ClientOptions{URL: "unix://" + r.Socket + "?db=0"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testserver.NewRedis(t, tt.server)
			h := storetest.Harness{
				New: func(t *testing.T) backends.Store { return newStore(t, tt.opts(r)) },
			}
			if tt.restart {
				h.Kill = func(t *testing.T) {
					if err := r.Kill(); err != nil {
						t.Fatalf("Kill: got error %v, want nil", err)
					}
				}
				h.Restart = func(t *testing.T) {
					if err := r.Restart(); err != nil {
						t.Fatalf("Restart: got error %v, want nil", err)
					}
				}
			}
			storetest.Run(t, h)
		})
	}
}

// TestCluster starts one cluster, which takes seconds, for all its subtests.
func TestCluster(t *testing.T) {
	t.Parallel()
	c := testserver.NewRedisCluster(t, testserver.RedisClusterOptions{})
	t.Run("storetest over 3 masters", func(t *testing.T) {
		t.Parallel()
		storetest.Run(t, storetest.Harness{
			New: func(t *testing.T) backends.Store { return newStore(t, ClientOptions{ClusterURLs: c.URLs}) },
		})
	})
	t.Run("storetest over 3 masters from one root node, reading from replicas", func(t *testing.T) {
		t.Parallel()
		storetest.Run(t, storetest.Harness{
			New: func(t *testing.T) backends.Store {
				return newStore(t, ClientOptions{ClusterURLs: c.URLs[:1], UseReplicas: true})
			},
		})
	})
	t.Run("keys spread over every master", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, ClientOptions{ClusterURLs: c.URLs})
		defer s.Close()
		prefix := fmt.Sprintf("spread/%d/", time.Now().UnixNano())
		for i := range 64 {
			if err := s.Set(t.Context(), fmt.Sprint(prefix, i), []byte("v"), time.Minute); err != nil {
				t.Fatalf("Set: got error %v, want nil", err)
			}
		}
		for _, addr := range c.Addrs {
			node := goredis.NewClient(&goredis.Options{Addr: addr})
			keys, err := node.Keys(t.Context(), prefix+"*").Result()
			node.Close()
			if err != nil || len(keys) == 0 {
				t.Errorf("KEYS %s* on master %s: got %d keys and error %v, want some keys", prefix, addr, len(keys), err)
			}
		}
	})
}

// recorder is a go-redis hook that keeps the arguments of every command that
// its client sends, so that tests see what reaches the server.
type recorder struct {
	mu   sync.Mutex
	cmds [][]any
}

func (r *recorder) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (r *recorder) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		r.mu.Lock()
		r.cmds = append(r.cmds, cmd.Args())
		r.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (r *recorder) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return next
}

// take returns the commands recorded since the last take, each as its words
// without the value, which is the third.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var cmds []string
	for _, args := range r.cmds {
		words := make([]string, 0, len(args))
		for i, a := range args {
			if i != 2 {
				words = append(words, fmt.Sprint(a))
			}
		}
		cmds = append(cmds, strings.Join(words, " "))
	}
	r.cmds = nil
	return cmds
}

// newRecordedStore returns a Store on a fresh server, and the recorder of what
// its client sends once connected.
func newRecordedStore(t *testing.T) (*Store, *recorder) {
	t.Helper()
	r := testserver.NewRedis(t, testserver.RedisOptions{})
	client, err := NewClient(ClientOptions{URL: r.URL, Timeout: testTimeout})
	if err != nil {
		t.Fatalf("NewClient: got error %v, want nil", err)
	}
	// Connect before recording, so that the handshake is not recorded.
	if err := client.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("PING: got error %v, want nil", err)
	}
	rec := &recorder{}
	client.AddHook(rec)
	s := New(client, Options{Timeout: testTimeout})
	t.Cleanup(func() { s.Close() })
	return s, rec
}

func TestWrites(t *testing.T) {
	t.Parallel()
	s, rec := newRecordedStore(t)
	big, release := lazybytes.New(maxValueSize + 1)
	t.Cleanup(release)
	set := func(ctx context.Context, ttl time.Duration, v []byte) error { return s.Set(ctx, "k", v, ttl) }
	add := func(ctx context.Context, ttl time.Duration, v []byte) error {
		s.Delete(ctx, "k")
		rec.take()
		_, err := s.Add(ctx, "k", v, ttl)
		return err
	}
	tests := []struct {
		name    string
		write   func(ctx context.Context, ttl time.Duration, v []byte) error
		ttl     time.Duration
		value   []byte
		want    []string // commands sent
		wantErr error    // nil for none, errAny for any
	}{
		{"Set with ttl 0 sets no expiry", set, 0, []byte("v"), []string{"set k"}, nil},
		{"Set sends a sub-second ttl in milliseconds", set, 1500 * time.Millisecond, []byte("v"), []string{"set k px 1500"}, nil},
		{"Set sends whole seconds as EX, just as exact", set, 2 * time.Second, []byte("v"), []string{"set k ex 2"}, nil},
		{"Set rounds a ttl up to the millisecond", set, 1500*time.Millisecond + time.Nanosecond, []byte("v"), []string{"set k px 1501"}, nil},
		{"Set keeps a 1ns ttl as 1ms, not as no expiry", set, time.Nanosecond, []byte("v"), []string{"set k px 1"}, nil},
		{"Set refuses a negative ttl and sends nothing", set, -time.Second, []byte("v"), nil, errAny},
		{"Set refuses a value over 512 MiB with ErrTooLarge and sends nothing", set, 0, big, nil, backends.ErrTooLarge},
		{"Add is SET NX without expiry for ttl 0", add, 0, []byte("v"), []string{"set k nx"}, nil},
		{"Add is SET NX PX for a sub-second ttl", add, 250 * time.Millisecond, []byte("v"), []string{"set k px 250 nx"}, nil},
		{"Add refuses a negative ttl and sends nothing", add, -time.Millisecond, []byte("v"), nil, errAny},
		{"Add refuses a value over 512 MiB with ErrTooLarge and sends nothing", add, 0, big, nil, backends.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.take()
			err := tt.write(t.Context(), tt.ttl, tt.value)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("got error %v, want nil", err)
			case tt.wantErr == errAny && err == nil:
				t.Errorf("got no error, want one")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
			if got := rec.take(); !slices.Equal(got, tt.want) {
				t.Errorf("sent %q, want %q", got, tt.want)
			}
		})
	}
}

// errAny stands for any error in a table's wanted error.
var errAny = errors.New("any error")

func TestAddReportsWhetherItWrote(t *testing.T) {
	t.Parallel()
	s, _ := newRecordedStore(t)
	ctx := t.Context()
	tests := []struct {
		name      string
		value     string
		ttl       time.Duration
		sleep     time.Duration
		want      bool
		wantValue string
	}{
		{"Add of an absent key writes", "first", 100 * time.Millisecond, 0, true, "first"},
		{"Add of a present key does not write", "second", 0, 0, false, "first"},
		{"Add writes again once the ttl has passed", "third", 0, 200 * time.Millisecond, true, "third"},
	}
	for _, tt := range tests {
		time.Sleep(tt.sleep) // the server's own clock is what expires the key
		added, err := s.Add(ctx, "add", []byte(tt.value), tt.ttl)
		if err != nil || added != tt.want {
			t.Fatalf("%s: got %v, %v, want %v, nil", tt.name, added, err, tt.want)
		}
		if got, err := s.Get(ctx, "add"); err != nil || string(got) != tt.wantValue {
			t.Fatalf("%s: Get: got %q, %v, want %q, nil", tt.name, got, err, tt.wantValue)
		}
	}
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	const password = "right-" + secret
	r := testserver.NewRedis(t, testserver.RedisOptions{Password: password})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	refused := closed.Addr().String()
	closed.Close()

	closedStore := newStore(t, ClientOptions{URL: r.URL})
	closedStore.Close()
	tests := []struct {
		name string
		s    *Store
	}{
		{"a wrong password", newStore(t, ClientOptions{URL: "redis://" + r.Addr + "/0", Password: "wrong-" + secret})},
		{"no password for a server that wants one", newStore(t, ClientOptions{URL: "redis://" + r.Addr + "/0"})},
		{"a refused connection", newStore(t, ClientOptions{URL: "redis://:" + password + "@" + refused + "/0"})},
		{"a closed Store", closedStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer tt.s.Close()
			errs := map[string]error{"Set": tt.s.Set(t.Context(), "k", []byte("v"), 0), "Delete": tt.s.Delete(t.Context(), "k")}
			_, errs["Get"] = tt.s.Get(t.Context(), "k")
			_, errs["Add"] = tt.s.Add(t.Context(), "k", []byte("v"), 0)
			for op, err := range errs {
				if !errors.Is(err, backends.ErrUnavailable) {
					t.Errorf("%s: got error %v, want ErrUnavailable", op, err)
				}
				if err != nil && (strings.Contains(err.Error(), secret) || !strings.HasPrefix(err.Error(), "store unavailable: redis: ")) {
					t.Errorf("%s: got error %q, want one prefixed by redis: without a password", op, err)
				}
			}
		})
	}
}

func TestStoreInterfaces(t *testing.T) {
	var s any = &Store{}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"Store is a backends.Adder", is[backends.Adder](s), true},
		{"Store is a backends.Limiter", is[backends.Limiter](s), true},
		{"Store is not a backends.Clearer: FLUSHALL would wipe the whole server", is[backends.Clearer](s), false},
		{"Store is not backends.Local: redis is shared", is[backends.Local](s), false},
		{"MaxValueSize is 512 MiB whatever the key", (&Store{}).MaxValueSize("k") == 512<<20, true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// is reports whether v implements T.
func is[T any](v any) bool {
	_, ok := v.(T)
	return ok
}

func TestNewPanicsOnANilClient(t *testing.T) {
	defer func() {
		if got := recover(); got != "redis: New: nil client" {
			t.Errorf("New(nil): got panic %v, want %q", got, "redis: New: nil client")
		}
	}()
	New(nil, Options{})
}

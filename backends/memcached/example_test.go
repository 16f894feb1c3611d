package memcached_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/memcached"
	"github.com/plugcache/plugcache/internal/testserver"
)

// addr is the memcached that the examples use, started by TestMain.
var addr string

func TestMain(m *testing.M) {
	server, err := testserver.StartMemcached(testserver.MemcachedOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	addr = server.Addr
	code := m.Run()
	server.Close()
	os.Exit(code)
}

func ExampleNew() {
	s, err := memcached.New(memcached.Options{
		Servers: []string{addr}, // "host:port" or "/run/memcached.sock"; several for a pool
		Timeout: 500 * time.Millisecond,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	if err := s.Set(ctx, "greeting", []byte("hello"), time.Minute); err != nil {
		log.Fatal(err)
	}
	v, err := s.Get(ctx, "greeting")
	fmt.Println(string(v), err)

	// Any string is a key: this one is too long for memcached, and is sent as its hash.
	long := strings.Repeat("k", 300)
	err = s.Set(ctx, long, []byte("long"), time.Minute)
	fmt.Println(err)

	_, err = s.Get(ctx, "absent")
	fmt.Println(errors.Is(err, backends.ErrNotFound))

	err = s.Set(ctx, "big", make([]byte, s.MaxValueSize("big")+1), time.Minute)
	fmt.Println(errors.Is(err, backends.ErrTooLarge))
	// Output:
	// hello <nil>
	// <nil>
	// true
	// true
}

func ExampleNew_invalidServer() {
	_, err := memcached.New(memcached.Options{Servers: []string{"127.0.0.1:11211", "cache"}})
	fmt.Println(err)
	// Output:
	// memcached: Servers[1] "cache": want "host:port" or a unix socket path
}

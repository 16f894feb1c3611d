package testserver_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"github.com/plugcache/plugcache/internal/testserver"
)

// ping sends a raw RESP PING to addr and returns the reply line.
func ping(addr string) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err.Error()
	}
	defer conn.Close()
	io.WriteString(conn, "*1\r\n$4\r\nPING\r\n")
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

func ExampleStartRedis() {
	r, err := testserver.StartRedis(testserver.RedisOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println(ping(r.Addr))
	// Output: +PONG
}

func ExampleStartRedisCluster() {
	c, err := testserver.StartRedisCluster(testserver.RedisClusterOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(len(c.Addrs), "masters:", ping(c.Addrs[0]))
	// Output: 3 masters: +PONG
}

func ExampleStartMemcached() {
	m, err := testserver.StartMemcached(testserver.MemcachedOptions{MaxItemSize: 64 << 10})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	conn, err := net.Dial("tcp", m.Addr)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "set k 0 0 %d\r\n%s\r\n", 100<<10, strings.Repeat("x", 100<<10))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Println(strings.TrimSpace(line))
	// Output: SERVER_ERROR object too large for cache
}

func ExampleStartStallProxy() {
	r, err := testserver.StartRedis(testserver.RedisOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	p, err := testserver.StartStallProxy(r.Addr)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	fmt.Println(ping(p.Addr))
	// Output: +PONG
}

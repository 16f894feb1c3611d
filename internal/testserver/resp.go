package testserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// redisError is an error reply from a redis server, such as
// "NOAUTH Authentication required.".
type redisError string

// Error returns the reply with the package prefix.
func (e redisError) Error() string {
	return "testserver: redis replied " + string(e)
}

// respConn is the smallest RESP2 client that probes and cluster checks need:
// commands are arrays of bulk strings and replies are single values. It is not
// safe for concurrent use.
type respConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// newRESPConn speaks RESP over conn.
func newRESPConn(conn net.Conn) *respConn {
	return &respConn{conn: conn, r: bufio.NewReader(conn)}
}

// do sends one command and returns its reply: the text of a simple string,
// integer or bulk string (a nil bulk string reads as ""). An error reply
// becomes a redisError.
func (c *respConn) do(args ...string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(c.conn, b.String()); err != nil {
		return "", err
	}
	return c.read()
}

// read reads one reply.
func (c *respConn) read() (string, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return "", errors.New("testserver: empty RESP reply")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", redisError(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil {
			return "", fmt.Errorf("testserver: bad RESP bulk length %q", line)
		}
		if n < 0 {
			return "", nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	default:
		return "", fmt.Errorf("testserver: unsupported RESP reply %q", line)
	}
}

// redisDo dials the redis server at network and address, authenticates when
// password is set, sends one command and returns its reply, all within timeout.
func redisDo(network, address, password string, timeout time.Duration, args ...string) (string, error) {
	conn, err := net.DialTimeout(network, address, timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	c := newRESPConn(conn)
	if password != "" {
		if _, err := c.do("AUTH", password); err != nil {
			return "", err
		}
	}
	return c.do(args...)
}

// isNoAuth reports whether err is redis refusing a command before AUTH.
func isNoAuth(err error) bool {
	var re redisError
	return errors.As(err, &re) && strings.HasPrefix(string(re), "NOAUTH")
}

// redisProbe returns a readiness probe that sends PING and wants PONG, or a
// NOAUTH error when the server has a password.
func redisProbe(password bool) func(net.Conn) error {
	return func(conn net.Conn) error {
		reply, err := newRESPConn(conn).do("PING")
		if password && isNoAuth(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if reply != "PONG" {
			return fmt.Errorf("testserver: PING answered %q", reply)
		}
		return nil
	}
}

// Package rawhttp is a keep-alive HTTP/1.1 client of one connection, for the
// load generators that run in the process they measure: the benchmarks of
// the middleware and of benchmarks/.
//
//	c := rawhttp.New("127.0.0.1:8080")
//	resp, n, err := c.RoundTrip(rawhttp.Get("127.0.0.1:8080", "/page"))
//
// It writes a request's bytes and reads the response with http.ReadResponse,
// parsing HTTP as http.Client does, but without the Transport's two
// goroutines per connection: their scheduling, in the process under test,
// moved with the server's timing and swamped the difference between two
// handlers.
package rawhttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// Conn is one connection to addr, dialed on first use and again after an
// error. It is not safe for concurrent use: a load gives each of its callers
// one.
type Conn struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
}

// New returns a Conn to addr, host:port, without dialing.
func New(addr string) *Conn { return &Conn{addr: addr} }

// Get returns the bytes of a GET request for path on host, with no other
// header field: what RoundTrip sends.
func Get(host, path string) []byte {
	return []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
}

// RoundTrip sends req, a whole request, and reads the response to it,
// reading its body to the end and returning the body's length. After an
// error the connection is closed, and the next call dials again.
func (c *Conn) RoundTrip(req []byte) (*http.Response, int64, error) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return nil, 0, err
		}
		c.conn, c.br = conn, bufio.NewReader(conn)
	}
	resp, n, err := c.exchange(req)
	if err != nil || resp.Close {
		c.Close()
	}
	return resp, n, err
}

func (c *Conn) exchange(req []byte) (*http.Response, int64, error) {
	if _, err := c.conn.Write(req); err != nil {
		return nil, 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, n, err
}

// Close closes the connection, if open.
func (c *Conn) Close() error {
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn, c.br = nil, nil
	return err
}

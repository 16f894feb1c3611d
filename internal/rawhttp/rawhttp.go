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
	"time"
)

// Conn is one connection to addr, dialed on first use and again after an
// error. It is not safe for concurrent use: a load gives each of its callers
// one.
type Conn struct {
	addr    string
	timeout time.Duration
	conn    net.Conn
	br      *bufio.Reader
	renew   time.Time // when to move the connection's deadline on
}

// timeout bounds each exchange, so that a server that stops answering ends a
// load with an error rather than hanging it.
const timeout = 10 * time.Second

// New returns a Conn to addr, host:port, without dialing.
func New(addr string) *Conn { return &Conn{addr: addr, timeout: timeout} }

// Get returns the bytes of a GET request for path on host, with no other
// header field: what RoundTrip sends.
func Get(host, path string) []byte {
	return []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
}

// RoundTrip sends req, a whole request, and reads the response to it,
// reading its body to the end and returning the body's length. An exchange
// that has not ended 5 to 10 seconds after it began fails. After an error
// the connection is closed, and the next call dials again: unlike
// http.Client, it does not retry a request on a kept-alive connection that
// the server had closed.
func (c *Conn) RoundTrip(req []byte) (*http.Response, int64, error) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return nil, 0, err
		}
		c.conn, c.br, c.renew = conn, bufio.NewReader(conn), time.Time{}
	}
	// The deadline moves only once half of it is spent, so that most
	// exchanges read the clock and set nothing.
	if now := time.Now(); now.After(c.renew) {
		c.conn.SetDeadline(now.Add(c.timeout))
		c.renew = now.Add(c.timeout / 2)
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

package testserver

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

// proxyDialTimeout bounds the proxy's dial to its target.
const proxyDialTimeout = 5 * time.Second

// StallProxy forwards TCP connections from Addr to a target. Stall makes it
// stop moving bytes in both directions while connections stay open, so clients
// hang until their own deadline; Resume moves bytes again, including for
// connections opened while stalled. When either side of a connection closes or
// fails, the proxy closes both. Its methods are safe for concurrent use.
type StallProxy struct {
	// Addr is the "127.0.0.1:port" that clients dial.
	Addr string

	target string
	ln     net.Listener
	wg     sync.WaitGroup // the accept loop and every connection's goroutines

	mu      sync.Mutex
	changed *sync.Cond // broadcast when stalled turns false or closed turns true
	stalled bool
	closed  bool
	conns   map[net.Conn]struct{}
}

// StartStallProxy listens on a free port of 127.0.0.1 and forwards every
// connection to target, which it dials for each accepted connection. When the
// dial fails the client's connection is closed. The caller must Close it.
func StartStallProxy(target string) (*StallProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("testserver: stall proxy: %w", err)
	}
	p := &StallProxy{Addr: ln.Addr().String(), target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	p.changed = sync.NewCond(&p.mu)
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// NewStallProxy is StartStallProxy for a test: it calls t.Fatal on error and
// closes the proxy when the test ends.
func NewStallProxy(t testing.TB, target string) *StallProxy {
	t.Helper()
	p, err := StartStallProxy(target)
	return mustStart(t, p, err)
}

// Stall stops moving bytes: data read from either side is held until Resume.
func (p *StallProxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = true
}

// Resume moves bytes again, held ones first.
func (p *StallProxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = false
	p.changed.Broadcast()
}

// Close stops accepting, closes every connection and returns once all the
// proxy's goroutines have ended. It is idempotent.
func (p *StallProxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.changed.Broadcast()
	err := p.ln.Close()
	for conn := range p.conns {
		conn.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	if err != nil {
		return fmt.Errorf("testserver: stall proxy: %w", err)
	}
	return nil
}

// serve accepts connections until the listener closes.
func (p *StallProxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.handle(client)
	}
}

// handle forwards one client connection, with one goroutine per direction.
func (p *StallProxy) handle(client net.Conn) {
	defer p.wg.Done()
	server, err := net.DialTimeout("tcp", p.target, proxyDialTimeout)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		return
	}
	defer p.untrack(client, server)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.pipe(server, client)
	}()
	p.pipe(client, server)
	<-done
}

// track registers a connection pair for Close, and closes it instead when the
// proxy is closed already.
func (p *StallProxy) track(a, b net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		a.Close()
		b.Close()
		return false
	}
	p.conns[a] = struct{}{}
	p.conns[b] = struct{}{}
	return true
}

// untrack forgets a connection pair.
func (p *StallProxy) untrack(a, b net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, a)
	delete(p.conns, b)
}

// pipe copies src to dst, holding each chunk while the proxy is stalled, until
// a side fails or the proxy closes; then it closes both, which ends the pipe
// of the other direction too.
func (p *StallProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.waitFlowing() {
				return
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// waitFlowing blocks while the proxy is stalled and reports whether it is
// still open.
func (p *StallProxy) waitFlowing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.stalled && !p.closed {
		p.changed.Wait()
	}
	return !p.closed
}

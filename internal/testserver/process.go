package testserver

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	// readyTimeout bounds how long a server may take to answer its first probe.
	readyTimeout = 10 * time.Second
	// rebindTimeout bounds how long a restart retries an address that was just released.
	rebindTimeout = 5 * time.Second
	// probeInterval is the pause between two readiness probes.
	probeInterval = 20 * time.Millisecond
	// portAttempts is how many free ports a first start tries before it gives up.
	portAttempts = 5
	// outputLimit is how many trailing bytes of a server's output are kept for errors.
	outputLimit = 4096
)

// errExited reports that a server ended before it answered its probe, which is
// how a lost race for a port shows itself.
var errExited = errors.New("exited before it was ready")

// findBinary returns the path of the program name: the value of the
// environment variable env when it is set, else the first match on PATH or in
// the usual system directories.
func findBinary(name, env string) (string, error) {
	if v := os.Getenv(env); v != "" {
		path, err := exec.LookPath(v)
		if err != nil {
			return "", fmt.Errorf("testserver: %s=%q: %w", env, v, err)
		}
		return path, nil
	}
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	for _, dir := range []string{"/usr/bin", "/usr/sbin", "/usr/local/bin"} {
		if path, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("testserver: %s not found in PATH: run \"make test\", which installs it", name)
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testserver: find a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, fmt.Errorf("testserver: find a free port: %w", err)
	}
	return port, nil
}

// loopback returns the "127.0.0.1:port" address of port.
func loopback(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// tailBuffer is an io.Writer that keeps the last outputLimit bytes written to
// it. It is safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// Write keeps the tail of p and never fails.
func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - outputLimit; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// String returns the kept output with surrounding blank space trimmed.
func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}

// outputSuffix formats a server's output for the end of an error message.
func outputSuffix(name, out string) string {
	if out == "" {
		return ""
	}
	return "\n--- " + name + " output (tail) ---\n" + out
}

// command says how to run one server and how to tell that it is ready.
type command struct {
	name    string   // program name for errors, such as "redis-server"
	path    string   // binary
	args    []string // arguments after the program name
	network string   // "tcp" or "unix": where the probe dials
	address string
	probe   func(net.Conn) error // speaks to the server; nil means ready
}

// execution is one run of a command.
type execution struct {
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{} // closed once the process has exited
	err  error         // Wait's result; read only after done is closed
}

// launch starts c and waits until it answers its probe. An error wraps
// errExited when the process ended first.
func launch(c command) (*execution, error) {
	out := &tailBuffer{}
	cmd := exec.Command(c.path, c.args...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testserver: start %s: %w", c.name, err)
	}
	e := &execution{cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		e.err = cmd.Wait()
		close(e.done)
	}()
	if err := e.waitReady(c); err != nil {
		e.kill()
		return nil, err
	}
	return e, nil
}

// waitReady probes c until it answers, its process exits, or readyTimeout
// passes.
func (e *execution) waitReady(c command) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		err := probe(c)
		select {
		case <-e.done:
			return fmt.Errorf("testserver: %s %w (%v)%s", c.name, errExited, e.err, outputSuffix(c.name, e.out.String()))
		default:
		}
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("testserver: %s at %s not ready after %v: %v%s",
				c.name, c.address, readyTimeout, err, outputSuffix(c.name, e.out.String()))
		}
		time.Sleep(probeInterval)
	}
}

// probe dials c's address once and runs its probe with a short deadline.
func probe(c command) error {
	conn, err := net.DialTimeout(c.network, c.address, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	return c.probe(conn)
}

// kill sends SIGKILL and waits for the process to exit.
func (e *execution) kill() {
	// Signal fails only when the process has already exited, and then done is closed.
	_ = e.cmd.Process.Signal(syscall.SIGKILL)
	<-e.done
}

// process runs a command, and runs it again on restart. It owns a temporary
// directory that close removes. It is safe for concurrent use.
type process struct {
	cmd command
	dir string

	mu     sync.Mutex
	live   *execution // nil when nothing runs
	closed bool
}

// startProcess starts c, which keeps its files in dir, and waits until it is
// ready. On error it removes dir.
func startProcess(c command, dir string) (*process, error) {
	e, err := launch(c)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &process{cmd: c, dir: dir, live: e}, nil
}

// startOnFreePort starts the command that build makes for a free port, and
// tries another port when the server exits before it is ready, as it does when
// another process took the port first. On error it removes dir.
func startOnFreePort(dir string, build func(port int) (command, error)) (*process, int, error) {
	var err error
	for range portAttempts {
		var port int
		var c command
		var e *execution
		if port, err = freePort(); err != nil {
			break
		}
		if c, err = build(port); err != nil {
			break
		}
		if e, err = launch(c); err == nil {
			return &process{cmd: c, dir: dir, live: e}, port, nil
		}
		if !errors.Is(err, errExited) {
			break
		}
	}
	os.RemoveAll(dir)
	return nil, 0, err
}

// kill sends SIGKILL to the running process, if any, and waits for it to exit.
func (p *process) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live != nil {
		p.live.kill()
		p.live = nil
	}
}

// restart kills the running process, if any, and starts the command again,
// retrying for rebindTimeout while the server cannot bind its address.
func (p *process) restart() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return fmt.Errorf("testserver: %s: restart after close", p.cmd.name)
	}
	if p.live != nil {
		p.live.kill()
		p.live = nil
	}
	deadline := time.Now().Add(rebindTimeout)
	for {
		e, err := launch(p.cmd)
		if err == nil {
			p.live = e
			return nil
		}
		if !errors.Is(err, errExited) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// close kills the running process, if any, and removes the directory. It is
// idempotent.
func (p *process) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.live != nil {
		p.live.kill()
		p.live = nil
	}
	if err := os.RemoveAll(p.dir); err != nil {
		return fmt.Errorf("testserver: %s: %w", p.cmd.name, err)
	}
	return nil
}

// mustStart fails t when err is set, and otherwise closes v when t ends.
func mustStart[T interface{ Close() error }](t testing.TB, v T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	})
	return v
}

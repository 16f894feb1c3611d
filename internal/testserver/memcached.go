package testserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	// memcachedChunkMax is memcached's default largest slab chunk, 512 KiB.
	memcachedChunkMax = 512 << 10
)

// Memcached is a memcached process listening on 127.0.0.1 or on a unix socket.
// Its methods are safe for concurrent use.
type Memcached struct {
	// Addr is the "127.0.0.1:port" memcached listens on; "" when it listens on
	// a socket.
	Addr string
	// Socket is the unix socket path when MemcachedOptions.Socket; then
	// memcached listens only on it, as memcached -s does.
	Socket string

	proc *process
}

// MemcachedOptions configures StartMemcached. The zero value is memcached's
// defaults on TCP.
type MemcachedOptions struct {
	// MaxItemSize is the largest item in bytes (memcached -I), key and
	// overhead included. Default: 1 MiB. Zero means memcached's default. It
	// must be a multiple of 1024.
	MaxItemSize int
	// MemoryMB is the cache memory in MiB (memcached -m). Default: 64. Zero
	// means 64.
	MemoryMB int
	// Socket makes memcached listen only on a unix socket in its temporary
	// directory instead of TCP. Default: false.
	Socket bool
	// Threads is the number of worker threads (memcached -t). memcached
	// hands each connection to one of them, so two clients on two
	// connections may be served by threads that wake at different speeds;
	// with one thread they are served alike. Default: 4, memcached's own.
	// Zero means the default.
	Threads int
}

// StartMemcached starts memcached on a free port of 127.0.0.1, or on a unix
// socket, and returns once it answers "version". The caller must Close it.
func StartMemcached(opts MemcachedOptions) (*Memcached, error) {
	base, err := memcachedArgs(opts)
	if err != nil {
		return nil, err
	}
	bin, err := findBinary("memcached", "PLUGCACHE_MEMCACHED")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pc")
	if err != nil {
		return nil, fmt.Errorf("testserver: %w", err)
	}
	m := &Memcached{}
	if opts.Socket {
		m.Socket = filepath.Join(dir, "memcached.sock")
		args := slices.Concat(base, []string{"-s", m.Socket, "-a", "0700"})
		m.proc, err = startProcess(memcachedCommand(bin, args, "unix", m.Socket), dir)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	proc, port, err := startOnFreePort(dir, func(port int) (command, error) {
		args := slices.Concat(base, []string{"-l", "127.0.0.1", "-p", strconv.Itoa(port)})
		return memcachedCommand(bin, args, "tcp", loopback(port)), nil
	})
	if err != nil {
		return nil, err
	}
	m.proc = proc
	m.Addr = loopback(port)
	return m, nil
}

// NewMemcached is StartMemcached for a test: it calls t.Fatal on error and
// closes the server when the test ends.
func NewMemcached(t testing.TB, opts MemcachedOptions) *Memcached {
	t.Helper()
	m, err := StartMemcached(opts)
	return mustStart(t, m, err)
}

// memcachedArgs validates opts and returns the flags that do not depend on
// where memcached listens.
func memcachedArgs(opts MemcachedOptions) ([]string, error) {
	if opts.MemoryMB < 0 {
		return nil, fmt.Errorf("testserver: MemoryMB: must be >= 0, got %d", opts.MemoryMB)
	}
	if opts.Threads < 0 {
		return nil, fmt.Errorf("testserver: Threads: must be >= 0, got %d", opts.Threads)
	}
	if opts.MaxItemSize < 0 || opts.MaxItemSize%1024 != 0 {
		return nil, fmt.Errorf("testserver: MaxItemSize: must be a multiple of 1024 and >= 0, got %d", opts.MaxItemSize)
	}
	memory := opts.MemoryMB
	if memory == 0 {
		memory = 64
	}
	args := []string{"-U", "0", "-m", strconv.Itoa(memory)}
	if opts.Threads > 0 {
		args = append(args, "-t", strconv.Itoa(opts.Threads))
	}
	if opts.MaxItemSize > 0 {
		// memcached 1.6 wants -I to be a multiple of its largest slab chunk,
		// which must divide its 1 MiB page: the lowest set bit fits both.
		chunk := min(opts.MaxItemSize&-opts.MaxItemSize, memcachedChunkMax)
		args = append(args, "-I", strconv.Itoa(opts.MaxItemSize), "-o", "slab_chunk_max="+strconv.Itoa(chunk))
	}
	if os.Geteuid() == 0 {
		// memcached refuses to run as root unless told which user to be.
		args = append(args, "-u", "root")
	}
	return args, nil
}

// memcachedCommand is memcached with args, probed at network and address.
func memcachedCommand(bin string, args []string, network, address string) command {
	return command{
		name: "memcached", path: bin, args: args,
		network: network, address: address, probe: memcachedProbe,
	}
}

// memcachedProbe sends "version" and wants a VERSION line.
func memcachedProbe(conn net.Conn) error {
	if _, err := io.WriteString(conn, "version\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "VERSION ") {
		return fmt.Errorf("testserver: version answered %q", strings.TrimSpace(line))
	}
	return nil
}

// Kill sends SIGKILL to memcached and waits for it to exit, as in a crash:
// clients see their connections reset and new ones refused. It does nothing
// when memcached is not running.
func (m *Memcached) Kill() error {
	m.proc.kill()
	return nil
}

// Restart starts memcached again on the same port or socket, killing it first
// if it runs, and returns once it answers "version". The cache starts empty. It
// fails after Close.
func (m *Memcached) Restart() error {
	return m.proc.restart()
}

// Close stops memcached for good and removes its temporary directory. It is
// idempotent.
func (m *Memcached) Close() error {
	return m.proc.close()
}

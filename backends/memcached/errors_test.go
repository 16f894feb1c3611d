package memcached

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/bradfitz/gomemcache/memcache"
	gocachestore "github.com/eko/gocache/lib/v4/store"

	"github.com/plugcache/plugcache/backends"
)

func TestCallError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error // the sentinel the result must wrap; nil for a nil result
	}{
		{name: "no error stays nil", err: nil, want: nil},
		{name: "gomemcache's cache miss is ErrNotFound", err: memcache.ErrCacheMiss, want: backends.ErrNotFound},
		{name: "gocache's miss is ErrNotFound", err: gocachestore.NotFoundWithCause(memcache.ErrCacheMiss), want: backends.ErrNotFound},
		{name: "gocache's nil item is ErrNotFound", err: gocachestore.NotFoundWithCause(errors.New("unable to retrieve data from memcache")), want: backends.ErrNotFound},
		{name: "the server's object too large is ErrTooLarge", err: fmt.Errorf("memcache: unexpected response line from %q: %q", "set", "SERVER_ERROR object too large for cache\r\n"), want: backends.ErrTooLarge},
		{name: "a refused connection is ErrUnavailable", err: &netError{syscall.ECONNREFUSED}, want: backends.ErrUnavailable},
		{name: "a connect timeout is ErrUnavailable", err: &memcache.ConnectTimeoutError{Addr: tcpAddr("127.0.0.1:1")}, want: backends.ErrUnavailable},
		{name: "a cut connection is ErrUnavailable", err: io.EOF, want: backends.ErrUnavailable},
		{name: "out of memory is ErrUnavailable", err: errors.New(`memcache: unexpected response line from "set": "SERVER_ERROR out of memory storing object\r\n"`), want: backends.ErrUnavailable},
		{name: "no servers is ErrUnavailable", err: memcache.ErrNoServers, want: backends.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callError("get", tt.err)
			if tt.want == nil {
				if got != nil {
					t.Fatalf("callError(%v) = %v, want nil", tt.err, got)
				}
				return
			}
			if !errors.Is(got, tt.want) {
				t.Fatalf("callError(%v) = %v, want an error wrapping %v", tt.err, got, tt.want)
			}
			if tt.want != backends.ErrNotFound && !errors.Is(got, tt.err) {
				t.Errorf("callError(%v) = %v, want it to keep its cause", tt.err, got)
			}
			for _, other := range []error{backends.ErrNotFound, backends.ErrTooLarge, backends.ErrUnavailable} {
				if other != tt.want && errors.Is(got, other) {
					t.Errorf("callError(%v) = %v, want it not to wrap %v", tt.err, got, other)
				}
			}
		})
	}
}

func TestCheckCall(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()

	tests := []struct {
		name   string
		ctx    context.Context
		closed bool
		want   []error // what the error wraps; none for no error
	}{
		{name: "a live context on an open store may start", ctx: context.Background()},
		{name: "a canceled context is ErrUnavailable and context.Canceled", ctx: canceled, want: []error{backends.ErrUnavailable, context.Canceled}},
		{name: "an expired context is ErrUnavailable and DeadlineExceeded", ctx: expired, want: []error{backends.ErrUnavailable, context.DeadlineExceeded}},
		{name: "a closed store is ErrUnavailable", ctx: context.Background(), closed: true, want: []error{backends.ErrUnavailable, errClosed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Store{}
			s.closed.Store(tt.closed)
			err := s.checkCall(tt.ctx, "get")
			if len(tt.want) == 0 && err != nil {
				t.Fatalf("checkCall: got %v, want nil", err)
			}
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("checkCall: got %v, want an error wrapping %v", err, want)
				}
			}
		})
	}
}

// netError is a dial error as net returns it.
type netError struct{ err error }

func (e *netError) Error() string { return "dial tcp 127.0.0.1:1: " + e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

func TestCallErrorAllocatesNothingOnSuccess(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = callError("get", nil) }); n != 0 {
		t.Errorf("callError of a call that succeeded: %v allocations, want 0", n)
	}
}

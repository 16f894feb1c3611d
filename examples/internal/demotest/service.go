package demotest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds how long a program may take to start listening, and
// to return once its context is cancelled.
const startTimeout = 10 * time.Second

// RunFunc is a program's Run: it serves until ctx is done, printing to
// stdout, as demo.Program.Run does.
type RunFunc func(ctx context.Context, args []string, stdout io.Writer) error

// Service is one run of a program in a test, listening on a free port of
// 127.0.0.1. Its methods are safe for concurrent use.
type Service struct {
	// Base is the URL the program listens on, such as
	// http://127.0.0.1:41234.
	Base string

	out      *output
	client   *http.Client
	cancel   context.CancelFunc
	done     chan error // run's result
	stopOnce sync.Once
	stopErr  error
}

// Start runs run with -addr 127.0.0.1:0 and args, and returns once it has
// printed the address it listens on. The test's cleanup stops it.
func Start(t *testing.T, run RunFunc, args ...string) *Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		out:    newOutput(),
		client: &http.Client{Timeout: startTimeout, Transport: &http.Transport{}},
		cancel: cancel,
		done:   make(chan error, 1),
	}
	go func() {
		s.done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), s.out)
	}()
	t.Cleanup(func() { s.Stop() })
	select {
	case s.Base = <-s.out.base:
	case err := <-s.done:
		t.Fatalf("run returned before listening: %v\n%s", err, s.out)
	case <-time.After(startTimeout):
		t.Fatalf("run printed no address within %v:\n%s", startTimeout, s.out)
	}
	return s
}

// Do sends req and returns the response, with its body read.
func (s *Service) Do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL, err)
	}
	return resp, string(body)
}

// Output returns everything the program has printed so far.
func (s *Service) Output() string { return s.out.String() }

// Stop cancels the program's context and returns what its run returned, or
// an error if it did not return within startTimeout. Later calls return the
// same.
func (s *Service) Stop() error {
	s.stopOnce.Do(func() {
		s.client.CloseIdleConnections()
		s.cancel()
		select {
		case s.stopErr = <-s.done:
		case <-time.After(startTimeout):
			s.stopErr = errors.New("run did not return after its context was cancelled")
		}
	})
	return s.stopErr
}

// CheckCacheStatus reports each of want that the response's Cache-Status
// does not contain, for the step of a test called step.
func CheckCacheStatus(t *testing.T, step string, resp *http.Response, want []string) {
	t.Helper()
	got := resp.Header.Get("Cache-Status")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: Cache-Status: got %q, want it to contain %q", step, got, w)
		}
	}
}

// listening matches the line a program prints once it listens.
var listening = regexp.MustCompile(`listening on (http://[^ \n]+)`)

// output is a program's stdout in a test: it keeps everything written, for
// the test to read at any time, and hands over the base URL as soon as the
// program prints it. It is safe for concurrent use, as the program's logger
// and handlers write from many goroutines.
type output struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	sent bool
	base chan string // receives the base URL, once
}

// newOutput returns an empty output, waiting for the address.
func newOutput() *output { return &output{base: make(chan string, 1)} }

// Write keeps p and, the first time the output holds the listening line,
// sends its base URL.
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if !o.sent {
		if m := listening.FindSubmatch(o.buf.Bytes()); m != nil {
			o.sent = true
			o.base <- string(m[1])
		}
	}
	return len(p), nil
}

// String returns everything written so far.
func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

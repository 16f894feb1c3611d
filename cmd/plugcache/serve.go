package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// endpoint is one listener and the server that serves it.
type endpoint struct {
	name string // "proxy" or "admin", for errors and logs
	ln   net.Listener
	srv  *http.Server
}

// listen opens addr for the endpoint called name. Its error says which
// endpoint and why, such as "admin: cannot listen on 127.0.0.1:8091: bind:
// address already in use".
func listen(name, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if op, ok := errors.AsType[*net.OpError](err); ok {
			err = op.Err
		}
		return nil, fmt.Errorf("%s: cannot listen on %s: %w", name, addr, err)
	}
	return ln, nil
}

// newServer returns the http.Server for handler. It bounds reading a
// request's header, not its body or the response, which may stream for as
// long as they need.
func newServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// serve runs every endpoint until ctx is done, then stops accepting
// connections and lets the requests in flight finish for up to grace before
// cutting them off. It returns nil after a clean shutdown, an error when
// requests were cut off, and the server's error when one stopped by itself.
func serve(ctx context.Context, grace time.Duration, logger *slog.Logger, eps ...endpoint) error {
	type stopped struct {
		name string
		err  error
	}
	done := make(chan stopped, len(eps))
	for _, ep := range eps {
		go func() { done <- stopped{ep.name, ep.srv.Serve(ep.ln)} }()
	}
	var failed error
	pending := len(eps)
	select {
	case s := <-done:
		pending--
		failed = fmt.Errorf("%s: %w", s.name, s.err)
		logger.Error("server stopped", "server", s.name, "err", s.err)
	case <-ctx.Done():
		logger.Info("shutting down: no new connections; finishing requests in flight", "grace", grace)
	}
	cut := shutdown(grace, eps)
	for ; pending > 0; pending-- {
		<-done // http.ErrServerClosed, now that Shutdown or Close has returned
	}
	if failed != nil {
		return failed
	}
	if len(cut) > 0 {
		return fmt.Errorf("shutdown: requests in flight on %v outlived the grace of %s and were cut off", cut, grace)
	}
	return nil
}

// shutdown shuts every endpoint's server down at once, closing those whose
// requests outlive grace, and returns their names.
func shutdown(grace time.Duration, eps []endpoint) []string {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		cut []string
	)
	for _, ep := range eps {
		wg.Go(func() {
			if err := ep.srv.Shutdown(ctx); err != nil {
				ep.srv.Close()
				mu.Lock()
				cut = append(cut, ep.name)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return cut
}

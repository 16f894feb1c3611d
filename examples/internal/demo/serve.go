package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// shutdownTimeout bounds how long requests in flight may take to finish once
// the program is told to stop.
const shutdownTimeout = 5 * time.Second

// serve runs srv on ln until ctx is done, then shuts it down, giving requests
// in flight up to shutdownTimeout to finish. It returns nil after a clean
// shutdown, and the server's error if it stopped by itself.
func serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err // never nil: Serve returns only on failure here
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-served // http.ErrServerClosed, now that Shutdown has returned
	return nil
}

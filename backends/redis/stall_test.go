package redis

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/internal/testserver"
)

// Bounds of TestStall, loose on purpose: it checks that a stalled call ends
// about at its deadline, not how precisely.
const (
	// stallSlack is how long past its deadline a stalled call may take.
	stallSlack = 2 * time.Second
	// resumeWithin is how long the store may take to work again after Resume.
	resumeWithin = 5 * time.Second
)

func TestStall(t *testing.T) {
	t.Parallel()
	r := testserver.NewRedis(t, testserver.RedisOptions{})
	const long = time.Minute // a timeout that the test would notice
	tests := []struct {
		name          string
		clientTimeout time.Duration
		storeTimeout  time.Duration
		ctxTimeout    time.Duration // zero for none
		deadline      time.Duration // the one that ends the call
	}{
		{"the default 100ms timeouts end a stalled call", 0, 0, 0, defaultTimeout},
		{"Options.Timeout ends a stalled call", long, 200 * time.Millisecond, 0, 200 * time.Millisecond},
		{"ClientOptions.Timeout ends a stalled call", 200 * time.Millisecond, long, 0, 200 * time.Millisecond},
		{"an earlier context deadline ends a stalled call", long, long, 200 * time.Millisecond, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := testserver.NewStallProxy(t, r.Addr)
			client, err := NewClient(ClientOptions{URL: "redis://" + p.Addr + "/0", Timeout: tt.clientTimeout})
			if err != nil {
				t.Fatalf("NewClient: got error %v, want nil", err)
			}
			s := New(client, Options{Timeout: tt.storeTimeout})
			defer s.Close()
			key := t.Name()
			if err := s.Set(t.Context(), key, []byte("v"), 0); err != nil {
				t.Fatalf("Set before the stall: got error %v, want nil", err)
			}

			p.Stall()
			ctx := t.Context()
			if tt.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
				defer cancel()
			}
			start := time.Now()
			_, err = s.Get(ctx, key)
			elapsed := time.Since(start)
			if !errors.Is(err, backends.ErrUnavailable) {
				t.Errorf("Get while stalled: got error %v, want ErrUnavailable", err)
			}
			if elapsed > tt.deadline+stallSlack {
				t.Errorf("Get while stalled: returned after %v, want about %v", elapsed, tt.deadline)
			}

			p.Resume()
			for stop := time.Now().Add(resumeWithin); ; time.Sleep(50 * time.Millisecond) {
				got, err := s.Get(t.Context(), key)
				if err == nil && string(got) == "v" {
					break
				}
				if time.Now().After(stop) {
					t.Fatalf("Get after Resume: got %q, %v for %v, want \"v\", nil", got, err, resumeWithin)
				}
			}
		})
	}
}

// TestHangingDial gives the Store a client whose dials never finish and whose
// own timeouts are long: the Store's Timeout must still end each call, as it
// bounds the waits that only watch the context (the queued dial, the pool,
// the retry's backoff), not only the socket's reads and writes. The dial is
// faked: a real one that hangs needs a route to nowhere, which tests kept to
// 127.0.0.1 do not have.
func TestHangingDial(t *testing.T) {
	t.Parallel()
	const timeout = 200 * time.Millisecond
	client := goredis.NewClient(&goredis.Options{
		Addr: "127.0.0.1:1", // never dialed: Dialer hangs instead
		Dialer: func(ctx context.Context, _, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
		DialTimeout: time.Minute, ReadTimeout: time.Minute, WriteTimeout: time.Minute, PoolTimeout: time.Minute,
		ContextTimeoutEnabled: true,
	})
	s := New(client, Options{Timeout: timeout})
	defer s.Close()
	start := time.Now()
	_, err := s.Get(t.Context(), "k")
	elapsed := time.Since(start)
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("Get while the dial hangs: got error %v, want ErrUnavailable", err)
	}
	if elapsed > timeout+stallSlack {
		t.Errorf("Get while the dial hangs: returned after %v, want about %v", elapsed, timeout)
	}
}

package redis

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestClientLogWarnsOnceAMinutePerKind(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	c := newClientLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})), func() time.Time { return now })
	ctx := context.Background()
	const dial = "redis: connection pool: failed to dial after %d attempts: %v"
	for range 20 { // a pool of 20 failing its dials at once
		c.Printf(ctx, dial, 1, "connection refused")
	}
	c.Printf(ctx, "Conn has unread data (not push notification), removing it")
	if got := strings.Count(buf.String(), "failed to dial"); got != 1 {
		t.Errorf("20 failed dials in one minute: got %d warn lines, want 1:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), "unread data") {
		t.Errorf("another kind of line in the same minute: not logged, want it at warn:\n%s", buf.String())
	}
	buf.Reset()
	now = now.Add(clientLogEvery)
	c.Printf(ctx, dial, 1, "connection refused")
	if out := buf.String(); !strings.Contains(out, "failed to dial") || !strings.Contains(out, "more_like_it=19") {
		t.Errorf("a failed dial a minute later: got %q, want one warn line with more_like_it=19", out)
	}
}

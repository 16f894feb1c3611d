package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// RouteClientLogs sends go-redis's own log lines (such as "failed to dial"
// while a server is down), which go to stderr by default through a logger
// that go-redis keeps for the whole process, to l; a nil l discards them.
// Being process-wide, it is for programs to call once at start: plugcache's
// library code never calls it.
//
// go-redis writes a line per failed dial, so a server that goes down writes a
// burst of them, up to the pool's size. Each kind of line is therefore logged
// at warn level at most once a minute, saying how many like it came since the
// last; the others go to debug level.
func RouteClientLogs(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	goredis.SetLogger(newClientLog(l, time.Now))
}

// clientLogEvery is how often clientLog logs a kind of line at warn level.
const clientLogEvery = time.Minute

type clientLog struct {
	l   *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	seen map[string]*lineKind // by format: go-redis's formats are constants
}

type lineKind struct {
	warned time.Time
	since  int // lines of this kind logged at debug level since warned
}

func newClientLog(l *slog.Logger, now func() time.Time) *clientLog {
	return &clientLog{l: l, now: now, seen: map[string]*lineKind{}}
}

func (c *clientLog) Printf(ctx context.Context, format string, v ...any) {
	msg := "redis client: " + fmt.Sprintf(format, v...)
	now := c.now()
	c.mu.Lock()
	k := c.seen[format]
	if k == nil {
		k = &lineKind{}
		c.seen[format] = k
	}
	if !k.warned.IsZero() && now.Sub(k.warned) < clientLogEvery {
		k.since++
		c.mu.Unlock()
		c.l.DebugContext(ctx, msg)
		return
	}
	more := k.since
	k.warned, k.since = now, 0
	c.mu.Unlock()
	if more > 0 {
		c.l.WarnContext(ctx, msg, "more_like_it", more)
		return
	}
	c.l.WarnContext(ctx, msg)
}

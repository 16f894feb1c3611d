package redis

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// RouteClientLogs sends go-redis's own log lines (such as "failed to dial"
// while a server is down), which go to stderr by default through a logger
// that go-redis keeps for the whole process, to l at warn level; a nil l
// discards them. Being process-wide, it is for programs to call once at
// start: plugcache's library code never calls it.
func RouteClientLogs(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	goredis.SetLogger(clientLog{l})
}

type clientLog struct{ l *slog.Logger }

func (c clientLog) Printf(ctx context.Context, format string, v ...any) {
	c.l.WarnContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}

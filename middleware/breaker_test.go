package middleware

import (
	"errors"
	"log/slog"
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	clk := newClock()
	b := &breaker{now: clk.now, log: slog.New(slog.DiscardHandler)}
	boom := errors.New("down")
	steps := []struct {
		name      string
		advance   time.Duration
		do        func()
		wantAllow bool
	}{
		{name: "a healthy store is asked", wantAllow: true},
		{name: "four failures in a row do not trip it", do: func() {
			for range failuresToTrip - 1 {
				b.failure(boom)
			}
		}, wantAllow: true},
		{name: "the fifth trips it", do: func() { b.failure(boom) }, wantAllow: false},
		{name: "calls that were under way and fail do not extend the backoff", do: func() { b.failure(boom); b.failure(boom) }, wantAllow: false},
		{name: "after the backoff one probe goes through", advance: minBackoff, wantAllow: true},
		{name: "and only one", wantAllow: false},
		{name: "a failed probe doubles the backoff", do: func() { b.failure(boom) }, advance: minBackoff, wantAllow: false},
		{name: "the next probe comes after twice the backoff", advance: minBackoff, wantAllow: true},
		{name: "a probe that works closes it", do: func() { b.success() }, wantAllow: true},
		{name: "and every call is asked again", wantAllow: true},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		clk.advance(s.advance)
		if got := b.allow(); got != s.wantAllow {
			t.Errorf("%s: allow() got %v, want %v", s.name, got, s.wantAllow)
		}
	}
}

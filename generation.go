package plugcache

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/plugcache/plugcache/backends"
)

// generationRefresh is how long a process trusts the generation it last read
// from a shared store. A Clear made by another process shows within this time;
// one made by this process shows at once.
const generationRefresh = time.Second

// generation is the part of a plugin's keys that Clear changes: entries
// written under an older generation can no longer be reached, and the store's
// TTLs and eviction reclaim them. This empties one plugin on any store,
// including memcached, which cannot list keys.
type generation interface {
	// keyPrefix returns what the plugin's keys start with in the store now:
	// the namespace's prefix, the generation and ":". It is built once per
	// generation, so that a key costs one concatenation, or none.
	keyPrefix(ctx context.Context) (string, error)
	bump(ctx context.Context) error
}

// localGeneration is a counter kept in this process, for in-process stores.
// The counter is the store's own when the store keeps counters
// (backends.Counters), so that every Manager over one store agrees on it;
// each Manager keeps the key prefix of the count it last saw.
type localGeneration struct {
	prefix string
	n      *atomic.Uint64
	cur    atomic.Pointer[localCount]
}

type localCount struct {
	n         uint64
	keyPrefix string
}

func newLocalGeneration(prefix string, n *atomic.Uint64) *localGeneration {
	g := &localGeneration{prefix: prefix, n: n}
	g.cur.Store(g.count(n.Load()))
	return g
}

func (g *localGeneration) count(n uint64) *localCount {
	return &localCount{n: n, keyPrefix: g.prefix + strconv.FormatUint(n, 36) + ":"}
}

func (g *localGeneration) keyPrefix(context.Context) (string, error) {
	n := g.n.Load()
	if cur := g.cur.Load(); cur.n == n {
		return cur.keyPrefix, nil
	}
	// Another Manager's Clear, or a racing call's: either way n is the
	// count now, and the prefix is built once per count.
	cur := g.count(n)
	g.cur.Store(cur)
	return cur.keyPrefix, nil
}

func (g *localGeneration) bump(context.Context) error {
	g.n.Add(1)
	return nil
}

// generationCounter is the counter of the plugin whose keys start with
// prefix in the local store s: the store's own when it keeps counters, or else
// a new one, which only this Manager sees.
func generationCounter(s backends.Store, prefix string) *atomic.Uint64 {
	if c, ok := s.(backends.Counters); ok {
		if n := c.Counter(prefix + "generation"); n != nil {
			return n
		}
	}
	return new(atomic.Uint64)
}

// storedGeneration keeps a random token in the shared store, under a key of its
// own, so that every process agrees on it. A token that has been evicted or
// was never written is replaced by a new one, which at worst empties the
// plugin: it never brings back entries from before a Clear.
type storedGeneration struct {
	store  backends.Store
	prefix string // the namespace's
	key    string
	now    func() time.Time
	last   atomic.Pointer[readToken]
	group  singleflight.Group
}

// readToken is a token as read or written at a time, with the key prefix it
// makes.
type readToken struct {
	keyPrefix string
	at        time.Time
}

// remember makes token the one in use, read or written now, and returns its
// key prefix. It is for a token this process wrote itself.
func (g *storedGeneration) remember(token string) string {
	keyPrefix := g.prefix + token + ":"
	g.last.Store(&readToken{keyPrefix: keyPrefix, at: g.now()})
	return keyPrefix
}

// rememberRead is remember for a token that a fetch found or added, unless
// the one in use changed since prev, which the fetch began with: a Clear in
// this process then wrote a newer token while the fetch was under way, and
// remembering the fetch's token would bring the cleared entries back. It
// returns the key prefix in use.
func (g *storedGeneration) rememberRead(prev *readToken, token string) string {
	read := &readToken{keyPrefix: g.prefix + token + ":", at: g.now()}
	if g.last.CompareAndSwap(prev, read) {
		return read.keyPrefix
	}
	return g.last.Load().keyPrefix
}

func (g *storedGeneration) keyPrefix(ctx context.Context) (string, error) {
	last := g.last.Load()
	if last != nil && g.now().Sub(last.at) < generationRefresh {
		return last.keyPrefix, nil
	}
	v, err, _ := g.group.Do("", func() (any, error) {
		// The callers that join this fetch must not fail because this one
		// gave up, but the fetch keeps its deadline: for a store given in
		// Options, that deadline is the only bound on the call.
		fctx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			fctx, cancel = context.WithDeadline(fctx, dl)
			defer cancel()
		}
		return g.fetch(fctx)
	})
	if err != nil {
		if last != nil {
			// Keep serving with what we knew, and ask again a refresh later
			// rather than on every call while the store is in trouble.
			g.last.CompareAndSwap(last, &readToken{keyPrefix: last.keyPrefix, at: g.now()})
			return last.keyPrefix, nil
		}
		return "", err
	}
	return v.(string), nil
}

// fetch reads the token in the store, or writes one, and returns its key
// prefix.
func (g *storedGeneration) fetch(ctx context.Context) (string, error) {
	prev := g.last.Load()
	for range 3 {
		b, err := g.store.Get(ctx, g.key)
		if err == nil {
			return g.rememberRead(prev, string(b)), nil
		}
		if !errors.Is(err, backends.ErrNotFound) {
			return "", err
		}
		tok := newToken()
		added := true
		if a, ok := g.store.(backends.Adder); ok {
			added, err = a.Add(ctx, g.key, []byte(tok), 0)
		} else {
			err = g.store.Set(ctx, g.key, []byte(tok), 0)
		}
		if err != nil {
			return "", err
		}
		if added {
			return g.rememberRead(prev, tok), nil
		}
		// Another process added one first: read theirs.
	}
	return "", fmt.Errorf("generation key %q keeps disappearing", g.key)
}

func (g *storedGeneration) bump(ctx context.Context) error {
	tok := newToken()
	if err := g.store.Set(ctx, g.key, []byte(tok), 0); err != nil {
		return err
	}
	g.remember(tok)
	return nil
}

func newToken() string {
	var b [8]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

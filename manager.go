package plugcache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/ristretto"
	"github.com/plugcache/plugcache/middleware"
)

// Options holds what a Manager takes from code rather than from YAML.
type Options struct {
	// Store, when set, is used in place of the store backend.cache names, by
	// every plugin that does not name a store of its own. Use it to plug in
	// any gocache store through backends/gocache.NewBackend. The caller keeps
	// ownership: Manager.Close does not close it. Its calls get the Timeout
	// deadline through their context.
	Store backends.Store
	// PluginStores is Store for single plugins, keyed by plugin ID.
	PluginStores map[string]backends.Store
	// Logger receives store failures and state changes. Default: discard.
	Logger *slog.Logger
	// Metrics, when set, records the Manager's HTTP cache requests, store
	// calls and memory stores (see Metrics). It serves one open Manager at a
	// time: Open refuses a Metrics that another Manager has not yet closed.
	// Default: nil. Nil means no instrumentation and no cost.
	Metrics *Metrics

	clock func() time.Time // tests only; nil means time.Now
}

// Manager owns the stores of a config and hands each plugin its Client. It
// opens one store, with one connection pool, per distinct store and
// connection, however many plugins share it. A Manager is safe for concurrent
// use.
type Manager struct {
	cfg    Config
	opts   Options
	logger *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	stores  map[string]*sharedStore // by settings.storeKey
	clients map[string]*Client      // by plugin ID
	caches  map[string]*middleware.Cache
	// closed is set, under mu, by Close. Every namespace reads it, so that a
	// closed Manager's clients fail even over a store given in Options, which
	// outlives the Manager.
	closed atomic.Bool
}

// sharedStore is one opened store and what its plugins share.
type sharedStore struct {
	store backends.Store
	owned bool // built by the Manager, which closes it
	local bool
	gens  map[string]*localGeneration // local stores: by key prefix
}

// NewManager is Open with zero Options.
func NewManager(cfg *Config) (*Manager, error) {
	return Open(cfg, Options{})
}

// Open validates cfg and builds its stores. It does not connect: network
// stores connect on first use, so a store that is down makes calls fail (and
// `plugcache check` report it) rather than stop the service from starting.
// A nil cfg is the zero Config: every plugin caches in memory.
func Open(cfg *Config, opts Options) (*Manager, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Manager{
		cfg:     *cfg,
		opts:    opts,
		logger:  opts.Logger,
		now:     time.Now,
		stores:  map[string]*sharedStore{},
		clients: map[string]*Client{},
		caches:  map[string]*middleware.Cache{},
	}
	m.cfg.Plugin = maps.Clone(cfg.Plugin)
	if m.logger == nil {
		m.logger = slog.New(slog.DiscardHandler)
	}
	if opts.clock != nil {
		m.now = opts.clock
	}
	if opts.Metrics != nil {
		if err := opts.Metrics.bind(m); err != nil {
			return nil, err
		}
	}
	for _, id := range m.Plugins() {
		if _, err := m.client(id); err != nil {
			m.Close()
			return nil, err
		}
	}
	return m, nil
}

// Plugins returns DefaultPlugin and the IDs of the plugins the config names,
// sorted.
func (m *Manager) Plugins() []string {
	ids := []string{DefaultPlugin}
	for id := range m.cfg.Plugin {
		if id != DefaultPlugin {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids[1:])
	return ids
}

// ForPlugin returns the client of plugin id, the same one on every call. A
// plugin the config does not name gets backend.cache's settings, in a
// namespace of its own. It panics if id is not a valid plugin ID (letters,
// digits, '.', '_' and '-'), which is a programming error.
func (m *Manager) ForPlugin(id string) *Client {
	if err := checkPluginID(id); err != nil {
		panic(err)
	}
	c, err := m.client(id)
	if err != nil {
		// Validated at Open, and later plugins share backend.cache's store,
		// so this is a closed Manager: hand out a client that always fails,
		// Clear included.
		failed := failedStore{err}
		gen := &storedGeneration{store: failed, prefix: id + "@", key: id + "@generation", now: m.now}
		return &Client{ns: &namespace{plugin: id, store: failed, prefix: id + "@", gen: gen, now: m.now, closed: &m.closed}}
	}
	return c
}

func (m *Manager) client(id string) (*Client, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed.Load() {
		return nil, errClosed
	}
	if c, ok := m.clients[id]; ok {
		return c, nil
	}
	s := m.cfg.effective(id)
	shared, timeout, err := m.storeFor(id, s)
	if err != nil {
		return nil, fmt.Errorf("plugcache: plugin %s: %w", id, err)
	}
	ns := &namespace{
		plugin:  id,
		store:   shared.store,
		prefix:  s.keyPrefix(id),
		local:   shared.local,
		timeout: timeout,
		now:     m.now,
		closed:  &m.closed,
		// A test clock is not the one the store's TTLs run on.
		storeExpires: shared.local && m.opts.clock == nil,
	}
	if m.opts.Metrics != nil {
		store := s.Store
		if !shared.owned {
			store = storeCustom
		}
		ns.metrics = m.opts.Metrics.forNamespace(id, store)
	}
	ns.limiter, _ = shared.store.(backends.Limiter)
	if shared.local {
		ns.memory, _ = shared.store.(*ristretto.Store)
		g, ok := shared.gens[ns.prefix]
		if !ok {
			g = newLocalGeneration(ns.prefix, generationCounter(shared.store, ns.prefix))
			shared.gens[ns.prefix] = g
		}
		ns.gen = g
	} else {
		ns.gen = &storedGeneration{store: shared.store, prefix: ns.prefix, key: ns.prefix + "generation", now: m.now}
	}
	c := &Client{ns: ns, defaultTTL: s.DefaultTTL}
	m.clients[id] = c
	return c, nil
}

// storeFor returns the store plugin id uses, opening it on first use. The
// timeout returned is the deadline the client must add itself: non-zero only
// for stores given in Options, as plugcache's own keep their own.
func (m *Manager) storeFor(id string, s settings) (*sharedStore, time.Duration, error) {
	given := m.givenStore(id)
	key := s.storeKey()
	if given != nil {
		key = fmt.Sprintf("given|%p", given)
	}
	if sh, ok := m.stores[key]; ok {
		return sh, m.timeoutFor(sh, s), nil
	}
	sh := &sharedStore{store: given, gens: map[string]*localGeneration{}}
	if given == nil {
		st, err := openStore(s, m.opts.Metrics != nil)
		if err != nil {
			return nil, 0, err
		}
		sh.store, sh.owned = st, true
		if rs, ok := st.(*ristretto.Store); ok && m.opts.Metrics != nil {
			name := StoreMemory
			if id != DefaultPlugin {
				name += ":" + id // the first plugin, in Plugins order, to use it
			}
			m.opts.Metrics.addMemory(name, rs)
		}
	}
	if l, ok := sh.store.(backends.Local); ok && l.Local() {
		sh.local = true
	}
	m.stores[key] = sh
	return sh, m.timeoutFor(sh, s), nil
}

// givenStore is the store from Options that plugin id uses, or nil.
func (m *Manager) givenStore(id string) backends.Store {
	if s := m.opts.PluginStores[id]; s != nil {
		return s
	}
	if m.cfg.Plugin[id].Store == "" {
		return m.opts.Store
	}
	return nil
}

// storeCustom is the store name reported for a store given in Options.
const storeCustom = "custom"

// storeOf names the store plugin id uses, for people: memory, memcache,
// redis or custom, and its connection with passwords masked.
func (m *Manager) storeOf(id string) (store, connection string) {
	if m.givenStore(id) != nil {
		return storeCustom, "given in Options"
	}
	s := m.cfg.effective(id)
	return s.Store, s.describe()
}

// ValidPluginID reports whether id can name a plugin: letters, digits, '.',
// '_' and '-', starting with a letter or digit, as Backstage plugin IDs are.
func ValidPluginID(id string) bool { return pluginIDPattern.MatchString(id) }

// pluginIDRule says what ValidPluginID accepts, for errors.
const pluginIDRule = "a plugin ID is letters, digits, '.', '_' and '-', starting with a letter or digit"

// checkPluginID returns an error unless id is a valid plugin ID.
func checkPluginID(id string) error {
	if !pluginIDPattern.MatchString(id) {
		return fmt.Errorf("plugcache: plugin ID %q: %s", id, pluginIDRule)
	}
	return nil
}

// errClosed is the error of a closed Manager's calls.
var errClosed = fmt.Errorf("plugcache: manager is closed: %w", ErrUnavailable)

func (m *Manager) timeoutFor(sh *sharedStore, s settings) time.Duration {
	if sh.owned {
		return 0
	}
	return s.Timeout
}

// Close closes the stores the Manager opened. Clients then fail with
// ErrUnavailable. Close is safe to call more than once.
func (m *Manager) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed.Load() {
		return nil
	}
	m.closed.Store(true)
	if m.opts.Metrics != nil {
		m.opts.Metrics.release(m)
	}
	var errs []error
	for _, sh := range m.stores {
		if sh.owned {
			errs = append(errs, sh.store.Close())
		}
	}
	return errors.Join(errs...)
}

// failedStore answers every call with one error.
type failedStore struct{ err error }

func (f failedStore) Get(context.Context, string) ([]byte, error) { return nil, f.err }
func (f failedStore) Set(context.Context, string, []byte, time.Duration) error {
	return f.err
}
func (f failedStore) Delete(context.Context, string) error { return f.err }
func (f failedStore) Close() error                         { return nil }

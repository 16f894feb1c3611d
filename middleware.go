package plugcache

import (
	"fmt"
	"net/http"
	"time"

	"github.com/plugcache/plugcache/keying"
	"github.com/plugcache/plugcache/middleware"
)

// Middleware returns the HTTP cache of plugin id, storing in the plugin's
// namespace with the options of backend.cache.plugin.<id>.http, as
// func(http.Handler) http.Handler. Every call for one plugin shares one
// cache. It panics on an invalid plugin ID, as ForPlugin does; the options
// were checked by Open.
func (m *Manager) Middleware(id string) func(http.Handler) http.Handler {
	c, err := m.HTTPCache(id)
	if err != nil {
		panic(err)
	}
	return c.Handler
}

// HTTPCache is Middleware's cache itself, for Purge and for its handler. It
// returns an error for an invalid plugin ID. With Options.Metrics, the cache
// counts its requests there.
func (m *Manager) HTTPCache(id string) (*middleware.Cache, error) {
	if err := checkPluginID(id); err != nil {
		return nil, err
	}
	client := m.ForPlugin(id)
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.caches[id]; ok {
		return c, nil
	}
	opts := m.cfg.middlewareOptions(id, client.DefaultTTL())
	opts.Logger = m.logger.With("plugin", id)
	if m.opts.Metrics != nil {
		opts.OnEvent = m.opts.Metrics.plugin(id).onEvent
	}
	c, err := middleware.New(client.Store(), opts)
	if err != nil {
		return nil, fmt.Errorf("plugcache: plugin %s: %w", id, err)
	}
	m.caches[id] = c
	return c, nil
}

// middlewareOptions turns plugin id's http block into middleware.Options.
func (c *Config) middlewareOptions(id string, defaultTTL time.Duration) middleware.Options {
	h := c.Plugin[id].HTTP
	return middleware.Options{
		DefaultTTL:           defaultTTL,
		Policy:               middleware.Policy(h.Policy),
		MaxBodySize:          int64(h.MaxBodySize),
		StaleWhileRevalidate: h.StaleWhileRevalidate,
		StaleIfError:         h.StaleIfError,
		DisableCoalescing:    h.Coalesce != nil && !*h.Coalesce,
		InlineRefresh:        h.Refresh == "inline",
		CacheableStatus:      h.CacheableStatus,
		Methods:              h.Methods,
		StripSetCookie:       h.SetCookie == "strip",
		Key: keying.Options{
			IgnoreQuery: h.Key.IgnoreQuery,
			Headers:     h.Key.Headers,
			Cookies:     h.Key.Cookies,
		},
	}
}

// httpKeys maps middleware.Options fields to their YAML keys under
// plugin.<id>.http, so that the middleware's own checks report config paths.
// DefaultTTL has none: checkHTTP reports it where the plugin's defaultTtl was
// set.
var httpKeys = map[string]string{
	"Policy":               "http.policy",
	"MaxBodySize":          "http.maxBodySize",
	"StaleWhileRevalidate": "http.staleWhileRevalidate",
	"StaleIfError":         "http.staleIfError",
	"CacheableStatus":      "http.cacheableStatus",
	"Methods":              "http.methods",
	"Key.Headers":          "http.key.headers",
	"Key.Cookies":          "http.key.cookies",
}

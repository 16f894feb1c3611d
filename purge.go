package plugcache

import (
	"context"
	"fmt"
	"net/url"
)

// Purge drops every stored variant of GET u, and so of HEAD u, from plugin's
// HTTP cache (Manager.Middleware), as a successful PUT to u through the cache
// would. u is the URL as the cache saw the requests: an absolute URL whose
// scheme (http when empty), host, path and query make the key, with the
// plugin's http.key.ignoreQuery parameters ignored. A plugin the config does
// not name has backend.cache's settings. Purge returns an error for an
// invalid plugin ID or a u without a host, and one wrapping ErrUnavailable
// when the Manager is closed or the store fails. It is safe for concurrent
// use.
func (m *Manager) Purge(ctx context.Context, plugin string, u *url.URL) error {
	if err := checkPluginID(plugin); err != nil {
		return err
	}
	if u == nil || u.Host == "" {
		return fmt.Errorf("plugcache: purge %s: %s is not an absolute URL (scheme://host/path)", plugin, purgeTarget(u))
	}
	if _, err := m.client(plugin); err != nil {
		return err // a closed Manager, whose HTTPCache would purge nothing
	}
	c, err := m.HTTPCache(plugin)
	if err != nil {
		return err
	}
	return c.Purge(ctx, u)
}

// PurgeAll empties plugin's namespace, its HTTP cache included, as
// Client.Clear does, and leaves every other plugin's alone. It returns an
// error for an invalid plugin ID, and one wrapping ErrUnavailable when the
// Manager is closed or the store fails. It is safe for concurrent use.
func (m *Manager) PurgeAll(ctx context.Context, plugin string) error {
	if err := checkPluginID(plugin); err != nil {
		return err
	}
	c, err := m.client(plugin)
	if err != nil {
		return err
	}
	return c.Clear(ctx)
}

func purgeTarget(u *url.URL) string {
	if u == nil {
		return "a nil URL"
	}
	return fmt.Sprintf("%q", u.Redacted())
}

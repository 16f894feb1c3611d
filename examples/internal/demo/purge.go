package demo

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/plugcache/plugcache"
)

// entitiesPath is the catalog's list of entities.
const entitiesPath = "/api/catalog/entities"

// purgeList returns the catalog's hook for a changed entity: it purges the
// cached entity list from the catalog plugin's HTTP cache, as the cache
// itself drops only the answers at the URL of the PUT. A failed purge is
// logged to logger, and the list then lags until its max-age runs out.
func purgeList(mgr *plugcache.Manager, logger *slog.Logger) (func(r *http.Request), error) {
	cache, err := mgr.HTTPCache("catalog")
	if err != nil {
		return nil, err
	}
	return func(r *http.Request) {
		// The cache keys on scheme, host, path and query, so the list is
		// found under the host the PUT came to.
		u := &url.URL{Scheme: "http", Host: r.Host, Path: entitiesPath}
		if r.TLS != nil {
			u.Scheme = "https"
		}
		if err := cache.Purge(r.Context(), u); err != nil {
			logger.Warn("catalog: purging the entity list", "url", u.String(), "err", err)
		}
	}, nil
}

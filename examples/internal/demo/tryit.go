package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/plugcache/plugcache"
)

// printTryIt prints the address the example called name listens on, base,
// and the curl commands that show what the caches do: a miss, a hit and a
// 304 on a docs page whose ETag is docsETag, and a catalog entity that a PUT
// invalidates.
func printTryIt(w io.Writer, name, base, store, docsETag string) {
	page := base + "/docs/intro"
	entity := base + entitiesPath + "/plugcache"
	headers := ` | grep -iE '^(HTTP|cache-status|age|etag)'`
	lines := []string{
		fmt.Sprintf("plugcache %s example listening on %s (backend.cache store: %s)", name, base, store),
		"",
		"Try it from another terminal:",
		"",
		"  # 1. a miss: the renderer takes " + RenderDelay.String() + ", and the page is stored",
		"  curl -si " + page + headers,
		"  # 2. a hit: answered from the cache at once, with its Age",
		"  curl -si " + page + headers,
		"  # 3. 304 Not Modified: the client already holds the page's ETag",
		"  curl -si -H 'If-None-Match: " + docsETag + "' " + page + headers,
		"",
		"  # 4. a PUT drops the entity's cached answer: the next GET is a miss with the new value",
		"  curl -si " + entity + headers,
		"  curl -si -X PUT -d '{\"kind\":\"Component\",\"owner\":\"platform\",\"description\":\"edited\"}' " + entity,
		"  curl -si " + entity,
		"",
		"Ctrl-C stops it.",
		"",
	}
	io.WriteString(w, strings.Join(lines, "\n"))
}

// storeName is the store backend.cache names, for the start-up message.
func storeName(cfg *plugcache.Config) string {
	if cfg.Store == "" {
		return plugcache.StoreMemory
	}
	return cfg.Store
}

// Package plugcache gives each plugin of a Go service its own cache client,
// configured from a Backstage-style backend.cache block, on ristretto
// (in-process), memcached or redis.
//
//	cfg, err := plugcache.LoadConfig("app-config.yaml", "app-config.production.yaml")
//	mgr, err := plugcache.NewManager(cfg)
//	defer mgr.Close()
//	docs := mgr.ForPlugin("techdocs")
//	err = docs.Set(ctx, "page:/index.html", body, plugcache.WithTTL(time.Hour))
//	v, ok, err := docs.Get(ctx, "page:/index.html")
//
// Each plugin's keys live in a namespace of their own, laid out as Backstage
// lays them out, [namespace<sep>]<pluginId>, followed by a generation and the
// key; Clear moves the plugin to a new generation, which empties it on every
// store, memcached included. Every value carries its own expiry time and a
// checksum (internal/envelope), so TTLs hold to the millisecond on every store
// and bytes that plugcache did not write read as a miss.
//
// A Client's Store method exposes the namespace as a backends.Store, which the
// HTTP cache middleware and, through backends/gocache, any gocache cache can
// use. Any gocache store can stand in for the built-in ones: see Options.
package plugcache

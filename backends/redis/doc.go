// Package redis is a backends.Store on a redis server or a redis cluster, through
// github.com/redis/go-redis/v9.
//
// NewClient turns a URL, or the URLs of a cluster's root nodes, into a go-redis
// client whose every call ends by its deadline; New wraps any go-redis
// UniversalClient as a Store:
//
//	client, err := redis.NewClient(redis.ClientOptions{URL: "redis://:secret@127.0.0.1:6379/0"})
//	if err != nil {
//		return err // names the field at fault, never the password
//	}
//	s := redis.New(client, redis.Options{}) // s owns client: s.Close closes it
//	defer s.Close()
//	v, err := s.Get(ctx, "k") // errors.Is(err, backends.ErrNotFound) on a miss
//
// Set and Delete go through the redis store of github.com/eko/gocache, and Get
// sends the same GET straight through go-redis, to hand out the reply without
// copying it again; so values are plain redis strings that a gocache client
// on the same server reads and writes too. The Store implements backends.Adder with SET NX and
// backends.Limiter with redis's 512 MiB limit on a value. It does not implement
// backends.Clearer: the only way redis clears a store is FLUSHALL, which would
// wipe every other application's keys on the server.
package redis

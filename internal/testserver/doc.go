// Package testserver starts real redis-server, redis cluster and memcached processes on free loopback ports for tests, and a TCP proxy that can stall.
//
// Servers listen on 127.0.0.1 only, keep their files in a temporary directory
// that Close removes, and die with the test binary (every child runs with
// Pdeathsig SIGKILL). Binaries are found on PATH, then in /usr/bin, /usr/sbin
// and /usr/local/bin; the environment variables PLUGCACHE_REDIS_SERVER,
// PLUGCACHE_REDIS_CLI and PLUGCACHE_MEMCACHED override the search.
//
// Faults are real: Kill sends SIGKILL to a server, and a StallProxy placed
// between a client and a server stops moving bytes on demand.
package testserver

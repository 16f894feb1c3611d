package testserver

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	// clusterCreateTimeout bounds the run of redis-cli --cluster create.
	clusterCreateTimeout = 30 * time.Second
	// clusterOKTimeout bounds the wait for every node to report cluster_state:ok.
	clusterOKTimeout = 20 * time.Second
	// clusterSlots is the number of hash slots of a redis cluster.
	clusterSlots = 16384
)

// RedisCluster is a redis cluster of masters without replicas, each a
// redis-server --cluster-enabled yes on a free port of 127.0.0.1, made with
// redis-cli --cluster create. Its methods are safe for concurrent use.
type RedisCluster struct {
	// Addrs is the "127.0.0.1:port" of every master.
	Addrs []string
	// URLs is the "redis://127.0.0.1:port" of every master, with ":password@"
	// when a password is set.
	URLs []string

	nodes []*Redis
}

// RedisClusterOptions configures StartRedisCluster. The zero value is a
// cluster of 3 masters without a password.
type RedisClusterOptions struct {
	// Masters is the number of masters. Default: 3. Zero means 3; fewer than 3
	// is an error, as redis-cli cannot create such a cluster.
	Masters int
	// Password is every node's requirepass and masterauth. Default: "". Empty
	// means no password.
	Password string
}

// StartRedisCluster starts the nodes, joins them into a cluster and returns only
// once CLUSTER INFO reports cluster_state:ok and all 16384 slots assigned on
// every node. The caller must Close it.
func StartRedisCluster(opts RedisClusterOptions) (*RedisCluster, error) {
	masters := opts.Masters
	if masters == 0 {
		masters = 3
	}
	if masters < 3 {
		return nil, fmt.Errorf("testserver: Masters: must be 0 or >= 3, got %d", opts.Masters)
	}
	cli, err := findBinary("redis-cli", "PLUGCACHE_REDIS_CLI")
	if err != nil {
		return nil, err
	}
	c := &RedisCluster{}
	for range masters {
		node, err := startRedis(RedisOptions{Password: opts.Password}, clusterFlags(opts.Password))
		if err != nil {
			return nil, errors.Join(err, c.Close())
		}
		c.nodes = append(c.nodes, node)
		c.Addrs = append(c.Addrs, node.Addr)
		c.URLs = append(c.URLs, redisURL(node.Addr, opts.Password, ""))
	}
	if err := createCluster(cli, c.Addrs, opts.Password); err != nil {
		return nil, errors.Join(err, c.Close())
	}
	for _, addr := range c.Addrs {
		if err := waitClusterOK(addr, opts.Password); err != nil {
			return nil, errors.Join(err, c.Close())
		}
	}
	return c, nil
}

// NewRedisCluster is StartRedisCluster for a test: it calls t.Fatal on error and
// closes the cluster when the test ends.
func NewRedisCluster(t testing.TB, opts RedisClusterOptions) *RedisCluster {
	t.Helper()
	c, err := StartRedisCluster(opts)
	return mustStart(t, c, err)
}

// Close stops every node for good and removes their temporary directories. It
// is idempotent.
func (c *RedisCluster) Close() error {
	var errs []error
	for _, node := range c.nodes {
		errs = append(errs, node.Close())
	}
	return errors.Join(errs...)
}

// clusterFlags returns the extra flags of a cluster node: its cluster bus gets
// a free port of its own, since the default port+10000 may be out of range.
func clusterFlags(password string) func(port int) ([]string, error) {
	return func(int) ([]string, error) {
		bus, err := freePort()
		if err != nil {
			return nil, err
		}
		flags := []string{
			"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "2000", "--cluster-port", strconv.Itoa(bus),
		}
		if password != "" {
			flags = append(flags, "--masterauth", password)
		}
		return flags, nil
	}
}

// createCluster runs redis-cli --cluster create over addrs.
func createCluster(cli string, addrs []string, password string) error {
	ctx, cancel := context.WithTimeout(context.Background(), clusterCreateTimeout)
	defer cancel()
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if password != "" {
		args = append(args, "-a", password, "--no-auth-warning")
	}
	cmd := exec.CommandContext(ctx, cli, args...)
	cmd.SysProcAttr = sysProcAttr()
	out, err := cmd.CombinedOutput()
	if err != nil {
		tail := &tailBuffer{}
		tail.Write(out)
		return fmt.Errorf("testserver: redis-cli --cluster create: %w%s", err, outputSuffix("redis-cli", tail.String()))
	}
	return nil
}

// waitClusterOK polls CLUSTER INFO on the node at addr until it reports
// cluster_state:ok with every slot assigned, or clusterOKTimeout passes.
func waitClusterOK(addr, password string) error {
	deadline := time.Now().Add(clusterOKTimeout)
	for {
		info, err := redisDo("tcp", addr, password, time.Second, "CLUSTER", "INFO")
		if err == nil && clusterOK(info) {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("CLUSTER INFO:\n%s", strings.TrimSpace(info))
			}
			return fmt.Errorf("testserver: cluster node %s not ok after %v: %w", addr, clusterOKTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clusterOK reports whether a CLUSTER INFO reply says the cluster is ok with
// every slot assigned.
func clusterOK(info string) bool {
	fields := map[string]string{}
	for line := range strings.Lines(info) {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			fields[k] = v
		}
	}
	return fields["cluster_state"] == "ok" && fields["cluster_slots_assigned"] == strconv.Itoa(clusterSlots)
}

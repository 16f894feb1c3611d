package redis

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// defaultTimeout is the default of ClientOptions.Timeout and Options.Timeout.
const defaultTimeout = 100 * time.Millisecond

// ClientOptions says how to reach a redis server or a redis cluster. Exactly one
// of URL and ClusterURLs is set, so NewClient refuses the zero value.
//
// A setting in a URL's query, under go-redis's name for it (read_timeout,
// max_retries, route_randomly, ...), wins over the fields below.
type ClientOptions struct {
	// URL is the address of a single server, as [goredis.ParseURL] reads it:
	// redis://[user:password@]host:port/db over TCP, rediss:// over TLS, or
	// unix://[user:password@]/path/to/redis.sock?db=N over a unix socket.
	URL string

	// ClusterURLs are root nodes of a redis cluster, each as
	// [goredis.ParseClusterURL] reads it: redis://[user:password@]host:port,
	// or rediss:// over TLS. The client learns the other nodes from them. They
	// share one scheme and one set of credentials. Query options are read from
	// ClusterURLs[0]; the others may repeat them or leave them out. A cluster
	// has only database 0, so a path other than /0 is an error.
	ClusterURLs []string

	// Username and Password authenticate to every server whose URL names no
	// user or password of its own: a user or password in a URL wins.
	// Default: "". Empty means none; a password without a user authenticates
	// as redis's default user.
	Username string
	Password string

	// Timeout bounds each dial, each socket read and write, and each wait for a
	// free pooled connection. Default: 100ms. Zero means the default.
	Timeout time.Duration

	// UseReplicas spreads a cluster's reads (GET) at random over each slot's
	// master and replicas, as go-redis's RouteRandomly does, instead of sending
	// them to the master. A replica lags its master, so a Get just after a Set
	// may miss. Default: false. Cluster only.
	UseReplicas bool

	// MaxRedirects is how many times a cluster call follows a MOVED or ASK
	// redirect, or retries after a network error, before it fails.
	// Default: 3, go-redis's. Zero means the default. Cluster only.
	MaxRedirects int
}

// NewClient validates o and returns a go-redis client for it: a
// [goredis.Client] for URL, a [goredis.ClusterClient] for ClusterURLs. It does
// not dial: the client connects on its first call. Its errors name the field
// at fault and never show a password.
//
// Beyond o, the client
//   - bounds the socket I/O of every call by the call's context deadline
//     (go-redis's ContextTimeoutEnabled), so that a stalled server cannot hold
//     a call past it;
//   - dials once per attempt, not five times, so that a refused connection
//     fails at once rather than after backoffs;
//   - for a single server, retries a failed call once, not three times: one
//     retry replaces a pooled connection that the server closed, as it does
//     when it restarts, while more would only spend a deadline that has
//     passed. No retry outlives the deadline. A cluster client retries through
//     MaxRedirects instead, as go-redis has it.
func NewClient(o ClientOptions) (goredis.UniversalClient, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.URL != "" {
		opt, err := o.options()
		if err != nil {
			return nil, err
		}
		return goredis.NewClient(opt), nil
	}
	opt, err := o.clusterOptions()
	if err != nil {
		return nil, err
	}
	return goredis.NewClusterClient(opt), nil
}

// validate checks the fields of o that need no parsing.
func (o ClientOptions) validate() error {
	switch {
	case o.URL == "" && len(o.ClusterURLs) == 0:
		return errors.New("redis: URL, ClusterURLs: one must be set")
	case o.URL != "" && len(o.ClusterURLs) > 0:
		return errors.New("redis: URL, ClusterURLs: only one may be set")
	case o.Timeout < 0:
		return fmt.Errorf("redis: Timeout: must be >= 0, got %v", o.Timeout)
	case o.MaxRedirects < 0:
		return fmt.Errorf("redis: MaxRedirects: must be >= 0, got %d", o.MaxRedirects)
	case o.URL != "" && o.UseReplicas:
		return errors.New("redis: UseReplicas: applies to ClusterURLs only")
	case o.URL != "" && o.MaxRedirects != 0:
		return errors.New("redis: MaxRedirects: applies to ClusterURLs only")
	}
	return nil
}

// fillTimeouts sets each of timeouts, go-redis's dial, read, write and pool
// timeouts, that the URL's query left unset (zero) to o.Timeout or its default.
func (o ClientOptions) fillTimeouts(timeouts ...*time.Duration) {
	t := o.Timeout
	if t == 0 {
		t = defaultTimeout
	}
	for _, d := range timeouts {
		if *d == 0 {
			*d = t
		}
	}
}

// options returns the go-redis options of a single server at o.URL.
func (o ClientOptions) options() (*goredis.Options, error) {
	u, err := parseURL("URL", o.URL, "redis", "rediss", "unix")
	if err != nil {
		return nil, err
	}
	if err := oneHost("URL", u); err != nil {
		return nil, err
	}
	opt, err := goredis.ParseURL(o.URL)
	if err != nil {
		return nil, urlError("URL", u.Redacted(), err)
	}
	// go-redis reads a negative database, then sends no SELECT for it, so
	// the client would use database 0 without a word.
	if opt.DB < 0 {
		return nil, fmt.Errorf("redis: URL %q: database must be >= 0, got %d", u.Redacted(), opt.DB)
	}
	opt.Username, opt.Password = credentials(u, o.Username, o.Password)
	o.fillTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout)
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 1
	}
	opt.DialerRetries = 1
	opt.ContextTimeoutEnabled = true
	return opt, nil
}

// clusterOptions returns the go-redis options of a cluster whose root nodes
// are o.ClusterURLs.
func (o ClientOptions) clusterOptions() (*goredis.ClusterOptions, error) {
	var (
		opt                *goredis.ClusterOptions
		scheme, firstQuery string
	)
	for i, raw := range o.ClusterURLs {
		field := fmt.Sprintf("ClusterURLs[%d]", i)
		u, err := parseURL(field, raw, "redis", "rediss")
		if err != nil {
			return nil, err
		}
		if err := oneHost(field, u); err != nil {
			return nil, err
		}
		if db := strings.Trim(u.Path, "/"); db != "" && db != "0" {
			return nil, fmt.Errorf("redis: %s %q: a cluster has only database 0, got path %q", field, u.Redacted(), u.Path)
		}
		node, err := goredis.ParseClusterURL(raw)
		if err != nil {
			return nil, urlError(field, u.Redacted(), err)
		}
		node.Username, node.Password = credentials(u, o.Username, o.Password)
		query := u.Query()
		query.Del("addr")
		if i == 0 {
			opt, scheme, firstQuery = node, u.Scheme, query.Encode()
			continue
		}
		switch {
		case u.Scheme != scheme:
			return nil, fmt.Errorf("redis: %s %q: scheme differs from ClusterURLs[0]'s %q", field, u.Redacted(), scheme)
		case node.Username != opt.Username || node.Password != opt.Password:
			return nil, fmt.Errorf("redis: %s %q: user or password differs from ClusterURLs[0]'s; a cluster has one", field, u.Redacted())
		case len(query) > 0 && query.Encode() != firstQuery:
			return nil, fmt.Errorf("redis: %s %q: options differ from ClusterURLs[0]'s; set them there", field, u.Redacted())
		}
		opt.Addrs = append(opt.Addrs, node.Addrs...)
	}
	o.fillTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout)
	if opt.DialerRetries == 0 {
		opt.DialerRetries = 1
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = o.MaxRedirects
	}
	if o.UseReplicas {
		opt.RouteRandomly = true
	}
	opt.ContextTimeoutEnabled = true
	return opt, nil
}

// oneHost refuses a URL whose host is a list, such as redis://a:6379,b:6379.
// url.Parse takes it, and go-redis would dial the single address
// "[a:6379,b]:6379", which fails at the first call, far from the mistake.
func oneHost(field string, u *url.URL) error {
	if !strings.Contains(u.Host, ",") {
		return nil
	}
	if field == "URL" {
		return fmt.Errorf("redis: URL %q: lists several hosts, but a URL names one server; for a cluster, give each node a URL of its own in ClusterURLs (redis.cluster.rootNodes in app-config.yaml)", u.Redacted())
	}
	return fmt.Errorf("redis: %s %q: lists several hosts; give each node a URL of its own", field, u.Redacted())
}

// credentials returns the user and password that u names, falling back to
// username and password for what it leaves out.
func credentials(u *url.URL, username, password string) (string, string) {
	if u.User != nil {
		if name := u.User.Username(); name != "" {
			username = name
		}
		if pw, ok := u.User.Password(); ok {
			password = pw
		}
	}
	return username, password
}

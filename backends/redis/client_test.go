package redis

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// secret is in every password of these tests, at the spot where a leak is most
// likely, so that no error or output may contain it.
const secret = "s3cr3t"

// nodeSettings are the go-redis options of a single server's client that
// NewClient decides, in a comparable form.
type nodeSettings struct {
	Network, Addr             string
	DB                        int
	Username, Password        string
	Dial, Read, Write, Pool   time.Duration
	MaxRetries, DialerRetries int
	ContextTimeout, TLS       bool
}

func nodeSettingsOf(o *goredis.Options) nodeSettings {
	return nodeSettings{
		Network: o.Network, Addr: o.Addr, DB: o.DB,
		Username: o.Username, Password: o.Password,
		Dial: o.DialTimeout, Read: o.ReadTimeout, Write: o.WriteTimeout, Pool: o.PoolTimeout,
		MaxRetries: o.MaxRetries, DialerRetries: o.DialerRetries,
		ContextTimeout: o.ContextTimeoutEnabled, TLS: o.TLSConfig != nil,
	}
}

// tcp returns the settings of a client of addr with every default of NewClient.
func tcp(addr string) nodeSettings {
	d := defaultTimeout
	return nodeSettings{
		Network: "tcp", Addr: addr,
		Dial: d, Read: d, Write: d, Pool: d,
		MaxRetries: 1, DialerRetries: 1, ContextTimeout: true,
	}
}

func TestNewClientSingleServer(t *testing.T) {
	tests := []struct {
		name string
		opts ClientOptions
		want func(s *nodeSettings)
	}{
		{
			name: "a URL gets 100ms timeouts, one retry, one dial per attempt and context deadlines",
			opts: ClientOptions{URL: "redis://127.0.0.1:6379/2"},
			want: func(s *nodeSettings) { s.DB = 2 },
		},
		{
			name: "Timeout sets the dial, read, write and pool timeouts",
			opts: ClientOptions{URL: "redis://127.0.0.1:6379/0", Timeout: 250 * time.Millisecond},
			want: func(s *nodeSettings) {
				s.Dial, s.Read, s.Write, s.Pool = 250*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond
			},
		},
		{
			name: "a setting in the URL query wins over Timeout",
			opts: ClientOptions{URL: "redis://127.0.0.1:6379/0?read_timeout=2s&max_retries=3", Timeout: time.Second},
			want: func(s *nodeSettings) {
				s.Dial, s.Read, s.Write, s.Pool = time.Second, 2*time.Second, time.Second, time.Second
				s.MaxRetries = 3
			},
		},
		{
			name: "Username and Password apply to a URL without credentials",
			opts: ClientOptions{URL: "redis://127.0.0.1:6379/0", Username: "alice", Password: secret},
			want: func(s *nodeSettings) { s.Username, s.Password = "alice", secret },
		},
		{
			name: "the user and password in a URL win over Username and Password",
			opts: ClientOptions{URL: "redis://bob:url-" + secret + "@127.0.0.1:6379/0", Username: "alice", Password: secret},
			want: func(s *nodeSettings) { s.Username, s.Password = "bob", "url-"+secret },
		},
		{
			name: "a URL with a password only keeps the default user",
			opts: ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:6379/0", Username: "alice"},
			want: func(s *nodeSettings) { s.Username, s.Password = "alice", secret },
		},
		{
			name: "a unix URL dials the socket and reads the database from the query",
			opts: ClientOptions{URL: "unix:///run/redis/redis.sock?db=3"},
			want: func(s *nodeSettings) { s.Network, s.Addr, s.DB = "unix", "/run/redis/redis.sock", 3 },
		},
		{
			name: "a rediss URL uses TLS",
			opts: ClientOptions{URL: "rediss://cache.example:6380/0"},
			want: func(s *nodeSettings) { s.Addr, s.TLS = "cache.example:6380", true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClientOf[*goredis.Client](t, tt.opts)
			want := tcp("127.0.0.1:6379")
			tt.want(&want)
			if got := nodeSettingsOf(c.Options()); got != want {
				t.Errorf("NewClient(%v): got settings\n%+v\nwant\n%+v", tt.opts, got, want)
			}
		})
	}
}

// newClientOf returns the client that NewClient makes for opts, which must
// be a C, and closes it when the test ends.
func newClientOf[C goredis.UniversalClient](t *testing.T, opts ClientOptions) C {
	t.Helper()
	client, err := NewClient(opts)
	if err != nil {
		t.Fatalf("NewClient(%v): got error %v, want nil", opts, err)
	}
	t.Cleanup(func() { client.Close() })
	c, ok := client.(C)
	if !ok {
		t.Fatalf("NewClient(%v): got a %T, want a %T", opts, client, c)
	}
	return c
}

// clusterSettings are the go-redis options of a cluster's client that
// NewClient decides, in a comparable form.
type clusterSettings struct {
	Addrs                   string // joined by commas
	Username, Password      string
	Dial, Read, Write, Pool time.Duration
	DialerRetries           int
	MaxRedirects            int
	ReadOnly, RouteRandomly bool
	ContextTimeout, TLS     bool
}

func clusterSettingsOf(o *goredis.ClusterOptions) clusterSettings {
	return clusterSettings{
		Addrs:    strings.Join(o.Addrs, ","),
		Username: o.Username, Password: o.Password,
		Dial: o.DialTimeout, Read: o.ReadTimeout, Write: o.WriteTimeout, Pool: o.PoolTimeout,
		DialerRetries: o.DialerRetries, MaxRedirects: o.MaxRedirects,
		ReadOnly: o.ReadOnly, RouteRandomly: o.RouteRandomly,
		ContextTimeout: o.ContextTimeoutEnabled, TLS: o.TLSConfig != nil,
	}
}

func TestNewClientCluster(t *testing.T) {
	d := defaultTimeout
	base := clusterSettings{
		Addrs: "127.0.0.1:7000,127.0.0.1:7001",
		Dial:  d, Read: d, Write: d, Pool: d,
		DialerRetries: 1, MaxRedirects: 3, ContextTimeout: true,
	}
	tests := []struct {
		name string
		opts ClientOptions
		want func(s *clusterSettings)
	}{
		{
			name: "every URL is a seed node; timeouts are 100ms and redirects go-redis's 3",
			opts: ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://127.0.0.1:7001/0"}},
			want: func(*clusterSettings) {},
		},
		{
			name: "addr query parameters add seed nodes",
			opts: ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000?addr=127.0.0.1:7001"}},
			want: func(*clusterSettings) {},
		},
		{
			name: "UseReplicas routes reads at random over masters and replicas",
			opts: ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://127.0.0.1:7001"}, UseReplicas: true},
			want: func(s *clusterSettings) { s.ReadOnly, s.RouteRandomly = true, true },
		},
		{
			name: "MaxRedirects replaces go-redis's default",
			opts: ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://127.0.0.1:7001"}, MaxRedirects: 8},
			want: func(s *clusterSettings) { s.MaxRedirects = 8 },
		},
		{
			name: "Password applies to every node; a password in every URL wins",
			opts: ClientOptions{
				ClusterURLs: []string{"redis://:url-" + secret + "@127.0.0.1:7000", "redis://:url-" + secret + "@127.0.0.1:7001"},
				Password:    secret,
			},
			want: func(s *clusterSettings) { s.Password = "url-" + secret },
		},
		{
			name: "a password in one URL matches Password in another",
			opts: ClientOptions{
				ClusterURLs: []string{"redis://:" + secret + "@127.0.0.1:7000", "redis://127.0.0.1:7001"},
				Password:    secret,
			},
			want: func(s *clusterSettings) { s.Password = secret },
		},
		{
			name: "later URLs may repeat the options of the first",
			opts: ClientOptions{ClusterURLs: []string{
				"redis://127.0.0.1:7000?read_timeout=2s", "redis://127.0.0.1:7001?read_timeout=2s",
			}},
			want: func(s *clusterSettings) { s.Read = 2 * time.Second },
		},
		{
			name: "rediss URLs use TLS",
			opts: ClientOptions{ClusterURLs: []string{"rediss://127.0.0.1:7000", "rediss://127.0.0.1:7001"}},
			want: func(s *clusterSettings) { s.TLS = true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClientOf[*goredis.ClusterClient](t, tt.opts)
			want := base
			tt.want(&want)
			if got := clusterSettingsOf(c.Options()); got != want {
				t.Errorf("NewClient(%v): got settings\n%+v\nwant\n%+v", tt.opts, got, want)
			}
		})
	}
}

func TestNewClientErrors(t *testing.T) {
	tests := []struct {
		name string
		opts ClientOptions
		want string // a part of the error message
	}{
		{"neither URL nor ClusterURLs is an error", ClientOptions{Password: secret}, "redis: URL, ClusterURLs: one must be set"},
		{"both URL and ClusterURLs is an error", ClientOptions{URL: "redis://127.0.0.1:6379", ClusterURLs: []string{"redis://127.0.0.1:7000"}}, "redis: URL, ClusterURLs: only one"},
		{"a negative Timeout is an error", ClientOptions{URL: "redis://127.0.0.1:6379", Timeout: -time.Second}, "redis: Timeout: must be >= 0"},
		{"a negative MaxRedirects is an error", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000"}, MaxRedirects: -1}, "redis: MaxRedirects: must be >= 0"},
		{"UseReplicas without a cluster is an error", ClientOptions{URL: "redis://127.0.0.1:6379", UseReplicas: true}, "redis: UseReplicas: applies to ClusterURLs only"},
		{"MaxRedirects without a cluster is an error", ClientOptions{URL: "redis://127.0.0.1:6379", MaxRedirects: 5}, "redis: MaxRedirects: applies to ClusterURLs only"},
		{"a URL that does not parse names the field and masks the password", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:port/0"}, `redis: URL "redis://:xxxxx@127.0.0.1:port/0": invalid port ":port" after host`},
		{"a password with an unescaped slash is blamed, not shown", ClientOptions{URL: "redis://:" + secret + "/x@127.0.0.1:6379/0"}, "malformed user or password"},
		{"a password with digits and an unescaped slash is blamed, not shown", ClientOptions{URL: "redis://u:1234/" + secret + "@127.0.0.1:6379"}, "malformed user or password"},
		{"a URL without a scheme is an error", ClientOptions{URL: ":" + secret + "@127.0.0.1:6379"}, "missing protocol scheme"},
		{"a URL without // is an error", ClientOptions{URL: "redis:" + secret + "@127.0.0.1:6379"}, `missing "//" after "redis:"`},
		{"a scheme other than redis, rediss and unix is an error", ClientOptions{URL: "http://:" + secret + "@127.0.0.1:6379"}, `redis: URL "http://:xxxxx@127.0.0.1:6379": scheme must be redis, rediss or unix, got "http"`},
		{"a database that is not a number is an error", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:6379/zero"}, `invalid database number: "zero"`},
		{"a negative database in the path is an error", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:6379/-1"}, `redis: URL "redis://:xxxxx@127.0.0.1:6379/-1": database must be >= 0, got -1`},
		{"a negative database in the query is an error", ClientOptions{URL: "redis://127.0.0.1:6379?db=-2"}, "database must be >= 0, got -2"},
		{"a negative database of a unix URL is an error", ClientOptions{URL: "unix:///run/redis.sock?db=-1"}, "database must be >= 0, got -1"},
		{"a list of hosts in a URL points at ClusterURLs", ClientOptions{URL: "redis://:" + secret + "@a:6379,b:6379"}, `redis: URL "redis://:xxxxx@a:6379,b:6379": lists several hosts, but a URL names one server; for a cluster, give each node a URL of its own in ClusterURLs (redis.cluster.rootNodes`},
		{"a list of hosts in a cluster URL is an error", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://a:7001,b:7002"}}, `redis: ClusterURLs[1] "redis://a:7001,b:7002": lists several hosts`},
		{"an unknown query option is an error", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:6379/0?colour=red"}, "unexpected option: colour"},
		{"a unix URL without a path is an error", ClientOptions{URL: "unix://:" + secret + "@"}, "empty unix socket path"},
		{"a unix cluster URL is an error", ClientOptions{ClusterURLs: []string{"unix:///run/redis.sock"}}, `redis: ClusterURLs[0] "unix:///run/redis.sock": scheme must be redis or rediss, got "unix"`},
		{"an empty cluster URL is an error", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", ""}}, `redis: ClusterURLs[1] "": scheme must be redis or rediss, got ""`},
		{"a cluster URL with a database other than 0 is an error", ClientOptions{ClusterURLs: []string{"redis://:" + secret + "@127.0.0.1:7000/3"}}, "redis: ClusterURLs[0] \"redis://:xxxxx@127.0.0.1:7000/3\": a cluster has only database 0"},
		{"a cluster URL that does not parse names its index", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://:" + secret + "@127.0.0.1:x"}}, `redis: ClusterURLs[1] "redis://:xxxxx@127.0.0.1:x": invalid port`},
		{"cluster URLs with different passwords are an error", ClientOptions{ClusterURLs: []string{"redis://:a-" + secret + "@127.0.0.1:7000", "redis://:b-" + secret + "@127.0.0.1:7001"}}, "redis: ClusterURLs[1] \"redis://:xxxxx@127.0.0.1:7001\": user or password differs"},
		{"a cluster URL without the password of the others is an error", ClientOptions{ClusterURLs: []string{"redis://:" + secret + "@127.0.0.1:7000", "redis://127.0.0.1:7001"}}, "user or password differs"},
		{"cluster URLs with different schemes are an error", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "rediss://127.0.0.1:7001"}}, `redis: ClusterURLs[1] "rediss://127.0.0.1:7001": scheme differs`},
		{"cluster URLs with different options are an error", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000?read_timeout=1s", "redis://127.0.0.1:7001?read_timeout=2s"}}, "options differ"},
		{"a bad addr parameter is an error", ClientOptions{ClusterURLs: []string{"redis://:" + secret + "@127.0.0.1:7000?addr=nowhere"}}, "unable to parse addr param: nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewClient(tt.opts)
			if err == nil {
				client.Close()
				t.Fatalf("NewClient(%v): got no error, want one containing %q", tt.opts, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewClient(%v): got error %q, want one containing %q", tt.opts, err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("NewClient(%v): got error %q, want one without the password", tt.opts, err)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct {
		name string
		opts ClientOptions
		want string
	}{
		{"a URL without credentials is unchanged", ClientOptions{URL: "redis://127.0.0.1:6379/0"}, "redis://127.0.0.1:6379/0"},
		{"the password of a URL is masked", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:6379/0"}, "redis://:xxxxx@127.0.0.1:6379/0"},
		{"the user of a URL stays", ClientOptions{URL: "rediss://alice:" + secret + "@cache.example:6380/1"}, "rediss://alice:xxxxx@cache.example:6380/1"},
		{"Password shows masked in a URL without one", ClientOptions{URL: "redis://127.0.0.1:6379/0", Username: "alice", Password: secret}, "redis://alice:xxxxx@127.0.0.1:6379/0"},
		{"Username alone shows in a URL without one", ClientOptions{URL: "redis://127.0.0.1:6379/0", Username: "alice"}, "redis://alice@127.0.0.1:6379/0"},
		{"a unix URL keeps its path and query", ClientOptions{URL: "unix:///run/redis.sock?db=2", Password: secret}, "unix://:xxxxx@/run/redis.sock?db=2"},
		{"cluster URLs are joined by commas", ClientOptions{ClusterURLs: []string{"redis://127.0.0.1:7000", "redis://:" + secret + "@127.0.0.1:7001"}}, "redis://127.0.0.1:7000,redis://:xxxxx@127.0.0.1:7001"},
		{"a URL that does not parse is masked too", ClientOptions{URL: "redis://:" + secret + "@127.0.0.1:port/0"}, "redis://:xxxxx@127.0.0.1:port/0"},
		{"a password with an unescaped slash is masked whole", ClientOptions{URL: "redis://u:1234/" + secret + "@127.0.0.1:6379"}, "redis://u:xxxxx@127.0.0.1:6379"},
		{"empty options show as nothing", ClientOptions{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.opts.Redacted(); got != tt.want {
				t.Errorf("Redacted(): got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPrintingHidesThePassword(t *testing.T) {
	o := ClientOptions{URL: "redis://:url-" + secret + "@127.0.0.1:6379/0", Password: secret}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("redis", "options", o)
	tests := []struct {
		name string
		got  string
	}{
		{"String", o.String()},
		{"%v", fmt.Sprintf("%v", o)},
		{"%+v of a struct that holds the options", fmt.Sprintf("%+v", struct{ Redis ClientOptions }{o})},
		{"slog JSON", logged.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.got, secret) {
				t.Errorf("got %q, want no password", tt.got)
			}
			if !strings.Contains(tt.got, "redis://:xxxxx@127.0.0.1:6379/0") {
				t.Errorf("got %q, want the redacted URL", tt.got)
			}
		})
	}
}

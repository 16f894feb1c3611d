package testserver

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRedisClusterStarts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts RedisClusterOptions
		want int // masters
	}{
		{name: "zero options make 3 masters", opts: RedisClusterOptions{}, want: 3},
		{name: "password on every node", opts: RedisClusterOptions{Masters: 3, Password: "s3cret"}, want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewRedisCluster(t, tt.opts)
			if len(c.Addrs) != tt.want || len(c.URLs) != tt.want {
				t.Fatalf("got %d Addrs and %d URLs, want %d", len(c.Addrs), len(c.URLs), tt.want)
			}
			for i, addr := range c.Addrs {
				info, err := redisDo("tcp", addr, tt.opts.Password, 2*time.Second, "CLUSTER", "INFO")
				if err != nil {
					t.Fatalf("CLUSTER INFO on %s: %v", addr, err)
				}
				for _, want := range []string{
					"cluster_state:ok", "cluster_slots_assigned:16384",
					fmt.Sprintf("cluster_known_nodes:%d", tt.want), fmt.Sprintf("cluster_size:%d", tt.want),
				} {
					if !strings.Contains(info, want+"\r\n") {
						t.Errorf("CLUSTER INFO on %s: got\n%s\nwant %s", addr, info, want)
					}
				}
				if want := redisURL(addr, tt.opts.Password, ""); c.URLs[i] != want {
					t.Errorf("URLs[%d]: got %q, want %q", i, c.URLs[i], want)
				}
			}
		})
	}
}

func TestRedisClusterRejectsFewMasters(t *testing.T) {
	for _, masters := range []int{-1, 1, 2} {
		t.Run(fmt.Sprint(masters), func(t *testing.T) {
			c, err := StartRedisCluster(RedisClusterOptions{Masters: masters})
			want := fmt.Sprintf("testserver: Masters: must be 0 or >= 3, got %d", masters)
			if err == nil || err.Error() != want {
				if c != nil {
					c.Close()
				}
				t.Fatalf("got %v, want %q", err, want)
			}
		})
	}
}

func TestClusterOK(t *testing.T) {
	tests := []struct {
		name string
		info string
		want bool
	}{
		{name: "ok with every slot", info: "cluster_state:ok\r\ncluster_slots_assigned:16384\r\n", want: true},
		{name: "fail state", info: "cluster_state:fail\r\ncluster_slots_assigned:16384\r\n", want: false},
		{name: "slots missing", info: "cluster_state:ok\r\ncluster_slots_assigned:10000\r\n", want: false},
		{name: "empty", info: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clusterOK(tt.info); got != tt.want {
				t.Fatalf("clusterOK(%q): got %v, want %v", tt.info, got, tt.want)
			}
		})
	}
}

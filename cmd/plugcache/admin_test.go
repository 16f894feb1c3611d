package main

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/plugcache/plugcache"
	"github.com/plugcache/plugcache/internal/testserver"
)

// withAdmin is the arguments that start the proxy in front of o with an
// admin listener on a free port, and the access log that p.do waits for.
func withAdmin(o *origin) []string {
	return []string{"--upstream", o.URL, "--admin-listen", "127.0.0.1:0", "--access-log"}
}

func TestPurge(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: withAdmin(o), env: st.env()})
	const docA, docB, entity = "/api/techdocs/static/a", "/api/techdocs/static/b", "/api/catalog/x"
	for _, u := range []string{docA, docB, entity} {
		p.get(t, u)
		p.wantCache(t, u, "; hit")
	}
	bearer := []string{"Content-Type", "application/json", "Authorization", "Bearer " + adminToken}
	purge := func(body string, header ...string) response {
		t.Helper()
		return do(t, http.MethodPost, p.admin+"/purge", strings.NewReader(body), header...)
	}

	refused := []struct {
		name   string
		body   string
		header []string
		code   int
		want   string
	}{
		{"no token is 401", `{"plugin":"techdocs","all":true}`, []string{"Content-Type", "application/json"}, 401, "Bearer"},
		{"a wrong token is 401", `{"plugin":"techdocs","all":true}`, []string{"Authorization", "Bearer not-" + adminToken}, 401, "Bearer"},
		{"the token in another scheme is 401", `{"plugin":"techdocs","all":true}`, []string{"Authorization", "Basic " + adminToken}, 401, "Bearer"},
		{"bad JSON is 400", `{"plugin": "techdocs",`, bearer, 400, "invalid JSON"},
		{"an empty body is 400", ``, bearer, 400, "body: empty"},
		{"an unknown field is 400", `{"plugin":"techdocs","path":"/a"}`, bearer, 400, `unknown field \"path\"`},
		{"no plugin is 400", `{"url":"` + p.proxy + docA + `"}`, bearer, 400, "plugin: required"},
		{"an unknown plugin is 400", `{"plugin":"techdoc","all":true}`, bearer, 400, "not a plugin of this proxy"},
		{"neither url nor all is 400", `{"plugin":"techdocs"}`, bearer, 400, "url: required"},
		{"both url and all is 400", `{"plugin":"techdocs","url":"` + p.proxy + docA + `","all":true}`, bearer, 400, "not both"},
		{"a relative url is 400", `{"plugin":"techdocs","url":"/api/techdocs/static/a"}`, bearer, 400, "absolute"},
		{"a form without a token is 401", `plugin=techdocs&all=true`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 401, "Wrong admin token"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			r := purge(tt.body, tt.header...)
			if r.status != tt.code || !strings.Contains(r.body+r.header.Get("WWW-Authenticate"), tt.want) {
				t.Errorf("got %d %q, want %d naming %q", r.status, r.body, tt.code, tt.want)
			}
		})
	}
	for _, u := range []string{docA, docB, entity} {
		p.wantCache(t, u, "; hit") // nothing refused purged anything
	}

	t.Run("a url drops that URL only", func(t *testing.T) {
		r := purge(`{"plugin":"techdocs","url":"`+p.proxy+docA+`"}`, bearer...)
		if r.status != 200 || !strings.Contains(r.body, `"purged":"`+p.proxy+docA+`"`) {
			t.Fatalf("got %d %q, want 200 naming the URL", r.status, r.body)
		}
		p.wantCache(t, docA, "fwd=uri-miss")
		p.wantCache(t, docB, "; hit")
	})
	t.Run("all clears that plugin only", func(t *testing.T) {
		// As curl -d sends it: JSON labelled as a form, with the token.
		r := purge(`{"plugin":"techdocs","all":true}`, "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Bearer "+adminToken)
		if r.status != 200 || !strings.Contains(r.body, `"purged":"everything"`) {
			t.Fatalf("got %d %q, want 200", r.status, r.body)
		}
		p.wantCache(t, docA, "fwd=uri-miss")
		p.wantCache(t, docB, "fwd=uri-miss")
		p.wantCache(t, entity, "; hit")
	})
	t.Run("the status page's form, which carries the token as a field", func(t *testing.T) {
		form := func(v url.Values) response {
			return do(t, http.MethodPost, p.admin+"/purge", strings.NewReader(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		}
		r := form(url.Values{"plugin": {"catalog"}, "all": {"true"}, "token": {"wrong"}})
		if r.status != 401 || !strings.Contains(r.body, "Wrong admin token") {
			t.Errorf("wrong token: got %d, want 401 and the page saying so", r.status)
		}
		p.wantCache(t, entity, "; hit")
		r = form(url.Values{"plugin": {"catalog"}, "all": {"true"}, "token": {adminToken}})
		if r.status != 200 || !strings.Contains(r.body, "Purged everything from plugin catalog.") || strings.Contains(r.body, adminToken) {
			t.Errorf("right token: got %d, want 200 and the page saying so, without the token", r.status)
		}
		p.wantCache(t, entity, "fwd=uri-miss")
	})
}

func TestPurgeIsOffWithoutAToken(t *testing.T) {
	o := newOrigin(t, nil)
	p := start(t, spec{config: "backend:\n  cache:\n    store: memory\n", args: withAdmin(o)})
	r := do(t, http.MethodPost, p.admin+"/purge", strings.NewReader(`{"plugin":"default","all":true}`),
		"Content-Type", "application/json", "Authorization", "Bearer anything")
	if r.status != http.StatusNotFound {
		t.Errorf("POST /purge: got %d, want 404", r.status)
	}
	if page := get(t, p.admin+"/"); !strings.Contains(page.body, "Purge is off") || strings.Contains(page.body, `<form id="purge"`) {
		t.Errorf("status page: want it to say purge is off, with no form:\n%s", page.body)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: withAdmin(o), env: st.env()})
	for range 3 {
		p.get(t, "/api/techdocs/static/page") // miss, hit, hit
	}
	p.get(t, "/api/catalog/x") // miss
	p.get(t, "/api/catalog/x") // hit
	p.do(t, http.MethodPut, "/api/catalog/x", strings.NewReader("v2"))
	p.get(t, "/api/catalog/x") // miss: the PUT dropped it

	families := scrape(t, p.admin+"/metrics")
	got := requestsByResult(families["plugcache_http_requests_total"])
	maps.DeleteFunc(got, func(_ [2]string, n float64) bool { return n == 0 })
	want := map[[2]string]float64{ // plugin, result -> requests, whatever the detail
		{"techdocs", "miss"}: 1, {"techdocs", "hit"}: 2,
		{"catalog", "miss"}: 2, {"catalog", "hit"}: 1, {"catalog", "bypass"}: 1,
	}
	if !maps.Equal(got, want) {
		t.Errorf("plugcache_http_requests_total by plugin and result: got %v, want %v", got, want)
	}
	if families["go_goroutines"] == nil {
		t.Errorf("no go_goroutines: want the Go collector beside plugcache's")
	}
}

// scrape reads url's Prometheus text with the Prometheus parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	r := get(t, url)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("parsing %s: %v\n%s", url, err, r.body)
	}
	return families
}

// requestsByResult sums plugcache_http_requests_total by plugin and result.
func requestsByResult(fam *dto.MetricFamily) map[[2]string]float64 {
	got := map[[2]string]float64{}
	for _, m := range fam.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		got[[2]string{labels["plugin"], labels["result"]}] += m.GetCounter().GetValue()
	}
	return got
}

// killable is a store's test server, which a test can kill and restart.
type killable interface {
	Kill() error
	Restart() error
}

func TestReadyzFollowsTheStores(t *testing.T) {
	tests := []struct {
		plugin, path string
		server       func(stores) killable
		redis        bool // the store killed is redis, whose client logs of its own
	}{
		{"techdocs", "/api/techdocs/static/down", func(st stores) killable { return st.memcached }, false},
		{"catalog", "/api/catalog/down", func(st stores) killable { return st.redis }, true},
	}
	for _, tt := range tests {
		t.Run(tt.plugin, func(t *testing.T) {
			st := newStores(t)
			o := newOrigin(t, nil)
			p := start(t, spec{config: st.config(), args: withAdmin(o), env: st.env()})
			ready := func(code int, want string) func() (bool, string) {
				return func() (bool, string) {
					r := get(t, p.admin+"/readyz")
					return r.status == code && strings.Contains(r.body, want), r.body
				}
			}
			if r := get(t, p.admin+"/healthz"); r.status != 200 {
				t.Errorf("/healthz: got %d, want 200", r.status)
			}
			poll(t, "/readyz 200 with every store up", ready(200, "ready: 3 of 3"))

			server := tt.server(st)
			if err := server.Kill(); err != nil {
				t.Fatal(err)
			}
			poll(t, "/readyz 503 naming "+tt.plugin, ready(503, "cannot reach their store: "+tt.plugin+"\n"))
			// Requests still work, uncached, and the cache says once that
			// its store is down, however many requests fail; the store's
			// client adds at most one warning of its own.
			storeDown := func(l logLine) bool {
				return strings.Contains(l.Msg, "store is down") && l.str("plugin") == tt.plugin
			}
			poll(t, `a "store is down" log line`, func() (bool, string) {
				r := get(t, p.proxy+tt.path)
				if r.status != 200 {
					t.Fatalf("GET with the store down: got %d, want 200 (fail open)", r.status)
				}
				return len(p.logs.matching(storeDown)) > 0, r.header.Get("Cache-Status")
			})
			for range 30 {
				get(t, p.proxy+tt.path)
			}
			if n := len(p.logs.matching(storeDown)); n != 1 {
				t.Errorf("got %d store-down lines, want 1\n%s", n, p.logs)
			}
			clientWarnings := p.logs.matching(func(l logLine) bool { return l.Level == "WARN" && strings.HasPrefix(l.Msg, "redis client:") })
			if tt.redis && len(clientWarnings) > 1 {
				t.Errorf("got %d warnings from the redis client, want at most 1\n%s", len(clientWarnings), p.logs)
			}

			if err := server.Restart(); err != nil {
				t.Fatal(err)
			}
			poll(t, "/readyz 200 with the store back", ready(200, "ready: 3 of 3"))
			poll(t, `a "back up" log line`, func() (bool, string) {
				get(t, p.proxy+tt.path)
				return len(p.logs.matching(func(l logLine) bool {
					return strings.Contains(l.Msg, "store is back up") && l.str("plugin") == tt.plugin
				})) == 1, ""
			})
		})
	}
}

func TestStatusPage(t *testing.T) {
	st := newStores(t)
	o := newOrigin(t, nil)
	p := start(t, spec{config: st.config(), args: withAdmin(o), env: st.env()})
	p.get(t, "/api/techdocs/static/a")
	p.get(t, "/api/techdocs/static/a")

	page := get(t, p.admin+"/")
	if page.status != 200 || page.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: got %d %q, want 200 HTML", page.status, page.header.Get("Content-Type"))
	}
	row := regexp.MustCompile(`(?s)<tr data-plugin="techdocs">.*?</tr>`).FindString(page.body)
	for _, want := range []string{"memcache", st.memcached.Addr, "healthy", "50.0%", "2 (hit 1, miss 1)"} {
		if !strings.Contains(row, want) {
			t.Errorf("the techdocs row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(strings.ToLower(page.body), "<script") {
		t.Errorf("the page has a script; it is to be rendered on the server alone:\n%s", page.body)
	}
	if strings.Contains(page.body, redisPassword) || strings.Contains(page.body, adminToken) {
		t.Errorf("the page shows a secret:\n%s", page.body)
	}

	t.Run("rendered by headless Chromium", func(t *testing.T) {
		dom := dumpDOM(t, p.admin+"/")
		for _, want := range []string{
			`data-plugin="default"`, `data-plugin="techdocs"`, `data-plugin="catalog"`,
			`<form id="purge" method="post" action="/purge">`, `name="token" type="password"`, `name="url"`, `name="all"`,
			`<option value="techdocs">`, "healthy",
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("the rendered DOM lacks %q:\n%s", want, dom)
			}
		}
	})
}

// TestStatusRowOfAPluginTheConfigDoesNotName checks that a route's plugin
// that has no block under backend.cache.plugin shows the health of the store
// it uses, backend.cache's, which only plugin default's check reaches.
func TestStatusRowOfAPluginTheConfigDoesNotName(t *testing.T) {
	dead := testserver.NewMemcached(t, testserver.MemcachedOptions{})
	deadAddr := dead.Addr
	dead.Close()
	cfg, err := plugcache.ParseConfig(plugcache.ConfigFile{Name: "app-config.yaml",
		Data: []byte("backend:\n  cache:\n    store: memcache\n    connection: \"" + deadAddr + "\"\n    timeout: 200ms\n")})
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := plugcache.Open(cfg, plugcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	mgr.Middleware("docs") // as newProxyHandler opens each route's cache
	a := &admin{mgr: mgr, plugins: []string{plugcache.DefaultPlugin, "docs"}}
	rows := a.rows(mgr.Check(t.Context()))
	if len(rows) != 2 {
		t.Fatalf("got %d rows %+v, want 2", len(rows), rows)
	}
	for _, r := range rows {
		if r.Store != "memcache" || r.Connection != deadAddr || r.Healthy || !strings.Contains(r.Problem, "unavailable") {
			t.Errorf("row %s: got %s %s, healthy %v, problem %q, want memcache %s, unreachable", r.Plugin, r.Store, r.Connection, r.Healthy, r.Problem, deadAddr)
		}
	}
}

// dumpDOM loads url in headless Chromium and returns the DOM it rendered. It
// skips the test when Chromium is not installed.
func dumpDOM(t *testing.T, url string) string {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("chromium is not installed (apt-get install chromium); skipping the browser check")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--dump-dom", url)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return string(out)
}

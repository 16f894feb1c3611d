package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/plugcache/plugcache"
)

//go:embed status.html
var statusHTML string

// statusPage is the admin listener's page for people, rendered on the
// server: no script runs in the browser.
var statusPage = template.Must(template.New("status").Parse(statusHTML))

// pageData is what the status page shows.
type pageData struct {
	Upstream     string
	ProxyHost    string
	Started      string
	Uptime       time.Duration
	CheckedAgo   time.Duration
	Plugins      []pluginRow
	Routes       []routeConfig
	PurgeEnabled bool
	// Message is the outcome of a purge posted from the page's form.
	Message   string
	MessageOK bool
	Form      purgeForm
}

// purgeForm is what the form posted, to show it again; never the token.
type purgeForm struct {
	Plugin string
	URL    string
}

// pluginRow is one plugin's line of the page.
type pluginRow struct {
	Plugin     string
	Store      string
	Connection string // masked by plugcache
	Healthy    bool
	Problem    string
	HitRatio   string
	Total      uint64
	Requests   []count
}

// count is one kind of request and how many there were.
type count struct {
	Name string
	N    uint64
}

// serveStatus renders the page.
func (a *admin) serveStatus(w http.ResponseWriter, r *http.Request) {
	a.renderStatus(w, r, http.StatusOK, "", false, purgeForm{Plugin: "default"})
}

// renderStatus renders the page with code and, after a purge from the form,
// its outcome.
func (a *admin) renderStatus(w http.ResponseWriter, r *http.Request, code int, msg string, ok bool, form purgeForm) {
	results, checked := a.health.results(r.Context())
	d := pageData{
		Upstream:     a.upstream,
		ProxyHost:    a.proxyHost,
		Started:      a.started.Format(time.RFC3339),
		Uptime:       time.Since(a.started).Round(time.Second),
		CheckedAgo:   time.Since(checked).Round(time.Second),
		Plugins:      a.rows(results),
		Routes:       a.routes,
		PurgeEnabled: a.token != "",
		Message:      msg,
		MessageOK:    ok,
		Form:         form,
	}
	var buf bytes.Buffer
	if err := statusPage.Execute(&buf, d); err != nil {
		a.logger.Error("status page", "err", err)
		http.Error(w, "status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// rows joins the plugins' statistics with their latest check, one row for
// each plugin the config or the routes name. Status covers every one of
// them, as the proxy opened each route's cache at start.
func (a *admin) rows(results []plugcache.CheckResult) []pluginRow {
	stats := map[string]plugcache.PluginStatus{}
	for _, s := range a.mgr.Status() {
		stats[s.Plugin] = s
	}
	checks := map[string]plugcache.CheckResult{}
	for _, c := range results {
		checks[c.Plugin] = c
	}
	var rows []pluginRow
	for _, id := range a.plugins {
		s := stats[id]
		c, checked := checks[id]
		if !checked {
			// Check covers the plugins the config names; any other
			// has backend.cache's store, which plugin default's check
			// covers.
			c = checks[plugcache.DefaultPlugin]
		}
		row := pluginRow{
			Plugin:     id,
			Store:      s.Store,
			Connection: strings.TrimPrefix(s.Connection, s.Store+" "), // "memcache host:port": the Store column says memcache
			HitRatio:   "–",
			Healthy:    c.Err == nil,
		}
		if c.Err != nil {
			row.Problem = c.Err.Error()
		}
		for name, n := range s.Requests {
			if n > 0 {
				row.Requests = append(row.Requests, count{name, n})
				row.Total += n
			}
		}
		slices.SortFunc(row.Requests, func(a, b count) int { return strings.Compare(a.Name, b.Name) })
		if row.Total > 0 {
			row.HitRatio = fmt.Sprintf("%.1f%%", 100*s.HitRatio)
		}
		rows = append(rows, row)
	}
	return rows
}

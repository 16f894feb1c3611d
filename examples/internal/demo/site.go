package demo

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RenderDelay is how long the docs renderer of a Program takes over a page:
// the cost that the techdocs cache saves.
const RenderDelay = 250 * time.Millisecond

// docsMaxAge is how long a rendered page stays fresh. After that, a techdocs
// plugin with staleWhileRevalidate serves the stale page at once and asks the
// renderer again in the background; without it, the cache asks the renderer
// again while the client waits. Either way it asks with If-None-Match, which
// the site answers with 304 without rendering. (The echo example refreshes
// inline rather than in the background: see its app-config.yaml.)
const docsMaxAge = 5 * time.Minute

// page is one docs page: its source, and the entity tag of that source.
type page struct {
	Title string
	Body  []string // paragraphs
	etag  string
}

// Site is the techdocs plugin's site under /docs/: a few pages that a
// deliberately slow renderer turns into HTML. Pages do not change while the
// program runs, so each has a fixed ETag that the handler can check before
// rendering. A Site is safe for concurrent use.
type Site struct {
	pages map[string]*page // by the path after /docs/; "" is the index
	delay time.Duration
	log   *slog.Logger
}

// newSite returns the site, with a renderer that takes delay over each page
// and logs each render to logger, so that a reader can see which requests
// the cache answered without it.
func newSite(delay time.Duration, logger *slog.Logger) *Site {
	pages := map[string]*page{
		"intro": {Title: "Introduction", Body: []string{
			"plugcache gives each plugin of a Go service its own cache, in memory, memcached or redis.",
			"Its HTTP middleware stores whole responses, as an RFC 9111 shared cache does.",
		}},
		"config": {Title: "Configuration", Body: []string{
			"plugcache reads the backend.cache block of a Backstage app-config.yaml.",
			"Later files win key by key, as app-config.production.yaml does in Backstage.",
		}},
		"caching": {Title: "How pages are cached", Body: []string{
			"A page is rendered once, then served from the cache until its max-age runs out.",
			"The Cache-Status header says whether a response was a hit or went to the renderer.",
		}},
		"frameworks": {Title: "plugcache in a web framework", Body: []string{
			"plugcache's middleware is a func(http.Handler) http.Handler.",
			"net/http and chi take it as it is; echo.WrapMiddleware turns it into echo middleware.",
		}},
	}
	index := &page{Title: "plugcache docs"}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		index.Body = append(index.Body, "/docs/"+name+": "+pages[name].Title)
	}
	pages[""] = index
	for _, p := range pages {
		p.etag = etagOf(append([]string{p.Title}, p.Body...)...)
	}
	return &Site{pages: pages, delay: delay, log: logger}
}

// etag returns the entity tag of the page at /docs/name, or "" if there is
// none.
func (s *Site) etag(name string) string {
	if p, ok := s.pages[name]; ok {
		return p.etag
	}
	return ""
}

// ServeHTTP serves /docs/ and /docs/<name>, whatever router sends them: 404
// for a page that does not exist, 304 when the request's If-None-Match holds
// the page's ETag, and otherwise the page, rendered now. Every answer has a
// Cache-Control that says how long a shared cache may keep it.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := s.pages[strings.TrimPrefix(r.URL.Path, "/docs/")]
	if !ok {
		w.Header().Set("Cache-Control", "public, max-age=60")
		http.NotFound(w, r)
		return
	}
	cacheControl := "public, max-age=" + strconv.Itoa(int(docsMaxAge.Seconds()))
	if etagMatches(r.Header.Get("If-None-Match"), p.etag) {
		w.Header().Set("ETag", p.etag)
		w.Header().Set("Cache-Control", cacheControl)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	start := time.Now()
	body, err := s.render(r.Context(), p)
	if err != nil {
		// The client went away mid-render. no-store keeps this
		// answer, which nobody reads, out of every cache.
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "render stopped: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	s.log.Info("techdocs: rendered", "path", r.URL.Path, "took", time.Since(start).Round(time.Millisecond))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", cacheControl)
	w.Write(body)
}

// pageTemplate is the HTML around every page.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><p><a href="/docs/">plugcache docs</a></p>
<h1>{{.Title}}</h1>
{{range .Body}}<p>{{.}}</p>
{{end}}</body></html>
`))

// render turns p into HTML, taking s.delay as a real renderer (markdown,
// diagrams, a search index) would. It gives up when ctx is done: the client
// has gone, and no one will read the page.
func (s *Site) render(ctx context.Context, p *page) ([]byte, error) {
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

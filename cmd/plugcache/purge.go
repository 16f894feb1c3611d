package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// purgeRequest is the body of POST /purge: a plugin, and either the URL
// whose every variant to drop or all, to clear the plugin.
type purgeRequest struct {
	Plugin string `json:"plugin"`
	URL    string `json:"url"`
	All    bool   `json:"all"`
}

// maxPurgeBody bounds the body of POST /purge.
const maxPurgeBody = 64 << 10

// servePurge drops one URL's entries, or everything, of one plugin. It takes
// JSON with "Authorization: Bearer <token>", whatever the Content-Type says
// (curl -d says a form), or, without that header, the status page's form
// (application/x-www-form-urlencoded), which carries the token as a field, as
// a form cannot send a header. It answers 401 for a wrong or missing token,
// 400 naming what is wrong with the body, 503 when the store fails.
func (a *admin) servePurge(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPurgeBody)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" && r.Header.Get("Authorization") == "" {
		a.purgeForm(w, r)
		return
	}
	a.purgeJSON(w, r)
}

// purgeJSON serves a purge sent as JSON.
func (a *admin) purgeJSON(w http.ResponseWriter, r *http.Request) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || !a.tokenMatches(strings.TrimSpace(tok)) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="plugcache admin"`)
		replyJSON(w, http.StatusUnauthorized, map[string]string{"error": "a valid Authorization: Bearer <token> is required"})
		return
	}
	var req purgeRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		replyJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	what, code, err := a.purge(r, req)
	if err != nil {
		replyJSON(w, code, map[string]string{"error": err.Error()})
		return
	}
	replyJSON(w, http.StatusOK, map[string]string{"plugin": req.Plugin, "purged": what})
}

// purgeForm serves a purge posted from the status page, answering with the
// page and the outcome on it.
func (a *admin) purgeForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.renderStatus(w, r, http.StatusBadRequest, "The form could not be read: "+err.Error(), false, purgeForm{})
		return
	}
	f := r.PostForm
	form := purgeForm{Plugin: f.Get("plugin"), URL: f.Get("url")}
	if !a.tokenMatches(f.Get("token")) {
		a.renderStatus(w, r, http.StatusUnauthorized, "Wrong admin token: nothing was purged.", false, form)
		return
	}
	req := purgeRequest{Plugin: form.Plugin, URL: form.URL, All: f.Get("all") != ""}
	if req.All {
		req.URL = "" // the form keeps its URL field when everything is chosen
	}
	what, code, err := a.purge(r, req)
	if err != nil {
		a.renderStatus(w, r, code, "Nothing was purged: "+err.Error(), false, form)
		return
	}
	a.renderStatus(w, r, http.StatusOK, fmt.Sprintf("Purged %s from plugin %s.", what, req.Plugin), true, form)
}

// purge checks req and carries it out. It returns what was purged, or the
// status to answer with and why.
func (a *admin) purge(r *http.Request, req purgeRequest) (string, int, error) {
	u, err := a.checkPurge(req)
	if err != nil {
		return "", http.StatusBadRequest, err
	}
	what := "everything"
	if req.All {
		err = a.mgr.PurgeAll(r.Context(), req.Plugin)
	} else {
		what = logURL(u)
		err = a.mgr.Purge(r.Context(), req.Plugin, u)
	}
	if err != nil {
		a.logger.Warn("purge failed", "plugin", req.Plugin, "purged", what, "err", err)
		return "", http.StatusServiceUnavailable, fmt.Errorf("the store failed: %v", err)
	}
	a.logger.Info("purged", "plugin", req.Plugin, "purged", what)
	return what, 0, nil
}

// checkPurge checks a purge request and returns its URL, nil for all.
func (a *admin) checkPurge(req purgeRequest) (*url.URL, error) {
	switch {
	case req.Plugin == "":
		return nil, errors.New(`plugin: required: the plugin whose cache to purge`)
	case !slices.Contains(a.plugins, req.Plugin):
		return nil, fmt.Errorf("plugin: %q is not a plugin of this proxy; expected one of %s", req.Plugin, strings.Join(a.plugins, ", "))
	case req.All && req.URL != "":
		return nil, errors.New(`give "url" or "all": true, not both`)
	case req.All:
		return nil, nil
	case req.URL == "":
		return nil, errors.New(`url: required, unless "all": true`)
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("url: expected an absolute http or https URL, as clients request it through the proxy, such as http://%s/docs/index.html", a.proxyHost)
	}
	return u, nil
}

// tokenMatches compares tok with the admin token in constant time, whatever
// their lengths.
func (a *admin) tokenMatches(tok string) bool {
	if a.token == "" || tok == "" {
		return false
	}
	got, want := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(a.token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// decodeJSON reads exactly one JSON object with only purgeRequest's fields.
func decodeJSON(body io.Reader, v *purgeRequest) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New(`body: empty; expected JSON such as {"plugin": "techdocs", "url": "http://host/docs/a"}`)
		}
		if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return fmt.Errorf("body: larger than %d bytes", mbe.Limit)
		}
		return fmt.Errorf("body: invalid JSON: %v", err)
	}
	if dec.More() {
		return errors.New("body: more than one JSON value")
	}
	return nil
}

// logURL is u as logs and answers show it: without its query, which may
// carry a token, or user info.
func logURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// replyJSON writes v as JSON with code.
func replyJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

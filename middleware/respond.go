package middleware

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
	"github.com/plugcache/plugcache/internal/rfc9111"
)

// respondStored writes a stored response to the client, with Age and
// Cache-Status. A client whose own If-None-Match or If-Modified-Since the
// response satisfies gets 304 (RFC 9111 §4.3.2); a Range request for a 200 is
// answered from the stored body by http.ServeContent. This is the hit path:
// it allocates twice, for the fields, whose names and values share the
// stored bytes, and for Age and Cache-Status.
func (c *Cache) respondStored(w http.ResponseWriter, r *http.Request, v *entry.View, age time.Duration, st status) {
	var buf [128]byte
	b := strconv.AppendInt(buf[:0], int64(age/time.Second), 10)
	n := len(b)
	b = st.append(b)
	s := string(b)
	h := w.Header()
	v.WriteHeaders(h, "Age", s[:n], "Cache-Status", s[n:])

	if notModified(r, v) {
		delete(h, "Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if present(r.Header, "Range") && v.Status == http.StatusOK {
		delete(h, "Content-Length")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(v.Body))
		return
	}
	w.WriteHeader(v.Status)
	if r.Method != http.MethodHead {
		w.Write(v.Body)
	}
}

// notModified reports whether the client's own conditional request is
// satisfied by the stored response, so that 304 is the answer it asked for.
func notModified(r *http.Request, v *entry.View) bool {
	if !rfc9111.EvaluatedConditional(r.Header) || v.Status != http.StatusOK {
		return false
	}
	etag, _ := v.Get("Etag")
	lastModified, _ := v.Get("Last-Modified")
	date, _ := v.Get("Date")
	return rfc9111.NotModified(r.Method, r.Header, etag, lastModified, date)
}

// bypass passes the request to the origin and the response back, untouched
// but for Cache-Status, storing nothing.
func (c *Cache) bypass(w http.ResponseWriter, r *http.Request, next http.Handler, st status) {
	cw := c.passThrough(w, st)
	next.ServeHTTP(cw, r)
	cw.finish()
	result := Bypass
	if st.fwd == fwdURIMiss || st.fwd == fwdVary {
		result = Miss
	}
	c.emit(r, result, st.detail, cw.status, false, nil)
}

// passUpgrade hands a request to switch protocols, such as a WebSocket
// handshake, to the origin with the client's own ResponseWriter: the handler
// takes over the connection, and libraries that assert http.Hijacker on the
// writer, rather than use http.ResponseController, must find it there.
func (c *Cache) passUpgrade(w http.ResponseWriter, r *http.Request, next http.Handler) {
	st := status{fwd: fwdBypass, detail: "upgrade"}
	st.set(w.Header())
	next.ServeHTTP(w, r)
	c.emit(r, Bypass, st.detail, 0, false, nil)
}

// bypassAfterError serves a request whose lookup failed and that fetch does
// not take (see serveWithoutStore), uncached.
func (c *Cache) bypassAfterError(w http.ResponseWriter, r *http.Request, next http.Handler, err error) {
	detail := errorDetail(err)
	cw := c.passThrough(w, status{fwd: fwdMiss, detail: detail})
	next.ServeHTTP(cw, r)
	cw.finish()
	c.emit(r, Error, detail, cw.status, false, err)
}

// passThrough is a writer that sends the response on as it comes, adding
// Cache-Status, and keeps nothing.
func (c *Cache) passThrough(w http.ResponseWriter, st status) *writer {
	return &writer{
		client: w,
		header: http.Header{},
		onCommit: func(cw *writer) {
			copyHeader(w.Header(), cw.snap)
			st.set(w.Header())
		},
	}
}

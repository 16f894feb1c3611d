package middleware

import (
	"net/http"
	"strconv"
	"strings"
)

// teeHold is how much of a response the writer holds back, in tee mode, before
// the response starts to go out: enough for most pages to be complete when the
// cache tells the client whether it was stored, and no more than net/http
// buffers itself, so streaming is not delayed.
const teeHold = 4 << 10

// writer is the one ResponseWriter wrapper. The handler writes into it; it
// keeps a copy of the body for the cache, up to max bytes, and passes the
// response on to the client once it must go out: when more than hold bytes
// have come, when the handler flushes, or when the cache commits it after the
// handler returns. Holding the whole response (hold = max) lets the cache
// answer with something else, such as a stored response after a 304.
//
// It snapshots the header at WriteHeader, as net/http does, with every name in
// its canonical form, so that the cache's rules find a "set-cookie" the
// handler set under that key: net/http sends it all the same. Once the
// response has gone out, Header is the client's, so that trailers the handler
// sets after the body reach the client, as they would without the cache. It
// implements Unwrap, so http.NewResponseController reaches Flush, Hijack and
// deadlines.
type writer struct {
	client http.ResponseWriter // where the response goes; discard for background work
	header http.Header         // what the handler writes into
	snap   http.Header         // header as of WriteHeader
	status int

	body     []byte // held and captured bytes
	capture  bool   // keep body for the cache
	overflow bool   // body outgrew max: not stored
	max      int
	hold     int
	// holding keeps the whole response back, up to max, even from a
	// handler's Flush. It is set at WriteHeader for a response that the
	// cache may yet replace (a 304 that confirms a stored response, or a 5xx
	// that stale-if-error covers): a reverse proxy flushes at once, and a
	// flush that let its 304 out would give the client a 304 it never asked
	// for. Any other response's Flush sends what is held, as it must for a
	// stream.
	holding bool
	size    int64 // body bytes the handler wrote
	// declared is the body length the handler's Content-Length declared, if
	// declaresLength, read once at WriteHeader.
	declared       int64
	declaresLength bool

	committed bool
	finished  bool // the handler is done (finish)
	// onHeader runs at WriteHeader, with status and snap set: it decides
	// capture and hold for this response.
	onHeader func(*writer)
	// onCommit runs once, when the response starts to go to the client: it
	// sets the client's headers, before the writer sends the status.
	onCommit func(*writer)
}

func (w *writer) Header() http.Header {
	if w.committed {
		return w.client.Header()
	}
	return w.header
}

// Unwrap returns the client's ResponseWriter, for http.ResponseController.
func (w *writer) Unwrap() http.ResponseWriter { return w.client }

func (w *writer) WriteHeader(code int) {
	if w.status != 0 {
		return // as net/http: a second WriteHeader is ignored
	}
	if code >= 100 && code < 200 {
		// 103 Early Hints and the like go straight out, as net/http sends them.
		// The client's map is then put back as it was: the final response's
		// fields are w.header's at its own WriteHeader, and a field the
		// handler cleared after the 1xx must not stay behind.
		h := w.client.Header()
		before := make(http.Header, len(w.header))
		for name := range w.header {
			before[name] = h[name]
		}
		copyHeader(h, w.header)
		w.client.WriteHeader(code)
		for name, v := range before {
			if v == nil {
				delete(h, name)
			} else {
				h[name] = v
			}
		}
		return
	}
	w.status = code
	w.snap = canonicalCopy(w.header, 0)
	w.declared, w.declaresLength = declaredLength(code, w.snap)
	if w.onHeader != nil {
		w.onHeader(w)
	}
	if w.hold == 0 {
		w.commit()
	}
}

func (w *writer) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.size += int64(len(p))
	if !w.committed {
		if len(w.body)+len(p) <= w.hold {
			w.body = append(w.body, p...)
			return len(p), nil
		}
		w.commit()
	}
	if w.capture && !w.overflow {
		if len(w.body)+len(p) <= w.max {
			w.body = append(w.body, p...)
		} else {
			w.overflow, w.body = true, nil
		}
	}
	return w.client.Write(p)
}

// Flush sends what is held and flushes the client, for handlers that stream.
func (w *writer) Flush() { _ = w.FlushError() }

// FlushError is Flush for http.ResponseController, returning the error.
func (w *writer) FlushError() error {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.holding && !w.committed {
		return nil
	}
	w.commit()
	return http.NewResponseController(w.client).Flush()
}

// commit starts the response to the client: headers, status and what is held.
func (w *writer) commit() {
	if w.committed {
		return
	}
	w.committed = true
	if w.onCommit != nil {
		w.onCommit(w)
	} else {
		copyHeader(w.client.Header(), w.snap)
	}
	w.client.WriteHeader(w.status)
	if len(w.body) > 0 {
		w.client.Write(w.body)
	}
	if w.finished {
		w.passTrailers() // the handler is done: what it set is all there is
	}
	if !w.capture || len(w.body) > w.max {
		w.overflow = w.overflow || len(w.body) > w.max
		w.body = nil
	}
}

// passTrailers copies to the client, once the handler is done and the
// response has gone out, the trailer fields the handler set in its own header
// map: those its Trailer field declared, and those named with
// http.TrailerPrefix (RFC 9110 §6.5). Those are the fields set before a held
// response went out, and those set in the map a handler kept from before.
// Fields set through Header after the response went out are in the client's
// header already.
func (w *writer) passTrailers() {
	h := w.client.Header()
	for _, line := range w.snap["Trailer"] {
		for name := range strings.SplitSeq(line, ",") {
			name = http.CanonicalHeaderKey(strings.TrimSpace(name))
			if v, ok := w.header[name]; ok {
				h[name] = v
			}
		}
	}
	for name, v := range w.header {
		if strings.HasPrefix(name, http.TrailerPrefix) {
			h[name] = v
		}
	}
}

// finish ends the handler's response: a handler that wrote nothing sent 200.
func (w *writer) finish() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.finished = true
	if w.committed {
		w.passTrailers()
	}
}

// complete reports whether the cache holds the whole body: every byte the
// handler wrote, and as many as its Content-Length declared when it declared
// one. A body cut short is an incomplete response, which a cache must not
// reuse (RFC 9111 §3.3).
func (w *writer) complete() bool {
	if !w.capture || w.overflow || int64(len(w.body)) != w.size {
		return false
	}
	return !w.declaresLength || w.declared == w.size
}

// declaredLength is the body length that Content-Length in h declares, for
// a status that has a body.
func declaredLength(status int, h http.Header) (int64, bool) {
	v, ok := h["Content-Length"]
	if !ok || len(v) == 0 || !bodyAllowed(status) {
		return 0, false
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	return n, err == nil && n >= 0
}

// canonicalCopy returns a copy of h with every name in its canonical form, the
// values of names that differ only in case joined, and room for extra more
// names. net/http sends a field set under a non-canonical key ("set-cookie")
// as it is, so the cache's rules, which look names up canonically, must read
// it under its canonical name.
func canonicalCopy(h http.Header, extra int) http.Header {
	out := make(http.Header, len(h)+extra)
	for name, v := range h {
		canonical := http.CanonicalHeaderKey(name)
		out[canonical] = append(out[canonical], v...)
	}
	return out
}

// copyHeader sets every field of src in dst, replacing what dst had.
func copyHeader(dst, src http.Header) {
	for k, vv := range src {
		dst[k] = vv
	}
}

// discard is the client of background work: it takes everything and sends
// nothing anywhere.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

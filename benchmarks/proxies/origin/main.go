// Command origin is the upstream for benchmarks/proxies: it serves GET /obj
// with a fixed 1 KiB body that any shared cache may keep for an hour, and
// GET /hit, the same object with the fields of a plugcache hit.
package main

import (
	"bytes"
	"flag"
	"log"
	"net/http"
	"strconv"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	flag.Parse()

	body := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1024 bytes
	length := strconv.Itoa(len(body))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /obj", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/plain")
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("Content-Length", length)
		w.Write(body)
	})
	// GET /hit writes what a plugcache hit on /obj writes, fields and body,
	// from values built beforehand: how fast net/http itself serves that
	// response, the ceiling of any cache built on it.
	date := time.Now().UTC().Format(http.TimeFormat)
	mux.HandleFunc("GET /hit", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Age", "0")
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("Cache-Status", "plugcache; hit; ttl=3600")
		h.Set("Content-Length", length)
		h.Set("Content-Type", "text/plain")
		h.Set("Date", date)
		w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, mux))
}

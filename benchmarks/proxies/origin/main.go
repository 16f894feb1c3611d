// Command origin is the upstream for benchmarks/proxies: it serves GET /obj
// with a fixed 1 KiB body that any shared cache may keep for an hour.
package main

import (
	"bytes"
	"flag"
	"log"
	"net/http"
	"strconv"
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
	log.Fatal(http.ListenAndServe(*addr, mux))
}

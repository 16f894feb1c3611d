package middleware

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestRaceOneKey hammers one key with misses, hits, invalidations and
// expiries at once, under -race: every answer is one the handler gave.
func TestRaceOneKey(t *testing.T) {
	c, clk := newTestCache(t, Options{StaleWhileRevalidate: time.Second})
	var mu sync.Mutex
	version := 0
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.Method == http.MethodPut {
			version++
		}
		v := version
		mu.Unlock()
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Cache-Control", "max-age=1")
		w.Header().Set("ETag", fmt.Sprintf(`"%d"`, v))
		fmt.Fprintf(w, "version %d", v)
	}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				switch {
				case g == 0 && i%50 == 0:
					do(h, "PUT", "/page")
				case g == 1 && i%20 == 0:
					clk.advance(700 * time.Millisecond)
				default:
					w := do(h, "GET", "/page")
					var v int
					if _, err := fmt.Sscanf(w.Body.String(), "version %d", &v); err != nil || w.Code != 200 {
						t.Errorf("got %d %q (Cache-Status %q)", w.Code, w.Body.String(), w.Header().Get("Cache-Status"))
					}
				}
			}
		})
	}
	wg.Wait()
}

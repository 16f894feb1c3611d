package rfc9111_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/plugcache/plugcache/internal/rfc9111"
)

func ExampleStorable() {
	p := rfc9111.Policy{DefaultTTL: 5 * time.Minute}
	req := http.Header{"Authorization": {"Bearer token"}}

	for _, cc := range []string{"max-age=60", "public, max-age=60", "no-store"} {
		resp := http.Header{"Cache-Control": {cc}}
		ok, reason := rfc9111.Storable(http.MethodGet, req, http.StatusOK, resp, time.Now(), p)
		if ok {
			fmt.Printf("%-20s stored\n", cc)
		} else {
			fmt.Printf("%-20s not stored: %s\n", cc, reason)
		}
	}
	// Output:
	// max-age=60           not stored: authorization
	// public, max-age=60   stored
	// no-store             not stored: no-store
}

func ExampleUse() {
	responseTime := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	resp := http.Header{
		"Cache-Control": {"max-age=60, stale-while-revalidate=30"},
		"Date":          {responseTime.Format(http.TimeFormat)},
	}
	initialAge := rfc9111.InitialAge(resp, responseTime, responseTime)
	s := rfc9111.NewStored(http.StatusOK, resp, responseTime, rfc9111.Policy{})
	req := rfc9111.RequestDirectives(http.Header{})

	for _, after := range []time.Duration{10 * time.Second, 75 * time.Second, 2 * time.Minute} {
		s.Age = rfc9111.CurrentAge(initialAge, responseTime, responseTime.Add(after))
		verdict, reason := rfc9111.Use(req, s)
		fmt.Printf("after %v: %v (%s)\n", after, verdict, reason)
	}
	// Output:
	// after 10s: fresh (fresh)
	// after 1m15s: stale-while-revalidate (stale-while-revalidate)
	// after 2m0s: revalidate (stale)
}

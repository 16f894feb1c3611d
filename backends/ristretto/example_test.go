package ristretto_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/ristretto"
)

func ExampleNew() {
	s, err := ristretto.New(ristretto.Options{MaxCost: 64 << 20, Stats: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ctx := context.Background()

	if err := s.Set(ctx, "greeting", []byte("hello"), time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	v, err := s.Get(ctx, "greeting")
	fmt.Printf("%s %v\n", v, err)

	_, err = s.Get(ctx, "farewell")
	fmt.Println(errors.Is(err, backends.ErrNotFound))

	err = s.Set(ctx, "huge", make([]byte, 65<<20), 0)
	fmt.Println(errors.Is(err, backends.ErrTooLarge))

	st := s.Stats()
	fmt.Printf("hits %d, misses %d, entries %d\n", st.Hits, st.Misses, st.Entries)
	// Output:
	// hello <nil>
	// true
	// true
	// hits 1, misses 1, entries 1
}

func ExampleNew_badOptions() {
	_, err := ristretto.New(ristretto.Options{MaxCost: -1})
	fmt.Println(err)
	// Output:
	// ristretto: Options.MaxCost: must be >= 0, got -1
}

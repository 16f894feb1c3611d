package main

import (
	"os"
	"strings"
	"testing"

	"github.com/plugcache/plugcache/examples/internal/demotest"
)

// TestService runs the demo service's suite against this program over real
// HTTP: the printed commands' miss, hit and 304, the catalog's invalidation,
// and config layering and errors.
func TestService(t *testing.T) {
	demotest.Run(t, program)
}

// TestProductionConfig checks the example's app-config.production.yaml, the
// one that README and the file itself tell readers to run: with REDIS_URL
// set it moves the store to redis, and without it the error names the
// variable and the file.
func TestProductionConfig(t *testing.T) {
	const production = "app-config.production.yaml"
	t.Setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
	cfg, err := program.LoadConfig([]string{production})
	if err != nil {
		t.Fatalf("REDIS_URL set: got %v, want no error", err)
	}
	if got, want := cfg.Store, "redis"; got != want {
		t.Errorf("REDIS_URL set: store: got %q, want %q", got, want)
	}

	os.Unsetenv("REDIS_URL") // restored by t.Setenv's cleanup
	_, err = program.LoadConfig([]string{production})
	if want := `"REDIS_URL" is not set (` + production + ":"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("REDIS_URL unset: got %v, want an error containing %q", err, want)
	}
}

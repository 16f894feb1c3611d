package main

import (
	"testing"

	"github.com/plugcache/plugcache/examples/internal/demotest"
)

// TestService is all the testing the chi example needs: the demo service's
// suite, over real HTTP against this program. chi takes plugcache's
// middleware as it is, so nothing here is chi's own to check.
func TestService(t *testing.T) {
	demotest.Run(t, program)
}

package entry

import (
	"net/http"
	"testing"
)

func TestCanonicalAgreesWithNetHTTP(t *testing.T) {
	for _, name := range []string{
		"", "A", "a", "Etag", "ETag", "Content-Type", "content-type", "Content-type",
		"X-Request-Id", "X--A", "-A", "-a", "A-", "1a", "A1b", "Www-Authenticate",
		"x y", "X Y", "Café", "cafÉ", "a\x00", "A\x00b", "X_Y", "x_y", "Ab:C",
	} {
		if got, want := canonical([]byte(name)), http.CanonicalHeaderKey(name) == name; got != want {
			t.Errorf("canonical(%q): got %v, want %v", name, got, want)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	f.Add("Content-Type")
	f.Add("x y")
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := canonical([]byte(name)), http.CanonicalHeaderKey(name) == name; got != want {
			t.Errorf("canonical(%q): got %v, want %v", name, got, want)
		}
	})
}

// Package fieldlist reads comma-separated list fields (RFC 9110 §5.6.1), for
// the cache's rules (internal/rfc9111) and its keys (keying) alike.
//
//	for m := range fieldlist.Members(h["Cache-Control"]...) {
//		// "no-cache", "max-age=60", ... without surrounding whitespace
//	}
package fieldlist

import (
	"iter"
	"strings"
)

// Members yields the non-empty members of a comma-separated list field
// spread over lines, without their optional whitespace (RFC 9110 §5.6.1).
// Quoted strings are not parsed: it is for lists of tokens.
func Members(lines ...string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, line := range lines {
			for line != "" {
				var m string
				m, line, _ = strings.Cut(line, ",")
				if m = TrimOWS(m); m != "" && !yield(m) {
					return
				}
			}
		}
	}
}

// TrimOWS returns s without leading and trailing spaces and tabs, the
// optional whitespace of RFC 9110 §5.6.3.
func TrimOWS(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}

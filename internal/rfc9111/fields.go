package rfc9111

import (
	"iter"
	"strings"
)

// members yields the non-empty members of a comma-separated list field
// spread over lines, without their optional whitespace (RFC 9110 §5.6.1).
// Quoted strings are not parsed: it is for lists of tokens.
func members(lines ...string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, line := range lines {
			for line != "" {
				var m string
				m, line, _ = strings.Cut(line, ",")
				if m = trimOWS(m); m != "" && !yield(m) {
					return
				}
			}
		}
	}
}

// trimOWS removes optional whitespace, RFC 9110 §5.6.3.
func trimOWS(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}

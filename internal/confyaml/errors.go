package confyaml

import (
	"fmt"
	"strings"
)

// Location is where a key or value stands in a config file.
type Location struct {
	File string
	Line int
}

// String renders the location as file:line, or "" when unknown.
func (l Location) String() string {
	if l.File == "" {
		return ""
	}
	if l.Line == 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// Error is a config error about one key. It never quotes the value, which may be
// a secret.
type Error struct {
	Path string   // dotted key path, such as "backend.cache.defaultTtl"
	Loc  Location // where the key stands; zero when unknown
	Msg  string   // what was wrong and what was expected
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if loc := e.Loc.String(); loc != "" {
		b.WriteString(" (")
		b.WriteString(loc)
		b.WriteString(")")
	}
	return b.String()
}

// Suggest returns the candidate nearest to word, or "" when none is near enough
// to be a likely typo.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), strings.ToLower(c))
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || bestDist > max(2, len(word)/3) {
		return ""
	}
	return best
}

// hint ends the message about an unknown word: it suggests the nearest of
// the candidates, sorted, or else lists them all.
func hint(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return "; expected one of " + strings.Join(candidates, ", ")
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

package keying

import (
	"bytes"
	"slices"
	"strings"
)

// ignoreList holds the query parameter names left out of keys, query-escaped
// as appendQueryComponent writes them, so that they are compared with a
// parameter's normalised name without decoding it. Escaping maps each byte to
// a code that is a prefix of no other, so an escaped prefix matches exactly
// the names that the decoded prefix matches.
type ignoreList struct {
	exact    []string
	prefixes [][]byte
}

// newIgnoreList returns the ignoreList for Options.IgnoreQuery.
func newIgnoreList(names []string) ignoreList {
	var l ignoreList
	for _, n := range names {
		if p, ok := strings.CutSuffix(n, "*"); ok {
			l.prefixes = append(l.prefixes, appendQueryString(nil, p))
		} else {
			l.exact = append(l.exact, string(appendQueryString(nil, n)))
		}
	}
	return l
}

// match reports whether the normalised parameter name is ignored.
func (l *ignoreList) match(name []byte) bool {
	for _, e := range l.exact {
		if string(name) == e {
			return true
		}
	}
	for _, p := range l.prefixes {
		if bytes.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// queryPair is one query parameter, normalised, in a scratch buffer s: its
// name is s[start:mid] and its value s[mid:end]. hasValue tells "a=" from "a".
type queryPair struct {
	start, mid, end int
	hasValue        bool
}

// appendQuery appends the normalised query of rawQuery to b: "?" and the
// pairs that l does not ignore, sorted by name (sortPairs), each name and
// value re-encoded as url.QueryEscape encodes it and joined by "&" and "=".
// Nothing is appended when no pair remains. Pairs are split on "&" only, as
// url.ParseQuery does; empty pairs ("a=1&&b=2") are dropped, as it drops them.
func (l *ignoreList) appendQuery(b []byte, rawQuery string) []byte {
	if rawQuery == "" {
		return b
	}
	var scratch [256]byte
	var pairBuf [16]queryPair
	s, pairs := scratch[:0], pairBuf[:0]
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" {
			continue
		}
		name, value, hasValue := strings.Cut(pair, "=")
		start := len(s)
		s = appendQueryComponent(s, name)
		if l.match(s[start:]) {
			s = s[:start]
			continue
		}
		mid := len(s)
		if hasValue {
			s = appendQueryComponent(s, value)
		}
		pairs = append(pairs, queryPair{start, mid, len(s), hasValue})
	}
	if len(pairs) == 0 {
		return b
	}
	sortPairs(s, pairs)
	b = append(b, '?')
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, s[p.start:p.mid]...)
		if p.hasValue {
			b = append(b, '=')
			b = append(b, s[p.mid:p.end]...)
		}
	}
	return b
}

// sortPairs sorts pairs by name, keeping the order of the pairs that share a
// name: a handler reads the first of them (url.Values.Get), so "?a=1&a=2" and
// "?a=2&a=1" may be different pages, while the order of different names never
// changes what a handler reads.
func sortPairs(s []byte, pairs []queryPair) {
	sortSmall(pairs, func(x, y queryPair) int { return bytes.Compare(s[x.start:x.mid], s[y.start:y.mid]) })
}

// sortSmall sorts x by cmp, stably: by insertion for the few elements a key
// usually has, where it beats slices.SortStableFunc's set-up, and by
// slices.SortStableFunc past a dozen.
func sortSmall[E any](x []E, cmp func(a, b E) int) {
	if len(x) > 12 {
		slices.SortStableFunc(x, cmp)
		return
	}
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && cmp(x[j-1], x[j]) > 0; j-- {
			x[j-1], x[j] = x[j], x[j-1]
		}
	}
}

// appendQueryComponent appends the raw query name or value c to s, decoded as
// url.QueryUnescape decodes it ("+" is a space) and encoded as
// url.QueryEscape encodes it, so that equivalent encodings meet. A component
// that does not decode (a stray "%") is written as "!" and the query-escaped
// raw bytes instead: QueryEscape encodes "!", so no decoded component starts
// with it.
func appendQueryComponent(s []byte, c string) []byte {
	if !validQueryEscapes(c) {
		return appendQueryString(append(s, '!'), c)
	}
	n := queryKept.span(c)
	s = append(s, c[:n]...)
	for i := n; i < len(c); i++ {
		d := c[i]
		switch d {
		case '+':
			d = ' '
		case '%':
			d = unhex(c[i+1])<<4 | unhex(c[i+2])
			i += 2
		}
		s = appendQueryByte(s, d)
	}
	return s
}

// appendQueryString appends s to b encoded as url.QueryEscape encodes it.
func appendQueryString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = appendQueryByte(b, s[i])
	}
	return b
}

// appendQueryByte appends c to b encoded as url.QueryEscape encodes it.
func appendQueryByte(b []byte, c byte) []byte {
	switch {
	case isUnreserved(c):
		return append(b, c)
	case c == ' ':
		return append(b, '+')
	}
	return appendPercent(b, c)
}

// validQueryEscapes reports whether every "%" in c starts a two-digit hex
// escape, which is when url.QueryUnescape accepts c.
func validQueryEscapes(c string) bool {
	for i := 0; i < len(c); i++ {
		if c[i] == '%' {
			if i+2 >= len(c) || !isHex(c[i+1]) || !isHex(c[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

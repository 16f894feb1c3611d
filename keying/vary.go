package keying

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/plugcache/plugcache/internal/fieldlist"
)

// VariantKey returns the key of the variant of primary that the request
// header h selects, for a stored response whose Vary names the fields in vary
// (canonical names, as ParseVary returns them), plus the Keyer's own
// Options.Headers and Options.Cookies. It returns primary itself when there
// is nothing to add: vary is empty and the Keyer has no Headers or Cookies.
//
// The variant part follows primary, one item per field and cookie, each
// after a space:
//
//	GET https://example.com/ Accept-Encoding=br,gzip X-Tenant cookie:session=abc
//
// A field is written as Name=value, or as Name alone when h lacks it, so a
// missing field differs from an empty one; a cookie is written as
// cookie:name=value for each time it appears, or as cookie:name when it does
// not. Values are normalised as lists (RFC 9111 §4.1): a field's lines are
// joined with ",", whitespace around commas and at the ends is dropped, and
// repeated whitespace is folded. Accept, Accept-Charset, Accept-Encoding and
// Accept-Language are lists whose tokens are lower-cased and deduplicated,
// each keeping its parameters and q-value ("gzip;q=0.8"), so their case does
// not matter. Accept-Charset and Accept-Encoding tokens are also sorted, since
// only q-values rank them; the order of Accept and Accept-Language is kept,
// since servers may take it as the client's priority (RFC 9110 §12.5.4).
//
// h's keys are canonical, as net/http makes them; h may be nil. VariantKey
// does not modify vary or h. The result is at
// most 250 bytes long, shortened as the package doc describes.
func (k *Keyer) VariantKey(primary string, vary []string, h http.Header) string {
	if len(vary) == 0 && len(k.headers) == 0 && len(k.cookies) == 0 {
		return primary
	}
	if !isCanonicalSet(vary) {
		vary = canonicalSet(vary)
	}
	var buf [384]byte
	b := append(buf[:0], primary...)
	for i, j := 0, 0; i < len(vary) || j < len(k.headers); {
		var name string
		switch {
		case j == len(k.headers) || i < len(vary) && vary[i] < k.headers[j]:
			name = vary[i]
			i++
		case i == len(vary) || k.headers[j] < vary[i]:
			name = k.headers[j]
			j++
		default:
			name = vary[i]
			i, j = i+1, j+1
		}
		b = appendField(b, name, h[name])
	}
	for _, c := range k.cookies {
		b = appendCookie(b, c, h["Cookie"])
	}
	return finish(b)
}

// ParseVary returns the field names that the Vary header lines of a response
// list: canonicalised (a name that is not a valid token is lower-cased
// instead), with duplicates removed, sorted; and whether the lines contain
// "*", which is not among the names. It returns nil names when Vary names no
// field. RFC 9110 §12.5.5.
func ParseVary(h http.Header) (names []string, star bool) {
	for name := range fieldlist.Members(h["Vary"]...) {
		if name == "*" {
			star = true
		} else {
			names = append(names, canonicalName(name))
		}
	}
	slices.Sort(names)
	return slices.Compact(names), star
}

// canonicalName returns the canonical form of a field name: the form
// http.CanonicalHeaderKey gives a token, and the lower-cased form of anything
// else, so that names differing in case only meet.
func canonicalName(name string) string {
	if isToken(name) {
		return http.CanonicalHeaderKey(name)
	}
	return strings.ToLower(name)
}

// isCanonicalSet reports whether names are canonical, sorted and unique, as
// ParseVary returns them.
func isCanonicalSet(names []string) bool {
	for i, n := range names {
		if canonicalName(n) != n || i > 0 && names[i-1] >= n {
			return false
		}
	}
	return true
}

// canonicalSet returns a canonical, sorted, unique copy of names.
func canonicalSet(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = canonicalName(n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// appendField appends the variant item of the field name with the lines to b.
func appendField(b []byte, name string, lines []string) []byte {
	b = append(b, ' ')
	b = appendToken(b, name)
	if len(lines) == 0 {
		return b
	}
	b = append(b, '=')
	switch name {
	case "Accept-Charset", "Accept-Encoding":
		return appendList(b, lines, true)
	case "Accept", "Accept-Language":
		// RFC 9110 §12.5.4: the order of language tags may be taken as their
		// priority, and servers take media ranges of equal weight in order
		// too: "fr, en" and "en, fr" may get different pages.
		return appendList(b, lines, false)
	}
	// Any other field is taken as a list (RFC 9110 §5.6.1), as one that
	// comes on several lines must be (§5.3): the lines join as one, and
	// whitespace around commas does not count. Case and order do, since the
	// field's own rules are unknown.
	for i, line := range lines {
		for j := 0; line != "" || j == 0; j++ {
			var e string
			e, line, _ = strings.Cut(line, ",")
			if i > 0 || j > 0 {
				b = append(b, ',')
			}
			b = appendFolded(b, fieldlist.TrimOWS(e), false)
		}
	}
	return b
}

// appendFolded appends v to b with each run of spaces and tabs folded into
// one space, lower-cased if lowerCase is set, escaped as values are. A run
// next to ';' or '=' is dropped, since list parameters allow optional
// whitespace there; v has no surrounding whitespace.
func appendFolded(b []byte, v string, lowerCase bool) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' || c == '\t' {
			j := i + 1
			for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			if !lowerCase || v[i-1] != ';' && v[i-1] != '=' && v[j] != ';' && v[j] != '=' {
				b = appendPercent(b, ' ')
			}
			i = j - 1
			continue
		}
		if lowerCase {
			c = lower(c)
		}
		b = appendValueByte(b, c)
	}
	return b
}

// span is a part s[start:end] of a scratch buffer s.
type span struct{ start, end int }

// appendList appends the value of a list field with the lines to b: its
// elements normalised, lower-cased and joined by ",", and, when the field's
// order carries no meaning (unordered), sorted and deduplicated.
func appendList(b []byte, lines []string, unordered bool) []byte {
	var scratch [256]byte
	var spanBuf [16]span
	s, elems := scratch[:0], spanBuf[:0]
	for e := range fieldlist.Members(lines...) {
		start := len(s)
		s = appendFolded(s, e, true)
		elems = append(elems, span{start, len(s)})
	}
	cmp := func(x, y span) int { return bytes.Compare(s[x.start:x.end], s[y.start:y.end]) }
	if unordered {
		sortSmall(elems, cmp)
	}
	for i, e := range elems {
		// A repeat says nothing the first one did not; in an ordered list,
		// it is the first that counts.
		if unordered && i > 0 && cmp(elems[i-1], e) == 0 || !unordered && slices.ContainsFunc(elems[:i], func(x span) bool { return cmp(x, e) == 0 }) {
			continue
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s[e.start:e.end]...)
	}
	return b
}

// appendCookie appends the variant items of cookie c, found in the Cookie
// header lines, to b: one "cookie:name=value" for each time it appears, in
// order, or "cookie:name" if it does not. As in net/http, a pair without "="
// is a cookie with an empty value, and spaces around the name and value do
// not count.
func appendCookie(b []byte, c cookieName, lines []string) []byte {
	found := false
	for _, line := range lines {
		for line != "" {
			var pair string
			pair, line, _ = strings.Cut(line, ";")
			name, value, _ := strings.Cut(pair, "=")
			if fieldlist.TrimOWS(name) != c.name {
				continue
			}
			found = true
			b = append(b, c.item...)
			b = append(b, '=')
			value = fieldlist.TrimOWS(value)
			for i := 0; i < len(value); i++ {
				b = appendValueByte(b, value[i])
			}
		}
	}
	if !found {
		b = append(b, c.item...)
	}
	return b
}

package entry

import "net/http"

// WriteHeaders sets in dst, usually an http.ResponseWriter's empty Header(),
// every stored header field and then the extra fields, given as name, value,
// name, value... with canonical names (the middleware passes Age and
// Cache-Status). Each name written replaces what dst held for it. An extra
// name replaces the stored field of that name too, and takes the values of
// all its pairs in order. A stored field with no values is set to nil, so
// net/http adds no automatic field of that name.
//
// It copies all stored names and values in one string conversion (none for a
// View from ParseLocal, whose bytes never change, so the strings share them)
// and keeps all values in one []string, so it makes at most two allocations
// however many fields there are, besides any growth of dst itself. Each dst[name] is capped, so
// appending to it copies and never overwrites a neighbour. WriteHeaders
// panics if extra has an odd length.
func (v *View) WriteHeaders(dst http.Header, extra ...string) {
	if len(extra)%2 != 0 {
		panic("entry: WriteHeaders: odd number of extra arguments")
	}
	s := str(v.header)
	if !v.immutable {
		s = string(v.header)
	}
	vals := v.copyHeader(dst, s, make([]string, 0, v.values+len(extra)/2), extra)
	for i := 0; i < len(extra); i += 2 {
		name := extra[i]
		if named(extra[:i], name) {
			continue // written with its first pair
		}
		first := len(vals)
		for j := i; j < len(extra); j += 2 {
			if extra[j] == name {
				vals = append(vals, extra[j+1])
			}
		}
		dst[name] = vals[first:len(vals):len(vals)]
	}
}

// copyHeader sets in dst each stored field not named in skip (name, value
// pairs), its values in vals, and returns vals extended. Names and values are
// substrings of s, which holds the bytes of the header block; each field's
// values are a capped slice of vals, or nil when it has none.
func (v *View) copyHeader(dst http.Header, s string, vals []string, skip []string) []string {
	c := cursor{b: v.header}
	for c.more() {
		start, end := c.span()
		name := s[start:end]
		n := c.count(MaxFields)
		if named(skip, name) {
			for range n {
				c.span()
			}
			continue
		}
		if n == 0 {
			dst[name] = nil
			continue
		}
		first := len(vals)
		for range n {
			start, end := c.span()
			vals = append(vals, s[start:end])
		}
		dst[name] = vals[first:len(vals):len(vals)]
	}
	return vals
}

// named reports whether a name in the name, value pairs is name.
func named(pairs []string, name string) bool {
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i] == name {
			return true
		}
	}
	return false
}

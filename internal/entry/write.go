package entry

import (
	"net/http"
	"unsafe"
)

// WriteHeaders sets in dst, usually an http.ResponseWriter's empty Header(),
// every stored header field and then the extra fields, given as name, value,
// name, value... with canonical names (the middleware passes Age and
// Cache-Status). Each name written replaces what dst held for it. An extra
// name replaces the stored field of that name too, and takes the values of
// all its pairs in order. A stored field with no values is set to nil, so
// net/http adds no automatic field of that name.
//
// The names and values it writes share the View's bytes, which they keep
// from being collected, body and all, as long as dst holds them. It keeps all
// values in one []string, so it makes one allocation however many fields
// there are, besides any growth of dst itself; a prepared View (Prepare)
// copies its own []string instead of decoding. Each dst[name] is capped, so
// appending to it copies and never overwrites a neighbour. WriteHeaders
// panics if extra has an odd length.
func (v *View) WriteHeaders(dst http.Header, extra ...string) {
	if len(extra)%2 != 0 {
		panic("entry: WriteHeaders: odd number of extra arguments")
	}
	var vals []string
	if p := v.prepared; p != nil {
		vals = p.write(dst, extra)
	} else {
		vals = v.copyHeader(dst, str(v.header), make([]string, 0, v.values+len(extra)/2), extra)
	}
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

// Prepare decodes v's header fields once more, into the form WriteHeaders
// copies instead of decoding, for a View kept to answer many requests: the
// HTTP cache keeps one beside each value of the memory store that it serves.
// It costs Size bytes. Preparing a prepared View does nothing.
func (v *View) Prepare() {
	if v.prepared != nil {
		return
	}
	p := &prepared{fields: make([]preparedField, 0, v.fields), vals: make([]string, 0, v.values)}
	s := str(v.header)
	c := cursor{b: v.header}
	for c.more() {
		start, end := c.span()
		name := s[start:end]
		for n := c.count(MaxFields); n > 0; n-- {
			start, end := c.span()
			p.vals = append(p.vals, s[start:end])
		}
		p.fields = append(p.fields, preparedField{name: name, end: len(p.vals)})
	}
	v.prepared = p
}

// Size is about the bytes a View holds beyond the bytes it was parsed from:
// its own, and those of its prepared header fields.
func (v *View) Size() int64 {
	n := int64(unsafe.Sizeof(*v))
	if p := v.prepared; p != nil {
		n += int64(unsafe.Sizeof(*p)) +
			int64(cap(p.fields))*int64(unsafe.Sizeof(preparedField{})) +
			int64(cap(p.vals))*int64(unsafe.Sizeof(""))
	}
	return n
}

// prepared is a View's header fields, decoded: each field's values are
// vals[previous field's end:end].
type prepared struct {
	fields []preparedField
	vals   []string
}

type preparedField struct {
	name string
	end  int
}

// write is copyHeader for a prepared View: it copies the values, so that no
// response shares a slice another may change, and sets in dst each field not
// named in skip. It returns the copy, with room for skip's values.
func (p *prepared) write(dst http.Header, skip []string) []string {
	vals := make([]string, len(p.vals), len(p.vals)+len(skip)/2)
	copy(vals, p.vals)
	start := 0
	for _, f := range p.fields {
		first := start
		start = f.end
		switch {
		case named(skip, f.name):
		case first == f.end:
			dst[f.name] = nil
		default:
			dst[f.name] = vals[first:f.end:f.end]
		}
	}
	return vals
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

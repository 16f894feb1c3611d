package entry

import (
	"bytes"
	"net/http"
	"strings"
)

// Get returns the first value of the header field name, which must be
// canonical, and whether the field has one. It allocates nothing.
//
// WARNING: the string is not a copy: it aliases the bytes given to Parse. It
// keeps them from being collected, but if they are modified or reused the
// string changes with them, which no Go code expects of a string. Use it
// while those bytes are intact (comparing an ETag, parsing a date), and
// strings.Clone it to keep it longer. Header, VaryNames and Entry copy, so
// what they return may be kept; WriteHeaders shares the bytes as Get does.
func (v *View) Get(name string) (string, bool) {
	c := cursor{b: v.header}
	for c.more() {
		order := strings.Compare(str(c.bytes()), name)
		n := c.count(MaxFields)
		if order > 0 {
			break // names are in increasing order
		}
		if order == 0 {
			if n == 0 {
				break
			}
			return str(c.bytes()), true
		}
		for range n {
			c.span()
		}
	}
	return "", false
}

// Values calls fn for each stored header value, with its field's name, in
// stored order: fields by name, a field's values as they were given. A field
// with no values gives no call. name and value alias the bytes given to Parse
// and are capped, so fn must copy them to keep them. It allocates nothing.
func (v *View) Values(fn func(name, value []byte)) {
	c := cursor{b: v.header}
	for c.more() {
		name := c.bytes()
		for n := c.count(MaxFields); n > 0; n-- {
			fn(name, c.bytes())
		}
	}
}

// VaryNames returns a copy of the Vary field names of a VaryIndex entry, in
// stored order, or nil if the entry has none.
func (v *View) VaryNames() []string {
	if v.nvary == 0 {
		return nil
	}
	s := string(v.vary)
	names := make([]string, 0, v.nvary)
	c := cursor{b: v.vary}
	for c.more() {
		start, end := c.span()
		names = append(names, s[start:end])
	}
	return names
}

// Header returns a new http.Header holding a copy of every stored field, for
// revalidation or freshening. A field with no values maps to nil. The result
// is never nil.
func (v *View) Header() http.Header {
	h := make(http.Header, v.fields)
	v.copyHeader(h, string(v.header), make([]string, 0, v.values), nil)
	return h
}

// Entry returns a full copy of the entry that shares nothing with the bytes
// given to Parse: the inverse of Append, by which the tests check that a
// round trip keeps every field. Its Header is never nil.
func (v *View) Entry() *Entry {
	return &Entry{
		Kind:                 v.Kind,
		Status:               v.Status,
		Header:               v.Header(),
		Body:                 bytes.Clone(v.Body),
		RequestTime:          v.RequestTime,
		ResponseTime:         v.ResponseTime,
		InitialAge:           v.InitialAge,
		Lifetime:             v.Lifetime,
		StaleWhileRevalidate: v.StaleWhileRevalidate,
		StaleIfError:         v.StaleIfError,
		NoCache:              v.NoCache,
		MustRevalidate:       v.MustRevalidate,
		Vary:                 v.VaryNames(),
	}
}

package keying

// The byte classes and percent-encoding that every part of a key shares. A
// key is printable ASCII: whatever a part may not hold raw is written as
// "%XX" with upper-case hex, and '%' itself is always encoded that way, so
// decoding a part is unambiguous. No part holds '#' raw, which marks a
// shortened key (see finish).

const upperHex = "0123456789ABCDEF"

// appendPercent appends c to b as "%XX".
func appendPercent(b []byte, c byte) []byte {
	return append(b, '%', upperHex[c>>4], upperHex[c&0xf])
}

// appendToken appends s to b with every byte that is not an RFC 9110 tchar
// (§5.6.2), and '%' and '#', percent-encoded. Methods, header names and cookie
// names are written this way, so they hold no space, ':' or '='.
func appendToken(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; isTchar(c) && c != '%' && c != '#' {
			b = append(b, c)
		} else {
			b = appendPercent(b, c)
		}
	}
	return b
}

// appendValueByte appends one byte of a header or cookie value to b,
// percent-encoding spaces, control characters, non-ASCII bytes, '%' and '#'.
func appendValueByte(b []byte, c byte) []byte {
	if c <= ' ' || c >= 0x7f || c == '%' || c == '#' {
		return appendPercent(b, c)
	}
	return append(b, c)
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

// isTchar reports whether c may appear in an RFC 9110 token (§5.6.2).
func isTchar(c byte) bool {
	if isAlnum(c) {
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isUnreserved reports whether c is an RFC 3986 unreserved character (§2.3),
// which means the same percent-encoded or not.
func isUnreserved(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

// isSubDelim reports whether c is an RFC 3986 sub-delimiter (§2.2).
func isSubDelim(c byte) bool {
	switch c {
	case '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
		return true
	}
	return false
}

// isPathChar reports whether c may appear raw in a key's path: an RFC 3986
// pchar (§3.3) other than '%', or '/'.
func isPathChar(c byte) bool {
	return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/'
}

// isHostChar reports whether the lower-cased byte c may appear raw in a key's
// host: a reg-name or IP-literal character (RFC 3986 §3.2.2) other than '%',
// or ':' before a port. '/', '@', '?' and ' ', which end the host in a key,
// are not among them.
func isHostChar(c byte) bool {
	return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '[' || c == ']'
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex returns the value of the hex digit c.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// lower returns c lower-cased if it is an ASCII letter.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// byteSet is a table of bytes: the bytes a key keeps as they are in one part
// of the URL, so that a run of them is appended at once.
type byteSet [256]bool

func setOf(keep func(byte) bool) *byteSet {
	var s byteSet
	for c := range len(s) {
		s[c] = keep(byte(c))
	}
	return &s
}

// span returns the length of the longest prefix of s whose bytes are in set.
func (set *byteSet) span(s string) int {
	for i := 0; i < len(s); i++ {
		if !set[s[i]] {
			return i
		}
	}
	return len(s)
}

var (
	// hostKept are the bytes appendHost copies unchanged: host characters
	// that lower-casing leaves alone.
	hostKept = setOf(func(c byte) bool { return isHostChar(c) && lower(c) == c })
	// pathKept are the bytes appendPath copies unchanged.
	pathKept = setOf(isPathChar)
	// queryKept are the bytes appendQueryComponent copies unchanged.
	queryKept = setOf(isUnreserved)
)

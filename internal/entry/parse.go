package entry

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"net/textproto"
	"time"
	"unsafe"

	"github.com/plugcache/plugcache/internal/storeerr"
)

// ErrCorrupt is returned, possibly wrapped, by Parse for bytes that are not an
// intact entry of this Version: too short, another format or version, damaged
// or inconsistent. The cache treats it as a miss.
// It wraps storeerr.ErrCorrupt.
var ErrCorrupt = fmt.Errorf("entry: %w", storeerr.ErrCorrupt)

// The reasons Parse gives. They are made once so that Parse allocates nothing.
var (
	errShort    = fmt.Errorf("%w: too short", ErrCorrupt)
	errMagic    = fmt.Errorf("%w: not an entry", ErrCorrupt)
	errVersion  = fmt.Errorf("%w: unknown version", ErrCorrupt)
	errChecksum = fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	errKind     = fmt.Errorf("%w: unknown kind", ErrCorrupt)
	errFlags    = fmt.Errorf("%w: unknown flags", ErrCorrupt)
	errDuration = fmt.Errorf("%w: duration out of range", ErrCorrupt)
	errVarint   = fmt.Errorf("%w: bad varint", ErrCorrupt)
	errLength   = fmt.Errorf("%w: length past the end", ErrCorrupt)
	errCount    = fmt.Errorf("%w: too many fields, values or names", ErrCorrupt)
	errName     = fmt.Errorf("%w: field name not canonical", ErrCorrupt)
	errOrder    = fmt.Errorf("%w: field names out of order", ErrCorrupt)
	errTrailing = fmt.Errorf("%w: bytes after the body", ErrCorrupt)
)

// View is a decoded entry that aliases the bytes it was parsed from: it, its
// Body and the strings that Get returns and WriteHeaders writes share those
// bytes, which must therefore never be modified or reused once parsed (see
// the package doc). Its fields mean what Entry's do. Its methods only read,
// so a View is safe for concurrent use. The zero View has no fields, no Vary
// names and no body.
type View struct {
	Kind   Kind
	Status int
	// RequestTime and ResponseTime are in UTC.
	RequestTime, ResponseTime                                time.Time
	InitialAge, Lifetime, StaleWhileRevalidate, StaleIfError time.Duration
	NoCache, MustRevalidate                                  bool
	// Body aliases the parsed bytes. It is capped, so appending to it copies
	// instead of overwriting them.
	Body []byte

	header []byte // the header fields, after their count
	fields int    // fields in header
	values int    // values in header, over all fields
	vary   []byte // the Vary names, after their count
	nvary  int    // names in vary
	// prepared is the header decoded by Prepare, or nil.
	prepared *prepared
}

// Parse decodes b, which must be exactly one entry, into a View that aliases
// b. It allocates nothing. It verifies the checksum and every length, count,
// name and order before returning; on any fault it returns an error that
// wraps ErrCorrupt, and never panics.
func Parse(b []byte) (View, error) {
	return decode(b, true)
}

// ParseVerified is Parse for bytes whose integrity is known already: bytes a
// lower layer has checked, such as the values of a plugcache plugin client,
// whose envelope carries a checksum of its own, and bytes that never left
// this process, such as the values of an in-process store or what Append
// made just now. It checks everything Parse does but the checksum, so that a
// hit is not checksummed twice, or at all when only a network or a disk could
// have damaged it.
func ParseVerified(b []byte) (View, error) {
	return decode(b, false)
}

func decode(b []byte, verify bool) (View, error) {
	if len(b) < minSize {
		return View{}, errShort
	}
	if b[0] != magic0 || b[1] != magic1 {
		return View{}, errMagic
	}
	if b[2] != Version {
		return View{}, errVersion
	}
	end := len(b) - checksumSize
	if verify && checksum(b[:end]) != binary.BigEndian.Uint32(b[end:]) {
		return View{}, errChecksum
	}
	v := View{
		Kind:           Kind(b[3]),
		Status:         int(binary.BigEndian.Uint16(b[6:])),
		RequestTime:    time.UnixMilli(int64(binary.BigEndian.Uint64(b[8:]))).UTC(),
		ResponseTime:   time.UnixMilli(int64(binary.BigEndian.Uint64(b[16:]))).UTC(),
		NoCache:        b[4]&flagNoCache != 0,
		MustRevalidate: b[4]&flagMustRevalidate != 0,
	}
	if v.Kind != Response && v.Kind != VaryIndex {
		return View{}, errKind
	}
	if b[4]&^(flagNoCache|flagMustRevalidate) != 0 || b[5] != 0 {
		return View{}, errFlags
	}
	var ok [4]bool
	v.InitialAge, ok[0] = millis(b[24:])
	v.Lifetime, ok[1] = millis(b[32:])
	v.StaleWhileRevalidate, ok[2] = millis(b[40:])
	v.StaleIfError, ok[3] = millis(b[48:])
	if ok != [4]bool{true, true, true, true} {
		return View{}, errDuration
	}

	c := cursor{b: b[:end], i: fixedSize}
	v.header, v.fields, v.values = c.header()
	v.vary, v.nvary = c.names()
	v.Body = c.bytes()
	if c.err == nil && c.i != end {
		c.err = errTrailing
	}
	if c.err != nil {
		return View{}, c.err
	}
	return v, nil
}

// millis decodes a signed count of milliseconds from the first 8 bytes of b,
// and reports whether it fits a time.Duration.
func millis(b []byte) (time.Duration, bool) {
	ms := int64(binary.BigEndian.Uint64(b))
	const limit = math.MaxInt64 / int64(time.Millisecond)
	if ms < -limit || ms > limit {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

// cursor reads the variable part of an entry from b at i. It keeps the first
// fault in err; once err is set, reads return zero values.
type cursor struct {
	b   []byte
	i   int
	err error
}

func (c *cursor) more() bool { return c.err == nil && c.i < len(c.b) }

func (c *cursor) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// uvarint reads a uvarint in its shortest form.
func (c *cursor) uvarint() uint64 {
	if c.err != nil {
		return 0
	}
	if c.i < len(c.b) && c.b[c.i] < 0x80 { // one byte: most lengths and counts
		c.i++
		return uint64(c.b[c.i-1])
	}
	x, n := binary.Uvarint(c.b[c.i:])
	if n <= 0 || n != max(1, (bits.Len64(x)+6)/7) {
		c.fail(errVarint)
		return 0
	}
	c.i += n
	return x
}

// count reads a uvarint count of at most limit.
func (c *cursor) count(limit int) int {
	x := c.uvarint()
	if x > uint64(limit) {
		c.fail(errCount)
		return 0
	}
	return int(x)
}

// span reads a length-prefixed run of bytes and returns where it lies in b.
func (c *cursor) span() (start, end int) {
	n := c.uvarint()
	if n > uint64(len(c.b)-c.i) {
		c.fail(errLength)
		return c.i, c.i
	}
	start = c.i
	c.i += int(n)
	return start, c.i
}

// bytes reads a length-prefixed run of bytes, capped so that appending to it
// copies.
func (c *cursor) bytes() []byte {
	start, end := c.span()
	return c.b[start:end:end]
}

// header reads the header block and returns its fields, after the count, and
// the number of fields and values. Names must be canonical and increasing.
func (c *cursor) header() (block []byte, fields, values int) {
	fields = c.count(MaxFields)
	start := c.i
	var prev []byte
	for i := range fields {
		name := c.bytes()
		if c.err != nil {
			return nil, 0, 0
		}
		if i > 0 && bytes.Compare(prev, name) >= 0 {
			c.fail(errOrder)
		} else if !canonical(name) {
			c.fail(errName)
		}
		prev = name
		n := c.count(MaxFields - values)
		values += n
		for range n {
			c.span()
		}
	}
	if c.err != nil {
		return nil, 0, 0
	}
	return c.b[start:c.i:c.i], fields, values
}

// names reads the Vary block and returns its names, after the count, and
// their number. Names must be canonical.
func (c *cursor) names() (block []byte, n int) {
	n = c.count(MaxFields)
	start := c.i
	for range n {
		if !canonical(c.bytes()) {
			c.fail(errName)
		}
	}
	if c.err != nil {
		return nil, 0
	}
	return c.b[start:c.i:c.i], n
}

// canonical reports whether name is its own canonical form, as
// http.CanonicalHeaderKey defines it. It allocates only when it is not.
func canonical(name []byte) bool {
	upper := true
	for _, c := range name {
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			// Still canonical if a byte outside the token set keeps net/http
			// from changing it.
			s := str(name)
			return textproto.CanonicalMIMEHeaderKey(s) == s
		}
		upper = c == '-'
	}
	return true
}

// str returns the bytes of b as a string without copying them. The string is
// valid only while b is not modified.
func str(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

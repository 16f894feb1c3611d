package entry

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// reseal replaces the checksum at the end of b with the right one, so that a
// test reaches the checks behind it.
func reseal(b []byte) []byte {
	b = bytes.Clone(b)
	end := len(b) - checksumSize
	binary.BigEndian.PutUint32(b[end:], checksum(b[:end]))
	return b
}

// craft returns a checksummed entry whose variable part, after the fixed
// fields of a valid response, is parts joined.
func craft(parts ...[]byte) []byte {
	b := Append(nil, &Entry{Kind: Response, Status: 200})[:fixedSize]
	for _, p := range parts {
		b = append(b, p...)
	}
	return reseal(append(b, 0, 0, 0, 0))
}

// uv is a uvarint.
func uv(x uint64) []byte { return binary.AppendUvarint(nil, x) }

// field is a header field: name and values with their lengths.
func field(name string, values ...string) []byte {
	b := appendString(nil, name)
	b = binary.AppendUvarint(b, uint64(len(values)))
	for _, v := range values {
		b = appendString(b, v)
	}
	return b
}

// none is an empty block: no fields, no Vary names or no body.
var none = []byte{0}

func TestDamagedBytesAreCorrupt(t *testing.T) {
	good := Append(nil, sample())
	if _, err := Parse(good); err != nil {
		t.Fatalf("Parse(sample): got %v, want nil", err)
	}
	t.Run("every single-byte flip", func(t *testing.T) {
		for i := range good {
			for _, mask := range []byte{0x01, 0x80, 0xff} {
				b := bytes.Clone(good)
				b[i] ^= mask
				if _, err := Parse(b); !errors.Is(err, ErrCorrupt) {
					t.Errorf("byte %d ^ %#x: got %v, want ErrCorrupt", i, mask, err)
				}
			}
		}
	})
	t.Run("every truncation", func(t *testing.T) {
		for n := range len(good) {
			if _, err := Parse(good[:n]); !errors.Is(err, ErrCorrupt) {
				t.Errorf("first %d of %d bytes: got %v, want ErrCorrupt", n, len(good), err)
			}
		}
	})
	t.Run("extra byte", func(t *testing.T) {
		if _, err := Parse(append(bytes.Clone(good), 0)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
	})
}

func TestInconsistentBytesAreCorrupt(t *testing.T) {
	set := func(i int, c byte) []byte {
		b := Append(nil, sample())
		b[i] = c
		return reseal(b)
	}
	setInt64 := func(i int, x int64) []byte {
		b := Append(nil, sample())
		binary.BigEndian.PutUint64(b[i:], uint64(x))
		return reseal(b)
	}
	manyValues := make([]string, MaxFields/2+1)
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{name: "nil", b: nil, want: errShort},
		{name: "plain text planted by another program", b: []byte("<html>not one of ours, but long enough to pass the size check</html>"), want: errMagic},
		{name: "other magic", b: set(0, 'P'), want: errMagic},
		{name: "a later version", b: set(2, Version+1), want: errVersion},
		{name: "version 0", b: set(2, 0), want: errVersion},
		{name: "checksum of other bytes", b: append(Append(nil, sample())[:fixedSize+3], 1, 2, 3, 4), want: errChecksum},
		{name: "kind 0", b: set(3, 0), want: errKind},
		{name: "unknown kind", b: set(3, 3), want: errKind},
		{name: "unknown flag", b: set(4, 1<<2), want: errFlags},
		{name: "reserved byte set", b: set(5, 1), want: errFlags},
		{name: "initial age past time.Duration", b: setInt64(24, math.MaxInt64), want: errDuration},
		{name: "lifetime before time.Duration", b: setInt64(32, math.MinInt64), want: errDuration},
		{name: "stale-if-error just past time.Duration", b: setInt64(48, math.MaxInt64/int64(time.Millisecond)+1), want: errDuration},
		{name: "no blocks", b: craft(), want: errShort},
		{name: "missing body", b: craft(none, none), want: errShort},
		{name: "field count past MaxFields", b: craft(uv(MaxFields+1), none, none), want: errCount},
		{name: "field count past the end", b: craft(uv(2), field("A", "1"), none, none), want: ErrCorrupt},
		{name: "name length past the end", b: craft(uv(1), uv(200), []byte("X-A"), uv(0), none, none), want: errLength},
		{name: "value length past the end", b: craft(uv(1), []byte("\x03X-A\x01\x40v"), none, none), want: errLength},
		{name: "value count past the block", b: craft(uv(1), []byte("\x03X-A\x05"), none, none), want: ErrCorrupt},
		{name: "value count past MaxFields", b: craft(uv(1), []byte("\x03X-A"), uv(MaxFields+1), none, none), want: errCount},
		{
			name: "values past MaxFields over all fields",
			b:    craft(uv(2), field("A", manyValues...), field("B", manyValues...), none, none),
			want: errCount,
		},
		{name: "names out of order", b: craft(uv(2), field("B", "1"), field("A", "2"), none, none), want: errOrder},
		{name: "a name twice", b: craft(uv(2), field("A", "1"), field("A", "2"), none, none), want: errOrder},
		{name: "name not canonical", b: craft(uv(1), field("content-type", "x"), none, none), want: errName},
		{name: "vary name not canonical", b: craft(none, uv(1), appendString(nil, "accept"), none), want: errName},
		{name: "vary count past MaxFields", b: craft(none, uv(MaxFields+1), none), want: errCount},
		{name: "vary name past the end", b: craft(none, uv(1), uv(9), none), want: errLength},
		{name: "body length past the end", b: craft(none, none, uv(5), []byte("abcd")), want: errLength},
		{name: "byte after the body", b: craft(none, none, appendString(nil, "body"), []byte{0}), want: errTrailing},
		{name: "varint not in its shortest form", b: craft([]byte{0x80, 0x00}, none, none), want: errVarint},
		{name: "varint past 64 bits", b: craft(bytes.Repeat([]byte{0xff}, 10), []byte{1}, none, none), want: errVarint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Parse(tt.b)
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrCorrupt) {
				t.Errorf("Parse: got %v, want %v", err, tt.want)
			}
			if err != nil && (v.Body != nil || v.header != nil || v.Status != 0) {
				t.Errorf("Parse: got view %+v with the error, want the zero View", v)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "entry: ") {
				t.Errorf("error: got %q, want the prefix %q", err, "entry: ")
			}
		})
	}
}

// TestParseVerifiedSkipsOnlyTheChecksum: a flipped byte in the body passes
// ParseVerified (the checksum is all that covers it) but every structural fault
// Parse catches, ParseVerified catches too.
func TestParseVerifiedSkipsOnlyTheChecksum(t *testing.T) {
	b := Append(nil, &Entry{Kind: Response, Status: 200, Header: http.Header{"Etag": {`"a"`}}, Body: []byte("body")})
	if _, err := ParseVerified(b); err != nil {
		t.Fatalf("ParseVerified of a good entry: %v", err)
	}
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 0x40
		_, perr := Parse(bad)
		_, verr := ParseVerified(bad)
		if !errors.Is(perr, ErrCorrupt) {
			t.Errorf("byte %d: Parse got %v, want ErrCorrupt", i, perr)
		}
		if verr != nil && !errors.Is(verr, ErrCorrupt) {
			t.Errorf("byte %d: ParseVerified got %v, want nil or ErrCorrupt", i, verr)
		}
	}
	for n := range len(b) - 1 {
		if _, err := ParseVerified(b[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("ParseVerified of %d of %d bytes: got %v, want ErrCorrupt", n, len(b), err)
		}
	}
}

// TestChecksumIsCRC32IEEE pins the entry's checksum to a known value, so that
// a change of polynomial, which reseal and a round trip cannot see, fails here.
func TestChecksumIsCRC32IEEE(t *testing.T) {
	// The standard check value of CRC-32 (IEEE) over "123456789".
	if got := checksum([]byte("123456789")); got != 0xCBF43926 {
		t.Errorf("checksum(\"123456789\") = %#x, want 0xcbf43926", got)
	}
}

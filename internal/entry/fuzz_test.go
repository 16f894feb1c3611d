package entry

import (
	"bytes"
	"net/http"
	"reflect"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(Append(nil, sample()))
	f.Add(Append(nil, &Entry{Kind: VaryIndex, Vary: []string{"Accept-Encoding", "Cookie"}}))
	f.Add(Append(nil, &Entry{Kind: Response, Status: 304, Header: http.Header{"Date": nil, "X-Empty": {""}}}))
	f.Add(craft(uv(2), field("A", "1"), field("B"), uv(1), appendString(nil, "C"), appendString(nil, "body")))
	f.Add([]byte{magic0, magic1, Version, byte(Response)})
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, b)
		if len(b) >= checksumSize {
			// Random bytes almost never carry a right checksum; fix it so
			// that the checks behind it are explored too.
			check(t, reseal(b))
		}
	})
}

// check parses b and, if it parses, requires that its copy re-encodes to the
// same bytes and so to an equal View, and that the readers agree with each
// other.
func check(t *testing.T, b []byte) {
	v, err := Parse(b)
	if err != nil {
		return
	}
	e := v.Entry()
	again := Append(nil, e)
	if !bytes.Equal(again, b) {
		t.Fatalf("Append(Parse(b).Entry()): got %x, want %x", again, b)
	}
	w, err := Parse(again)
	if err != nil {
		t.Fatalf("Parse of the re-encoding: got %v, want nil", err)
	}
	if !reflect.DeepEqual(w, v) {
		t.Fatalf("Parse of the re-encoding: got %+v, want %+v", w, v)
	}

	h := v.Header()
	written := http.Header{}
	v.WriteHeaders(written)
	if !reflect.DeepEqual(written, h) {
		t.Fatalf("WriteHeaders: got %q, want Header() %q", written, h)
	}
	n := 0
	v.Values(func(name, value []byte) {
		n++
		if first, ok := v.Get(string(name)); !ok || first != h[string(name)][0] {
			t.Fatalf("Get(%q): got %q, %v; want %q, true", name, first, ok, h[string(name)][0])
		}
	})
	if n != v.values {
		t.Fatalf("Values: got %d calls, want %d", n, v.values)
	}
}

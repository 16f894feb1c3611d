package entry

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

// overlay returns a copy of base with the fields of top set in it.
func overlay(base, top http.Header) http.Header {
	h := base.Clone()
	maps.Copy(h, top)
	return h
}

// parse parses the encoding of e, failing the test on error.
func parse(t testing.TB, e *Entry) *View {
	t.Helper()
	v, err := Parse(Append(nil, e))
	if err != nil {
		t.Fatalf("Parse: got %v, want nil", err)
	}
	return &v
}

func TestWriteHeaders(t *testing.T) {
	stored := http.Header{
		"Age":           {"100"},
		"Cache-Control": {"max-age=60"},
		"Content-Type":  {"text/html"},
		"Date":          nil,
		"Link":          {"<a>", "<b>"},
	}
	tests := []struct {
		name  string
		dst   http.Header
		extra []string
		want  http.Header
	}{
		{
			name: "stored fields fill an empty header",
			dst:  http.Header{},
			want: stored,
		},
		{
			name: "stored fields replace the handler's, others stay",
			dst:  http.Header{"Content-Type": {"text/plain"}, "Link": {"<z>"}, "X-Handler": {"kept"}},
			want: overlay(stored, http.Header{
				"X-Handler": {"kept"},
			}),
		},
		{
			name:  "extras are added after the stored fields",
			dst:   http.Header{},
			extra: []string{"Cache-Status", "plugcache; hit", "X-Served-By", "a"},
			want: overlay(stored, http.Header{
				"Cache-Status": {"plugcache; hit"},
				"X-Served-By":  {"a"},
			}),
		},
		{
			name:  "an extra replaces the stored field of its name (RFC 9111 §5.1 Age)",
			dst:   http.Header{"Age": {"7"}},
			extra: []string{"Age", "3"},
			want: overlay(stored, http.Header{
				"Age": {"3"},
			}),
		},
		{
			name:  "an extra name given twice keeps both values in order",
			dst:   http.Header{"Cache-Status": {"old"}},
			extra: []string{"Cache-Status", "upstream; hit", "Age", "3", "Cache-Status", "plugcache; hit"},
			want: overlay(stored, http.Header{
				"Age":          {"3"},
				"Cache-Status": {"upstream; hit", "plugcache; hit"},
			}),
		},
		{
			name:  "a field with no values is set to nil, so net/http adds no Date",
			dst:   http.Header{"Date": {"handler's"}},
			extra: nil,
			want:  stored,
		},
	}
	for kind, v := range views(t, &Entry{Kind: Response, Status: 200, Header: stored}) {
		for _, tt := range tests {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				dst := tt.dst.Clone()
				v.WriteHeaders(dst, tt.extra...)
				if !reflect.DeepEqual(dst, tt.want) {
					t.Errorf("WriteHeaders: got %q, want %q", dst, tt.want)
				}
				if _, ok := dst["Date"]; !ok {
					t.Errorf(`WriteHeaders: got no "Date" key, want one mapping to nil`)
				}
			})
		}
	}
}

// views returns e decoded each way WriteHeaders can meet it: by Parse, and
// by Parse then Prepare.
func views(t *testing.T, e *Entry) map[string]*View {
	t.Helper()
	b := Append(nil, e)
	parsed, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: got %v, want nil", err)
	}
	prepared := parsed
	prepared.Prepare()
	return map[string]*View{"Parse": &parsed, "Prepare": &prepared}
}

func TestWriteHeadersAppendDoesNotCorruptNeighbours(t *testing.T) {
	e := sample()
	e.Header["Date"] = nil
	extra := []string{"Age", "3", "Cache-Status", "plugcache; hit"}
	for kind, v := range views(t, e) {
		want := http.Header{}
		v.WriteHeaders(want, extra...)
		for name := range want {
			t.Run(kind+"/"+name, func(t *testing.T) {
				dst := http.Header{}
				v.WriteHeaders(dst, extra...)
				dst[name] = append(dst[name], "appended by a later handler")
				for other, values := range dst {
					if other == name {
						continue
					}
					if !slices.Equal(values, want[other]) {
						t.Errorf("%s after appending to %s: got %q, want %q", other, name, values, want[other])
					}
				}
			})
		}
	}
}

// TestWriteHeadersOfAPreparedViewShareNoSlice changes, in place, every value
// one response got from a prepared View: the next response from the same View
// must not see it.
func TestWriteHeadersOfAPreparedViewShareNoSlice(t *testing.T) {
	v := views(t, sample())["Prepare"]
	want := http.Header{}
	v.WriteHeaders(want)
	first := http.Header{}
	v.WriteHeaders(first)
	for _, values := range first {
		for i := range values {
			values[i] = "changed by a later handler"
		}
	}
	got := http.Header{}
	v.WriteHeaders(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WriteHeaders after another response's values were changed: got %q, want %q", got, want)
	}
}

func TestPrepare(t *testing.T) {
	vs := views(t, sample())
	parsed, prepared := vs["Parse"], vs["Prepare"]
	if prepared.prepared == nil {
		t.Fatal("Prepare: got no prepared fields")
	}
	if prepared.Size() <= parsed.Size() {
		t.Errorf("Size: got %d prepared, %d not, want the prepared View larger", prepared.Size(), parsed.Size())
	}
}

func TestWriteHeadersPanicsOnOddExtras(t *testing.T) {
	v := parse(t, sample())
	defer func() {
		if recover() == nil {
			t.Error("WriteHeaders: got no panic, want one")
		}
	}()
	//lint:ignore SA5012 the odd count is what this test gives it
	v.WriteHeaders(http.Header{}, "Age")
}

func TestGet(t *testing.T) {
	v := parse(t, with(func(e *Entry) {
		e.Header["Date"] = nil
		e.Header["X-Empty"] = []string{""}
	}))
	tests := []struct {
		name   string
		field  string
		want   string
		wantOK bool
	}{
		{name: "single value", field: "Etag", want: `"v1-5f3a"`, wantOK: true},
		{name: "first of several values", field: "Link", want: "</a.css>; rel=preload", wantOK: true},
		{name: "last field", field: "X-Empty", want: "", wantOK: true},
		{name: "first field", field: "Cache-Control", want: "public, max-age=60, stale-while-revalidate=30", wantOK: true},
		{name: "absent field between others", field: "Expires", wantOK: false},
		{name: "absent field before all", field: "Accept", wantOK: false},
		{name: "absent field after all", field: "Zzz", wantOK: false},
		{name: "field with no values", field: "Date", wantOK: false},
		{name: "names are matched as given, so must be canonical", field: "etag", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := v.Get(tt.field)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Get(%q): got %q, %v; want %q, %v", tt.field, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	var zero View
	if got, ok := zero.Get("Etag"); got != "" || ok {
		t.Errorf("zero View Get: got %q, %v; want \"\", false", got, ok)
	}
}

func TestValuesCallsInStoredOrder(t *testing.T) {
	v := parse(t, &Entry{Kind: Response, Status: 200, Header: http.Header{
		"Vary":    {"Accept-Encoding", "Accept-Language"},
		"Link":    {"<3>", "<1>", "<2>"},
		"Date":    nil,
		"X-Empty": {""},
	}})
	var got []string
	v.Values(func(name, value []byte) { got = append(got, string(name)+": "+string(value)) })
	want := []string{
		"Link: <3>", "Link: <1>", "Link: <2>",
		"Vary: Accept-Encoding", "Vary: Accept-Language",
		"X-Empty: ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Values: got %q, want %q", got, want)
	}
}

func TestHeaderIsAnIndependentCopy(t *testing.T) {
	b := Append(nil, sample())
	v, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: got %v, want nil", err)
	}
	h, e := v.Header(), v.Entry()
	clear(b)
	want := sample()
	if !reflect.DeepEqual(h, want.Header) {
		t.Errorf("Header after the bytes were cleared: got %q, want %q", h, want.Header)
	}
	if d := diffEntry(e, want); d != "" {
		t.Errorf("Entry after the bytes were cleared: %s", d)
	}
}

func TestVaryNames(t *testing.T) {
	tests := []struct {
		name string
		e    *Entry
		want []string
	}{
		{name: "vary index lists its names", e: &Entry{Kind: VaryIndex, Vary: []string{"Accept-Encoding", "Cookie"}}, want: []string{"Accept-Encoding", "Cookie"}},
		{name: "no names is nil", e: &Entry{Kind: VaryIndex}, want: nil},
		{name: "a response's Vary field is not a name list", e: sample(), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parse(t, tt.e).VaryNames(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("VaryNames: got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWriteHeadersSharesTheBytes checks that every name and value
// WriteHeaders writes points into the parsed bytes rather than into a copy,
// the one allocation per field that the hit path of a network store saves.
func TestWriteHeadersSharesTheBytes(t *testing.T) {
	b := Append(nil, wide(3))
	v, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	within := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		return p >= start && p+uintptr(len(s)) <= start+uintptr(len(b))
	}
	dst := http.Header{}
	v.WriteHeaders(dst)
	for name, values := range dst {
		if !within(name) {
			t.Errorf("name %q: a copy, want it to share the parsed bytes", name)
		}
		for _, value := range values {
			if value != "" && !within(value) {
				t.Errorf("%s value %q: a copy, want it to share the parsed bytes", name, value)
			}
		}
	}
}

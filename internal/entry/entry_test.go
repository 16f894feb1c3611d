package entry

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"
)

// sample is a typical stored response: six fields, two of them multi-valued,
// and a 1 KiB body.
func sample() *Entry {
	return &Entry{
		Kind:   Response,
		Status: http.StatusOK,
		Header: http.Header{
			"Cache-Control": {"public, max-age=60, stale-while-revalidate=30"},
			"Content-Type":  {"text/html; charset=utf-8"},
			"Date":          {"Fri, 01 May 2026 12:00:00 GMT"},
			"Etag":          {`"v1-5f3a"`},
			"Link":          {"</a.css>; rel=preload", "</b.js>; rel=preload", "</c.woff2>; rel=preload"},
			"Vary":          {"Accept-Encoding", "Accept-Language"},
		},
		Body:                 bytes.Repeat([]byte("<p>plugcache</p>"), 64),
		RequestTime:          time.UnixMilli(1_777_636_799_900).UTC(),
		ResponseTime:         time.UnixMilli(1_777_636_800_000).UTC(),
		InitialAge:           1500 * time.Millisecond,
		Lifetime:             time.Minute,
		StaleWhileRevalidate: 30 * time.Second,
		StaleIfError:         time.Hour,
		MustRevalidate:       true,
	}
}

// diffEntry describes the first field in which got differs from want, or
// returns "". Nil and empty bodies are the same.
func diffEntry(got, want *Entry) string {
	switch {
	case got.Kind != want.Kind:
		return fmt.Sprintf("Kind: got %v, want %v", got.Kind, want.Kind)
	case got.Status != want.Status:
		return fmt.Sprintf("Status: got %d, want %d", got.Status, want.Status)
	case !reflect.DeepEqual(got.Header, want.Header):
		return fmt.Sprintf("Header: got %q, want %q", got.Header, want.Header)
	case !bytes.Equal(got.Body, want.Body):
		return fmt.Sprintf("Body: got %q, want %q", got.Body, want.Body)
	case !got.RequestTime.Equal(want.RequestTime):
		return fmt.Sprintf("RequestTime: got %v, want %v", got.RequestTime, want.RequestTime)
	case !got.ResponseTime.Equal(want.ResponseTime):
		return fmt.Sprintf("ResponseTime: got %v, want %v", got.ResponseTime, want.ResponseTime)
	case got.InitialAge != want.InitialAge:
		return fmt.Sprintf("InitialAge: got %v, want %v", got.InitialAge, want.InitialAge)
	case got.Lifetime != want.Lifetime:
		return fmt.Sprintf("Lifetime: got %v, want %v", got.Lifetime, want.Lifetime)
	case got.StaleWhileRevalidate != want.StaleWhileRevalidate:
		return fmt.Sprintf("StaleWhileRevalidate: got %v, want %v", got.StaleWhileRevalidate, want.StaleWhileRevalidate)
	case got.StaleIfError != want.StaleIfError:
		return fmt.Sprintf("StaleIfError: got %v, want %v", got.StaleIfError, want.StaleIfError)
	case got.NoCache != want.NoCache:
		return fmt.Sprintf("NoCache: got %v, want %v", got.NoCache, want.NoCache)
	case got.MustRevalidate != want.MustRevalidate:
		return fmt.Sprintf("MustRevalidate: got %v, want %v", got.MustRevalidate, want.MustRevalidate)
	case !slices.Equal(got.Vary, want.Vary):
		return fmt.Sprintf("Vary: got %q, want %q", got.Vary, want.Vary)
	}
	return ""
}

// with returns a copy of the sample changed by f.
func with(f func(e *Entry)) *Entry {
	e := sample()
	f(e)
	return e
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   *Entry
		want *Entry // nil means in
	}{
		{name: "every field of a response comes back", in: sample()},
		{
			name: "no-cache flag alone comes back",
			in:   with(func(e *Entry) { e.NoCache, e.MustRevalidate = true, false }),
		},
		{
			name: "multi-valued fields keep their values in order",
			in: with(func(e *Entry) {
				e.Header = http.Header{
					"Link": {"<3>", "<1>", "<2>"},
					"Vary": {"Accept-Language", "Accept-Encoding"},
				}
			}),
		},
		{
			name: "names are stored canonical",
			in: with(func(e *Entry) {
				e.Header = http.Header{"content-type": {"text/plain"}, "x-request-ID": {"7"}, "ETAG": {`"x"`}}
			}),
			want: with(func(e *Entry) {
				e.Header = http.Header{"Content-Type": {"text/plain"}, "X-Request-Id": {"7"}, "Etag": {`"x"`}}
			}),
		},
		{
			name: "keys sharing a canonical name merge in key byte order",
			in:   with(func(e *Entry) { e.Header = http.Header{"x-a": {"2", "3"}, "X-A": {"1"}} }),
			want: with(func(e *Entry) { e.Header = http.Header{"X-A": {"1", "2", "3"}} }),
		},
		{
			name: "a field with no values is kept, to suppress net/http's own",
			in:   with(func(e *Entry) { e.Header = http.Header{"Date": nil, "Content-Type": {}} }),
			want: with(func(e *Entry) { e.Header = http.Header{"Date": nil, "Content-Type": nil} }),
		},
		{
			name: "empty values and odd bytes are kept exactly",
			in: with(func(e *Entry) {
				e.Header = http.Header{"X-Empty": {""}, "X-Bin": {"\x00\xff\r\n"}, "x y": {"not a token"}}
			}),
		},
		{
			name: "no fields come back as an empty header",
			in:   with(func(e *Entry) { e.Header = nil }),
			want: with(func(e *Entry) { e.Header = http.Header{} }),
		},
		{
			name: "zero times and durations come back zero",
			in: &Entry{
				Kind: Response, Status: http.StatusNoContent,
				Header: http.Header{}, Body: []byte{},
			},
		},
		{
			name: "times and durations are truncated to the millisecond",
			in: with(func(e *Entry) {
				e.RequestTime = time.Date(2026, 5, 1, 12, 0, 0, 123_456_789, time.FixedZone("X", 3600))
				e.InitialAge = 2*time.Second + 999*time.Microsecond
				e.Lifetime = -1500 * time.Microsecond
			}),
			want: with(func(e *Entry) {
				e.RequestTime = time.Date(2026, 5, 1, 11, 0, 0, 123_000_000, time.UTC)
				e.InitialAge = 2 * time.Second
				e.Lifetime = -time.Millisecond
			}),
		},
		{
			name: "times before 1970 and extreme durations come back",
			in: with(func(e *Entry) {
				e.RequestTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
				e.StaleIfError = time.Duration(1<<63-1) / time.Millisecond * time.Millisecond
				e.StaleWhileRevalidate = -e.StaleIfError
			}),
		},
		{
			name: "vary index keeps its names canonical and in order",
			in: &Entry{
				Kind: VaryIndex, Header: http.Header{}, Body: []byte{},
				Vary: []string{"accept-language", "Accept-Encoding", "*"},
			},
			want: &Entry{
				Kind: VaryIndex, Header: http.Header{}, Body: []byte{},
				Vary: []string{"Accept-Language", "Accept-Encoding", "*"},
			},
		},
		{
			name: "largest status comes back",
			in:   with(func(e *Entry) { e.Status = 65535 }),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = tt.in
			}
			b := Append(nil, tt.in)
			v, err := Parse(b)
			if err != nil {
				t.Fatalf("Parse: got %v, want nil", err)
			}
			if d := diffEntry(v.Entry(), want); d != "" {
				t.Error(d)
			}
			if again := Append(nil, v.Entry()); !bytes.Equal(again, b) {
				t.Errorf("Append(Parse(b).Entry()): got %x, want %x", again, b)
			}
		})
	}
}

func TestNilAndEmptyBodyAreOneEncoding(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{name: "nil body", body: nil},
		{name: "empty body", body: []byte{}},
	}
	want := Append(nil, &Entry{Kind: Response, Status: 200, Body: []byte{}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Append(nil, &Entry{Kind: Response, Status: 200, Body: tt.body})
			if !bytes.Equal(b, want) {
				t.Errorf("Append: got %x, want %x", b, want)
			}
			v, err := Parse(b)
			if err != nil {
				t.Fatalf("Parse: got %v, want nil", err)
			}
			if v.Body == nil || len(v.Body) != 0 {
				t.Errorf("Body: got %#v, want empty and non-nil", v.Body)
			}
		})
	}
}

func TestAppendExtendsDst(t *testing.T) {
	prefix := []byte("keep")
	b := Append(bytes.Clone(prefix), sample())
	if !bytes.HasPrefix(b, prefix) {
		t.Fatalf("Append: got prefix %q, want %q", b[:len(prefix)], prefix)
	}
	if _, err := Parse(b[len(prefix):]); err != nil {
		t.Errorf("Parse of the appended part: got %v, want nil", err)
	}
}

func TestAppendPanicsOnProgrammerErrors(t *testing.T) {
	tests := []struct {
		name string
		e    *Entry
	}{
		{name: "zero kind", e: &Entry{Status: 200}},
		{name: "unknown kind", e: &Entry{Kind: 3, Status: 200}},
		{name: "negative status", e: &Entry{Kind: Response, Status: -1}},
		{name: "status past uint16", e: &Entry{Kind: Response, Status: 1 << 16}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Append: got no panic, want one")
				}
			}()
			Append(nil, tt.e)
		})
	}
}

func TestParseSetsViewFields(t *testing.T) {
	e := sample()
	v, err := Parse(Append(nil, e))
	if err != nil {
		t.Fatalf("Parse: got %v, want nil", err)
	}
	got := View{
		Kind: v.Kind, Status: v.Status, RequestTime: v.RequestTime, ResponseTime: v.ResponseTime,
		InitialAge: v.InitialAge, Lifetime: v.Lifetime,
		StaleWhileRevalidate: v.StaleWhileRevalidate, StaleIfError: v.StaleIfError,
		NoCache: v.NoCache, MustRevalidate: v.MustRevalidate, Body: v.Body,
	}
	want := View{
		Kind: e.Kind, Status: e.Status, RequestTime: e.RequestTime, ResponseTime: e.ResponseTime,
		InitialAge: e.InitialAge, Lifetime: e.Lifetime,
		StaleWhileRevalidate: e.StaleWhileRevalidate, StaleIfError: e.StaleIfError,
		NoCache: e.NoCache, MustRevalidate: e.MustRevalidate, Body: e.Body,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse: got %+v, want %+v", got, want)
	}
	if len(v.Body) != cap(v.Body) {
		t.Errorf("Body: got cap %d, want len %d, so that appending copies", cap(v.Body), len(v.Body))
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind Kind
		want string
	}{
		{Response, "response"},
		{VaryIndex, "vary index"},
		{0, "Kind(0)"},
		{9, "Kind(9)"},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("Kind(%d).String(): got %q, want %q", uint8(tt.kind), got, tt.want)
		}
	}
}

package entry

import (
	"net/http"
	"testing"
)

// The sample has a 1 KiB body and six fields, two of them multi-valued.

// sink keeps a header on the heap, as net/http's ResponseWriter keeps its own.
var sink http.Header

func BenchmarkAppend(b *testing.B) {
	e := sample()
	buf := Append(nil, e)
	b.ReportAllocs()
	for b.Loop() {
		buf = Append(buf[:0], e)
	}
}

func BenchmarkParse(b *testing.B) {
	buf := Append(nil, sample())
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	v := parse(b, sample())
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := v.Get("Etag"); !ok {
			b.Fatal("no Etag")
		}
	}
}

// BenchmarkWriteHeaders copies the sample's fields and Age and Cache-Status.
// "reused header" counts WriteHeaders alone; "new header" adds a fresh map on
// the heap, which BenchmarkHandlerSetsHeaders, a handler adding the same
// fields, pays as well.
func BenchmarkWriteHeaders(b *testing.B) {
	v := parse(b, sample())
	b.Run("reused header", func(b *testing.B) {
		dst := make(http.Header, 16)
		b.ReportAllocs()
		for b.Loop() {
			clear(dst)
			v.WriteHeaders(dst, "Age", "3", "Cache-Status", "plugcache; hit")
		}
	})
	b.Run("new header", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = make(http.Header)
			v.WriteHeaders(sink, "Age", "3", "Cache-Status", "plugcache; hit")
		}
	})
}

func BenchmarkHandlerSetsHeaders(b *testing.B) {
	h := sample().Header
	b.ReportAllocs()
	for b.Loop() {
		dst := make(http.Header)
		for name, values := range h {
			for _, value := range values {
				dst.Add(name, value)
			}
		}
		dst.Set("Age", "3")
		dst.Set("Cache-Status", "plugcache; hit")
		sink = dst
	}
}

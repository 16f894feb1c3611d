package entry_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/plugcache/plugcache/internal/entry"
)

func ExampleAppend() {
	b := entry.Append(nil, &entry.Entry{
		Kind:         entry.Response,
		Status:       http.StatusOK,
		Header:       http.Header{"content-type": {"text/plain"}, "Etag": {`"v1"`}},
		Body:         []byte("hello"),
		ResponseTime: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
		Lifetime:     time.Minute,
	})

	v, err := entry.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	etag, _ := v.Get("Etag")
	fmt.Println(v.Status, etag, string(v.Body), v.ResponseTime, v.Lifetime)

	dst := http.Header{}
	v.WriteHeaders(dst, "Age", "3")
	fmt.Println(dst)

	damaged := bytes.Clone(b) // b itself must never change: v and dst share it
	damaged[len(damaged)/2] ^= 1
	_, err = entry.Parse(damaged)
	fmt.Println(errors.Is(err, entry.ErrCorrupt), err)
	// Output:
	// 200 "v1" hello 2026-05-01 12:00:00 +0000 UTC 1m0s
	// map[Age:[3] Content-Type:[text/plain] Etag:["v1"]]
	// true entry: corrupt or unknown format: checksum mismatch
}

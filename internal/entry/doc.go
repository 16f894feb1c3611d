// Package entry is the format of a stored HTTP response: status, headers, body
// and the times freshness needs, in one versioned and checksummed value. A
// changed format or damaged bytes decode as an error, which the cache treats
// as a miss.
//
//	b := entry.Append(nil, &entry.Entry{Kind: entry.Response, Status: 200, Header: h, Body: body})
//	v, err := entry.Parse(b) // errors.Is(err, entry.ErrCorrupt) on bad bytes; allocates nothing
//	v.WriteHeaders(w.Header(), "Age", age) // one allocation, however many fields
//
// A View aliases the bytes it was parsed from, and so do its Body and the
// strings it returns and writes into a header, which may live as long as
// that header and keep all the bytes, body included, from being collected
// meanwhile. Those bytes must therefore never be modified or reused once
// parsed. The cache's stores promise it of every value they return: the
// in-process store shares one slice, never changed, among every reader of a
// key, and the network stores' clients read each value into a new slice.
//
// # Layout
//
// Integers are big-endian; a uvarint is encoding/binary's unsigned varint in
// its shortest form; bytes(n) is a uvarint length followed by n bytes.
//
//	0  2  magic "pe"
//	2  1  version (2)
//	3  1  kind: 1 Response, 2 VaryIndex
//	4  1  flags: bit 0 NoCache, bit 1 MustRevalidate; the others 0
//	5  1  reserved (0)
//	6  2  status
//	8  8  request time, signed unix milliseconds
//	16 8  response time, signed unix milliseconds
//	24 8  initial age, signed milliseconds
//	32 8  freshness lifetime, signed milliseconds
//	40 8  stale-while-revalidate, signed milliseconds
//	48 8  stale-if-error, signed milliseconds
//	56 .. header: uvarint field count, then per field: bytes(name), uvarint
//	      value count, then per value: bytes(value)
//	.. .. vary: uvarint name count, then per name: bytes(name)
//	.. .. body: bytes(body)
//	-4 4  CRC-32 (IEEE) of every byte before it
//
// Header field names are canonical (http.CanonicalHeaderKey) and strictly
// increasing in byte order, so a field appears once and an entry has exactly
// one encoding; Vary names are canonical and keep their order. A field may
// have no values: net/http then adds no automatic field of that name (Date,
// Content-Type). Durations fit a time.Duration. Parse rejects anything else,
// more than MaxFields fields, values or Vary names, and any byte after the
// body.
package entry

package entry

import (
	"net/http"
	"strconv"
	"time"
)

// Version is the format version that Append writes and the only one Parse
// reads. A value of any other version is ErrCorrupt, so a format change turns
// every stored entry into a miss.
const Version = 2

// MaxFields is the most header fields, the most header values (over all
// fields) and the most Vary names an entry may hold. Parse reports an entry
// with more as ErrCorrupt, so an Entry past the limit stores a value that is
// never a hit.
const MaxFields = 10_000

// Kind says what an entry holds.
type Kind uint8

const (
	// Response is a stored response.
	Response Kind = 1
	// VaryIndex is a marker stored under a URL's primary key when the response
	// varies: it lists the Vary field names, and the variants live under
	// other keys. Its Body is the index's epoch, which the variant keys
	// include, so that variants stored under an index that was deleted are
	// never reached through a new one.
	VaryIndex Kind = 2
)

// String returns "response", "vary index" or "Kind(n)".
func (k Kind) String() string {
	switch k {
	case Response:
		return "response"
	case VaryIndex:
		return "vary index"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Entry is a response to store. Append encodes it; View.Entry decodes a full,
// independent copy.
type Entry struct {
	Kind   Kind
	Status int // 0..65535; 0 for a VaryIndex

	// Header is stored under canonical names, keeping every value and its
	// order. A name with no values is kept, as net/http reads it: no automatic
	// field of that name. Nil means no fields.
	Header http.Header
	// Body is the response body. Nil and empty are the same.
	Body []byte

	// RequestTime and ResponseTime are stored to the millisecond.
	RequestTime, ResponseTime time.Time
	// InitialAge is the corrected_initial_age at store time (RFC 9111 §4.2.3),
	// stored, like the other durations, to the millisecond.
	InitialAge time.Duration
	// Lifetime is the freshness lifetime (RFC 9111 §4.2.1).
	Lifetime time.Duration
	// StaleWhileRevalidate and StaleIfError are the RFC 5861 windows; zero
	// means none.
	StaleWhileRevalidate, StaleIfError time.Duration
	// NoCache and MustRevalidate record the response's directives (RFC 9111
	// §5.2.2.4 and §5.2.2.2).
	NoCache, MustRevalidate bool

	// Vary lists, for a VaryIndex, the Vary field names; they are stored
	// canonical, in order.
	Vary []string
}

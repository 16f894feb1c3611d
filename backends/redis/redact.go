package redis

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
)

// Redacted returns the URL, or the cluster URLs joined by commas, as NewClient
// uses them, with every password replaced by "xxxxx", as url.URL.Redacted
// does. A password that comes from the Password field shows as "xxxxx" too, so
// the result says whether a password is in use. It is meant for logs and
// diagnostics, and is safe to call on options that NewClient refuses.
func (o ClientOptions) Redacted() string {
	var urls []string
	if o.URL != "" {
		urls = append(urls, o.redact(o.URL))
	}
	for _, raw := range o.ClusterURLs {
		urls = append(urls, o.redact(raw))
	}
	return strings.Join(urls, ",")
}

// String returns o.Redacted(), so that printing o never shows a password.
func (o ClientOptions) String() string { return o.Redacted() }

// LogValue returns o.Redacted(), so that logging o through log/slog never
// shows a password.
func (o ClientOptions) LogValue() slog.Value { return slog.StringValue(o.Redacted()) }

// redact returns raw with the credentials that NewClient would use for it,
// its password masked.
func (o ClientOptions) redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || misread(u) {
		return redactRaw(raw)
	}
	switch user, pw := credentials(u, o.Username, o.Password); {
	case pw != "":
		u.User = url.UserPassword(user, pw)
	case user != "":
		u.User = url.User(user)
	}
	return u.Redacted()
}

// parseURL parses raw, the value of field, as an absolute URL with one of
// schemes. Its errors show raw with the password masked.
func parseURL(field, raw string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("redis: %s %q: %s", field, redactRaw(raw), parseProblem(raw))
	case !slices.Contains(schemes, u.Scheme):
		return nil, fmt.Errorf("redis: %s %q: scheme must be %s, got %q", field, display(u, raw), oneOf(schemes), u.Scheme)
	case u.Opaque != "":
		return nil, fmt.Errorf("redis: %s %q: missing \"//\" after %q", field, redactRaw(raw), u.Scheme+":")
	case misread(u):
		return nil, fmt.Errorf("redis: %s %q: malformed user or password; reserved characters must be percent-encoded", field, redactRaw(raw))
	}
	return u, nil
}

// oneOf returns "a, b or c" for words a, b and c.
func oneOf(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// urlError reports err, an error of go-redis's ParseURL or ParseClusterURL
// about the URL that redacted shows, as an error about field. Those errors
// quote the path and query, never the user info.
func urlError(field, redacted string, err error) error {
	return fmt.Errorf("redis: %s %q: %s", field, redacted, strings.TrimPrefix(err.Error(), "redis: "))
}

// parseProblem says why url.Parse refuses raw, without quoting its password:
// it parses raw again with the password masked, and blames the user info when
// that succeeds.
func parseProblem(raw string) string {
	_, err := url.Parse(redactRaw(raw))
	if uerr, ok := errors.AsType[*url.Error](err); ok {
		if !strings.Contains(raw, "://") {
			return uerr.Err.Error() + "; want a URL such as redis://host:port/0"
		}
		return uerr.Err.Error()
	}
	return "malformed user or password; reserved characters must be percent-encoded"
}

// misread reports whether url.Parse read u so that a password may sit outside
// u.User: the URL lacks its "//", or has an "@" past the host because a
// password holds an unescaped "/", "?" or "#".
func misread(u *url.URL) bool {
	return u.Opaque != "" || strings.Contains(u.Path+u.RawQuery+u.Fragment, "@")
}

// display returns u for an error message, with its password masked.
func display(u *url.URL, raw string) string {
	if misread(u) {
		return redactRaw(raw)
	}
	return u.Redacted()
}

// redactRaw masks the password in raw, a URL that url.Parse refuses or
// misreads, taking all between the scheme's "://" and the last "@" for the
// user info, and all of it after its first ":" for the password.
func redactRaw(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	at := strings.LastIndex(raw, "@")
	if at < start {
		return raw
	}
	user, _, ok := strings.Cut(raw[start:at], ":")
	if !ok {
		return raw
	}
	return raw[:start] + user + ":xxxxx" + raw[at:]
}

// Package rfc9111 holds the rules of HTTP caching (RFC 9111, with RFC 9110
// conditionals and RFC 5861 stale extensions) for a shared cache, as pure
// functions.
//
// Nothing here does I/O, keeps state or reads a clock: times come in as
// arguments, and every function is safe for concurrent use. Headers passed in
// are never modified; functions that produce headers return new ones.
//
// Each rule names the section it follows (RFC 9111 §3.5 is written "§3.5";
// other RFCs are named). A deliberate departure is marked "Not RFC 9111:" with
// the reason. The middleware calls these functions in this order, computing
// ages and facts from the response header as received, before stripping it:
//
//	ok, reason := rfc9111.Storable(r.Method, r.Header, status, h, now, policy)   // store?
//	age := rfc9111.InitialAge(h, requestTime, responseTime)                 // at store time
//	s := rfc9111.NewStored(status, h, responseTime, policy)                 // at store time
//	h = rfc9111.StripForStorage(h, rfc9111.ParseDirectives(h), policy)     // what to store
//	s.Age = rfc9111.CurrentAge(age, responseTime, now)                     // at use time
//	verdict, why := rfc9111.Use(rfc9111.RequestDirectives(r.Header), s)    // serve?
package rfc9111

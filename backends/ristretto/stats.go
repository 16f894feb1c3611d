package ristretto

// Stats is a snapshot of a Store's activity, shaped for a metrics system such
// as Prometheus. The counters only grow over the life of the Store, across Clear
// and Close, except CostAdded (see below); Entries and Cost are gauges.
//
// Ristretto updates its counters without locking them together, so a snapshot
// taken while calls run may be off by the calls in flight.
type Stats struct {
	// Hits and Misses count Get calls that found, or did not find, a value
	// in the key's slot. A slot holding another key's value (see the package
	// doc) counts as a hit, though the Get misses: as rare as a collision of
	// 64-bit hashes.
	Hits, Misses uint64

	// Admissions counts new entries that the admission policy let in.
	Admissions uint64

	// Updates counts Sets that replaced the value of an entry already held.
	Updates uint64

	// Rejections counts new entries that the admission policy (TinyLFU) refused
	// because the cache was full of entries that looked more useful.
	Rejections uint64

	// Drops counts Sets dropped before reaching the admission policy, when
	// contention had filled ristretto's write buffer.
	Drops uint64

	// Removals counts entries that left the cache: evicted to make room,
	// expired, deleted or cleared. Ristretto does not tell these apart.
	Removals uint64

	// CostAdded and CostRemoved count the bytes, len(key)+len(value), of the
	// entries admitted and removed. An update that shrinks a value lowers
	// CostAdded, so that CostAdded-CostRemoved is Cost.
	CostAdded, CostRemoved uint64

	// Entries is the number of entries held, and Cost their bytes. Both count
	// expired entries that ristretto has not cleaned up yet.
	Entries, Cost uint64
}

// Stats returns the store's activity so far. It is cheap: call it on every
// scrape. Without Options.Stats only Cost is counted, and the rest is zero.
func (s *Store) Stats() Stats {
	defer s.guard.done(s.guard.share())
	if s.closed {
		return s.base
	}
	return s.base.plus(s.current())
}

// current returns what ristretto has counted since the last Clear.
func (s *Store) current() Stats {
	m := s.cache.Metrics // nil without metrics, which its methods allow
	added, removed := m.KeysAdded(), m.KeysEvicted()
	return Stats{
		Hits:        m.Hits(),
		Misses:      m.Misses(),
		Admissions:  added,
		Updates:     m.KeysUpdated(),
		Rejections:  m.SetsRejected(),
		Drops:       m.SetsDropped(),
		Removals:    removed,
		CostAdded:   m.CostAdded(),
		CostRemoved: m.CostEvicted(),
		Entries:     added - min(removed, added),
		Cost:        uint64(max(s.maxCost-s.cache.RemainingCost(), 0)),
	}
}

// retire returns the counters to carry over before ristretto resets its own,
// as Clear and Close do: the entries held count as removed. It must be called
// with the guard held exclusively.
func (s *Store) retire() Stats {
	if s.cache.Metrics == nil {
		return Stats{} // nothing counted: Cost is all there is, and it goes
	}
	st := s.base.plus(s.current())
	st.Removals += st.Entries
	st.CostRemoved += st.Cost
	st.Entries, st.Cost = 0, 0
	return st
}

// plus adds the counters of c to those of st, and takes the gauges of c.
func (st Stats) plus(c Stats) Stats {
	return Stats{
		Hits:        st.Hits + c.Hits,
		Misses:      st.Misses + c.Misses,
		Admissions:  st.Admissions + c.Admissions,
		Updates:     st.Updates + c.Updates,
		Rejections:  st.Rejections + c.Rejections,
		Drops:       st.Drops + c.Drops,
		Removals:    st.Removals + c.Removals,
		CostAdded:   st.CostAdded + c.CostAdded,
		CostRemoved: st.CostRemoved + c.CostRemoved,
		Entries:     c.Entries,
		Cost:        c.Cost,
	}
}

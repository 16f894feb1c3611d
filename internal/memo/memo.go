// Package memo lets the readers of an in-process store keep, beside a stored
// value, what they derived from its bytes, so that the next reader of the same
// value need not derive it again. The HTTP cache keeps there the decoded
// response of a hit on the memory store.
//
//	budget := memo.NewBudget(maxCost / 16)     // the store's, for all its memos
//	m := memo.New(budget)                      // one per stored value, made by Set
//	if d, ok := m.Load().(*decoded); ok { ... } // a reader, on a hit
//	m.Store(decode(b), size)                    // or it decodes, and keeps it
//	m.Release()                                 // the store, when the value goes
//
// A Memo belongs to one stored value: a new value under the same key comes with
// a new, empty Memo. What a reader keeps must be a function of the value's bytes
// alone, since every reader of the value sees it; a reader that finds a type it
// does not know derives its own.
package memo

import (
	"context"
	"sync/atomic"
)

// Getter is a store that keeps a Memo beside each value: an in-process store,
// whose values are never modified (backends.Local). GetMemo is Get, with the
// value's Memo.
type Getter interface {
	GetMemo(ctx context.Context, key string) ([]byte, *Memo, error)
}

// Budget bounds the memory that a store's memos hold, so that the store's
// bound on its own memory stays true within a known margin. It is safe for
// concurrent use.
type Budget struct{ left atomic.Int64 }

// NewBudget returns a Budget of bytes.
func NewBudget(bytes int64) *Budget {
	b := &Budget{}
	b.left.Store(bytes)
	return b
}

// Left returns the bytes not yet taken.
func (b *Budget) Left() int64 { return b.left.Load() }

// Memo is the slot beside one stored value. The zero Memo, and a nil *Memo,
// keep nothing. It is safe for concurrent use.
type Memo struct {
	budget *Budget
	kept   atomic.Pointer[kept]
}

type kept struct {
	v    any
	size int64
}

// released marks a Memo whose value has left the store, and refused one that
// the budget could not hold: either keeps nothing more.
var released, refused = &kept{}, &kept{}

// New returns an empty Memo that draws on budget.
func New(budget *Budget) *Memo { return &Memo{budget: budget} }

// Load returns what a reader kept, or nil.
func (m *Memo) Load() any {
	if m == nil {
		return nil
	}
	if k := m.kept.Load(); k != nil {
		return k.v
	}
	return nil
}

// Empty reports whether m holds nothing and may still keep something: a
// reader deriving a value to Store checks it first, so that once the budget
// has refused m, its value's readers stop deriving what it cannot keep.
func (m *Memo) Empty() bool { return m != nil && m.budget != nil && m.kept.Load() == nil }

// Store keeps v, which holds size bytes, in place of what m held, whose bytes
// go back to the budget. It keeps nothing, and reports false, when the budget
// has not size bytes left before that refund, after which m stays empty for
// good, or when the value has left the store.
func (m *Memo) Store(v any, size int64) bool {
	if m == nil || m.budget == nil {
		return false
	}
	if m.budget.left.Add(-size) < 0 {
		m.budget.left.Add(size)
		m.kept.CompareAndSwap(nil, refused)
		return false
	}
	next := &kept{v: v, size: size}
	for {
		old := m.kept.Load()
		if old == released || old == refused {
			m.budget.left.Add(size)
			return false
		}
		if m.kept.CompareAndSwap(old, next) {
			if old != nil {
				m.budget.left.Add(old.size)
			}
			return true
		}
	}
}

// Release empties m for good and gives its bytes back to the budget. The
// store calls it when m's value leaves, however it leaves; calling it again
// does nothing.
func (m *Memo) Release() {
	if m == nil {
		return
	}
	if old := m.kept.Swap(released); old != nil && old != released && old != refused {
		m.budget.left.Add(old.size)
	}
}

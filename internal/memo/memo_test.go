package memo

import (
	"sync"
	"testing"
)

func TestMemo(t *testing.T) {
	tests := []struct {
		name     string
		run      func(m *Memo) bool // the last Store's result
		wantLoad any
		wantLeft int64
	}{
		{"an empty memo loads nil", func(m *Memo) bool { return false }, nil, 100},
		{"a store within the budget is kept", func(m *Memo) bool { return m.Store("a", 40) }, "a", 60},
		{"a store past the budget is refused", func(m *Memo) bool { return m.Store("a", 101) }, nil, 100},
		{"a second store replaces the first and refunds it", func(m *Memo) bool {
			m.Store("a", 40)
			return m.Store("b", 50)
		}, "b", 50},
		{"release gives the bytes back", func(m *Memo) bool {
			m.Store("a", 40)
			m.Release()
			return false
		}, nil, 100},
		{"a store after release is refused", func(m *Memo) bool {
			m.Release()
			return m.Store("a", 40)
		}, nil, 100},
		{"a memo the budget refused stays empty", func(m *Memo) bool {
			m.Store("a", 101)
			return m.Store("b", 40)
		}, nil, 100},
		{"release twice gives back once", func(m *Memo) bool {
			m.Store("a", 40)
			m.Release()
			m.Release()
			return false
		}, nil, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBudget(100)
			m := New(b)
			kept := tt.run(m)
			if got := m.Load(); got != tt.wantLoad {
				t.Errorf("Load: got %v, want %v", got, tt.wantLoad)
			}
			if kept != (tt.wantLoad != nil) {
				t.Errorf("Store: reported %v, but Load gives %v", kept, m.Load())
			}
			if got := b.Left(); got != tt.wantLeft {
				t.Errorf("Left: got %d, want %d", got, tt.wantLeft)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	tests := []struct {
		name string
		run  func(m *Memo)
		want bool
	}{
		{"a new memo", func(*Memo) {}, true},
		{"after a store", func(m *Memo) { m.Store("a", 1) }, false},
		{"after the budget refused a store", func(m *Memo) { m.Store("a", 101) }, false},
		{"after release", func(m *Memo) { m.Release() }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(NewBudget(100))
			tt.run(m)
			if got := m.Empty(); got != tt.want {
				t.Errorf("Empty: got %v, want %v", got, tt.want)
			}
		})
	}
	if (*Memo)(nil).Empty() || (&Memo{}).Empty() {
		t.Error("Empty: a memo that can keep nothing reports true")
	}
}

func TestNilMemoKeepsNothing(t *testing.T) {
	var m *Memo
	if m.Store("a", 1) || m.Load() != nil {
		t.Error("a nil Memo kept a value")
	}
	m.Release()
	if (&Memo{}).Store("a", 1) {
		t.Error("a Memo without a budget kept a value")
	}
}

// TestBudgetExactUnderRace stores into and releases many memos at once; once
// all are released, the whole budget must be back.
func TestBudgetExactUnderRace(t *testing.T) {
	b := NewBudget(1000)
	var wg sync.WaitGroup
	var memos []*Memo
	for range 50 {
		m := New(b)
		memos = append(memos, m)
		for i := range 4 {
			wg.Go(func() {
				if i == 3 {
					m.Release()
					return
				}
				m.Store(i, int64(10*(i+1)))
			})
		}
	}
	wg.Wait()
	for _, m := range memos {
		m.Release()
	}
	if got := b.Left(); got != 1000 {
		t.Fatalf("Left after releasing all: got %d, want 1000", got)
	}
}

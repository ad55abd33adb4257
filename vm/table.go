package vm

// Table is a per-process resource table. Ids start at 0 and are never reused inside one
// table (docs/abi/README.md "Resource ids"). A Table is used only by the goroutine of
// the process that owns it, so it needs no lock.
type Table[T any] struct {
	next  uint64
	items map[uint64]T
}

// Add stores v and returns its new id.
func (t *Table[T]) Add(v T) uint64 {
	if t.items == nil {
		t.items = make(map[uint64]T)
	}
	id := t.next
	t.next++
	t.items[id] = v
	return id
}

// Get returns the value with the given id.
func (t *Table[T]) Get(id uint64) (T, bool) {
	v, ok := t.items[id]
	return v, ok
}

// Remove deletes the id and returns what it held.
func (t *Table[T]) Remove(id uint64) (T, bool) {
	v, ok := t.items[id]
	if ok {
		delete(t.items, id)
	}
	return v, ok
}

// Clear removes every entry and returns them; the id counter keeps counting.
func (t *Table[T]) Clear() []T {
	out := make([]T, 0, len(t.items))
	for _, v := range t.items {
		out = append(out, v)
	}
	t.items = nil
	return out
}

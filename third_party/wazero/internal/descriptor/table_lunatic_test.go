package descriptor

import "testing"

// TestTableItemsGrowWithKeys covers the lunatic patch: items are allocated as keys are
// used, not 64 at a time.
func TestTableItemsGrowWithKeys(t *testing.T) {
	var tab Table[int32, *int]
	vals := make([]int, 300)
	for i := range 3 {
		if k, ok := tab.Insert(&vals[i]); !ok || k != int32(i) {
			t.Fatalf("Insert #%d = %d, %v", i, k, ok)
		}
	}
	if len(tab.items) > 8 {
		t.Fatalf("3 items use %d slots", len(tab.items))
	}
	for i := 3; i < 200; i++ {
		if k, ok := tab.Insert(&vals[i]); !ok || k != int32(i) {
			t.Fatalf("Insert #%d = %d, %v", i, k, ok)
		}
	}
	tab.Delete(100)
	if k, _ := tab.Insert(&vals[250]); k != 100 {
		t.Fatalf("the freed key 100 was not reused: got %d", k)
	}
	if !tab.InsertAt(&vals[299], 1000) {
		t.Fatal("InsertAt 1000 failed")
	}
	for k, want := range map[int32]*int{0: &vals[0], 199: &vals[199], 100: &vals[250], 1000: &vals[299]} {
		if got, ok := tab.Lookup(k); !ok || got != want {
			t.Errorf("Lookup(%d) = %p, %v; want %p", k, got, ok, want)
		}
	}
	for _, k := range []int32{200, 999, 1001, 5000, -1} {
		if _, ok := tab.Lookup(k); ok {
			t.Errorf("Lookup(%d) found an item", k)
		}
	}
	n := 0
	tab.Range(func(k int32, v *int) bool {
		if v == nil {
			t.Errorf("Range: nil item at %d", k)
		}
		n++
		return true
	})
	if n != 201 || tab.Len() != 201 {
		t.Errorf("Range saw %d items, Len %d; want 201", n, tab.Len())
	}
}

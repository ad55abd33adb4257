package linmem

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestScrubRemembersResidentRuns: a region scrubbed by hand remembers the runs of pages
// it kept resident and scrubs the next times without mincore: the pages in the runs are
// cleared and stay resident, a page the process touched outside them is dropped, and
// every page reads zero. After relearnEvery such scrubs mincore looks again.
func TestScrubRemembersResidentRuns(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("scrubbing by hand needs mincore (Linux)")
	}
	p := newTestPool(t, 4)
	p.scrubByHand = true
	a := p.Allocator(1 << 32)
	page := int(osPage)
	use := func(touch ...int) (*region, []byte) {
		t.Helper()
		m := a.Allocate(0, 1<<32)
		b := m.Reallocate(testReserve)
		// Only the touched pages are read: a read maps the zero page, which mincore
		// counts as resident.
		for _, pg := range touch {
			for i, v := range b[pg*page : (pg+1)*page] {
				if v != 0 {
					t.Fatalf("page %d byte %d = %#x when handed out, want 0", pg, i, v)
				}
			}
			b[pg*page+3] = 0xEE
		}
		r := m.(*memory).reg
		m.Free()
		return r, b
	}
	residentPages := func(b []byte) map[int]bool {
		t.Helper()
		vec := make([]byte, len(b)/page)
		if err := resident(b, vec); err != nil {
			t.Fatal(err)
		}
		got := map[int]bool{}
		for i, v := range vec {
			if v&1 != 0 {
				got[i] = true
			}
		}
		return got
	}

	r, b := use(5, 6, 40)
	if !r.known || r.nruns != 2 || r.runs[0] != (pageRun{5, 2}) || r.runs[1] != (pageRun{40, 1}) {
		t.Fatalf("after the first scrub: known %v, runs %v, want [{5 2} {40 1}]", r.known, r.runs[:r.nruns])
	}
	r2, b2 := use(6, 100) // 6 is in a run, 100 is not
	if r2 != r || unsafe.SliceData(b2) != unsafe.SliceData(b) {
		t.Fatal("freed region was not reused")
	}
	if r.uses != 1 || !r.known {
		t.Fatalf("second scrub: uses %d known %v, want a scrub from the runs", r.uses, r.known)
	}
	got := residentPages(b)
	if !got[5] || !got[6] || !got[40] || got[100] {
		t.Fatalf("resident pages after a scrub from the runs: %v, want 5, 6 and 40, not 100", got)
	}
	for range relearnEvery - 1 {
		use(100)
	}
	if r.uses != relearnEvery {
		t.Fatalf("uses = %d, want %d", r.uses, relearnEvery)
	}
	use(7) // mincore again: page 7 is resident now, and cleared
	if r.uses != 0 || r.nruns != 2 || r.runs[0] != (pageRun{5, 3}) {
		t.Fatalf("after relearning: uses %d, runs %v, want [{5 3} {40 1}]", r.uses, r.runs[:r.nruns])
	}
	use(5, 6, 7, 40, 100) // each reads zero (checked when handed out)

	// Too many runs to remember (in a region that has none yet): mincore every time.
	a = newTestPool(t, 4).Allocator(1 << 32)
	a.pool.scrubByHand = true
	r, _ = use(1, 3, 9, 11, 13)
	if r.known {
		t.Fatalf("five runs remembered: %v", r.runs[:r.nruns])
	}
	use(1, 3, 9, 11, 13, 20)
	if r.known {
		t.Fatalf("six runs remembered: %v", r.runs[:r.nruns])
	}
	a = p.Allocator(1 << 32)

	// Trim drops the pages: the runs are forgotten.
	r, _ = use(2)
	if !r.known {
		t.Fatal("the runs were forgotten")
	}
	p.Trim(1)
	if r.known {
		t.Fatal("Trim kept the runs of a region whose pages it dropped")
	}
	_, b = use()
	if got := residentPages(b); len(got) != 0 {
		t.Fatalf("resident pages after Trim: %v", got)
	}
	// Finally every byte reads zero.
	m := a.Allocate(0, 1<<32)
	defer m.Free()
	for i, v := range m.Reallocate(testReserve) {
		if v != 0 {
			t.Fatalf("byte %d = %#x, want 0", i, v)
		}
	}
}

package observer

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// manyRows builds n processes of one environment with varied columns, in shuffled order.
func manyRows(n int) []Row {
	rng := rand.New(rand.NewPCG(1, 2))
	entries := []string{"_start", "_lunatic_spawn_by_index_0.14.1", "worker_main", "Supervisor"}
	states := []string{"running", "waiting", "sleeping", "io"}
	rows := make([]Row, n)
	for i := range rows {
		id := uint64(i + 1)
		r := Row{
			ID: id, Env: 1, Parent: id / 10, Entry: entries[rng.IntN(len(entries))],
			State: states[rng.IntN(len(states))], Mailbox: rng.IntN(20),
			Memory: uint64(rng.IntN(8)) << 16, Fuel: uint64(rng.IntN(1000)) * 100_000,
			AgeSeconds: float64(rng.IntN(600)) / 10, Links: []uint64{}, Monitors: []uint64{}, Names: []string{},
		}
		for range rng.IntN(3) {
			r.Links = append(r.Links, uint64(rng.IntN(n)+1))
		}
		if i%1000 == 0 {
			r.Names = []string{fmt.Sprintf("svc-%d", i)}
		}
		rows[i] = r
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return rows
}

// sortedReference sorts every row the obvious way: the whole table, one column, ties by id.
func sortedReference(rows []Row, key string, desc bool) []*Row {
	sorted := make([]*Row, len(rows))
	for i := range rows {
		sorted[i] = &rows[i]
	}
	by := sortKeys[key]
	slices.SortFunc(sorted, func(a, b *Row) int {
		an, as := by(a)
		bn, bs := by(b)
		c := cmp.Or(cmp.Compare(an, bn), strings.Compare(as, bs), cmp.Compare(a.ID, b.ID))
		if desc {
			c = -c
		}
		return c
	})
	return sorted
}

// TestApplyMatchesReference checks pages of a 100,000-process table against a plain
// sort-then-filter, for every column, both orders, pages at the start, middle and end, and
// several filters.
func TestApplyMatchesReference(t *testing.T) {
	rows := manyRows(100_000)
	before := slices.Clone(rows)
	filters := []string{"", "waiting", "state:io mailbox>10 entry:SUPER", "parent:42", "fuel<5000000 links>1 name:svc"}
	offsets := []int{0, 12345, 99950, 200000}
	keys := slices.Sorted(maps.Keys(sortKeys))
	if raceEnabled {
		// Same 100,000 rows, fewer combinations: this test has no goroutines for the race
		// detector to check, and it is ten times slower under it.
		filters, offsets, keys = filters[2:3], offsets[:3], []string{"entry", "mailbox"}
	}
	for _, key := range keys {
		for _, order := range []string{"asc", "desc"} {
			sorted := sortedReference(rows, key, order == "desc")
			for _, filter := range filters {
				terms, err := parseFilter(filter)
				if err != nil {
					t.Fatal(err)
				}
				var kept []uint64
				for i := range sorted {
					if (Query{Filter: terms}).keep(sorted[i]) {
						kept = append(kept, sorted[i].ID)
					}
				}
				for _, off := range offsets {
					v := url.Values{"sort": {key}, "order": {order}, "filter": {filter}, "offset": {fmt.Sprint(off)}, "limit": {"50"}}
					q, err := ParseQuery(v)
					if err != nil {
						t.Fatal(err)
					}
					page := q.Apply(rows)
					want := kept[min(off, len(kept)):min(off+50, len(kept))]
					var got []uint64
					for _, r := range page.Rows {
						got = append(got, r.ID)
					}
					if page.Matched != len(kept) || page.Total != len(rows) || !slices.Equal(got, want) {
						t.Fatalf("%s: matched %d (want %d), ids %v, want %v", v.Encode(), page.Matched, len(kept), got, want)
					}
				}
			}
		}
	}
	if !slices.EqualFunc(rows, before, func(a, b Row) bool { return a.ID == b.ID }) {
		t.Fatal("Apply reordered its input")
	}
}

func TestFilterTerms(t *testing.T) {
	r := Row{ID: 12, Parent: 3, Env: 1, Entry: "_lunatic_spawn_by_index_0.14.1", State: "waiting", Mailbox: 7,
		Links: []uint64{1, 2}, Names: []string{"supervisor-1"}}
	for filter, want := range map[string]bool{
		"":                          true,
		"12":                        true,
		"2":                         false, // ids match whole
		"SPAWN_BY":                  true,
		"waiting":                   true,
		"wait":                      false, // states match whole
		"state:waiting parent:3":    true,
		"state:waiting parent:4":    false,
		"mailbox>6 mailbox<8":       true,
		"mailbox>7":                 false,
		"links:2":                   true,
		"supervisor":                true,
		"name:visor-1":              true,
		"name:worker":               false,
		"entry:lunatic id>11 env:1": true,
	} {
		terms, err := parseFilter(filter)
		if err != nil {
			t.Fatalf("%q: %v", filter, err)
		}
		q := Query{Filter: terms}
		if got := q.keep(&r); got != want {
			t.Errorf("filter %q kept = %v, want %v", filter, got, want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	for raw, want := range map[string]string{
		"sort=colour":         `cannot sort by "colour"`,
		"order=up":            "order must be asc or desc",
		"offset=-1":           "offset must be a number",
		"limit=0":             "limit must be a number from 1 to 1000",
		"limit=5000":          "limit must be a number from 1 to 1000",
		"filter=mailbox>lots": `"lots" is not a number`,
		"filter=colour:red":   `unknown column "colour"`,
	} {
		v, _ := url.ParseQuery(raw)
		if _, err := ParseQuery(v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", raw, err, want)
		}
	}
	q, err := ParseQuery(url.Values{})
	if err != nil || q.Sort != "id" || q.Desc || q.Offset != 0 || q.Limit != defaultLimit {
		t.Errorf("defaults: %+v %v", q, err)
	}
}

// BenchmarkTablePage100k is one page of a 100,000-process table: the first page by
// mailbox (selection), a deep page by fuel (full sort) and a filtered page.
func BenchmarkTablePage100k(b *testing.B) {
	rows := manyRows(100_000)
	for _, raw := range []string{
		"sort=mailbox&order=desc&limit=50",
		"sort=fuel&offset=60000&limit=50",
		"sort=entry&filter=state:waiting+mailbox>5&limit=100",
	} {
		v, _ := url.ParseQuery(raw)
		q, err := ParseQuery(v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(raw, func(b *testing.B) {
			for b.Loop() {
				if p := q.Apply(rows); len(p.Rows) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
}

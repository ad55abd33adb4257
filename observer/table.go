package observer

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// Row is one live process in the table and the tree.
type Row struct {
	ID         uint64   `json:"id"`
	Env        uint64   `json:"env"`
	Parent     uint64   `json:"parent"`
	Entry      string   `json:"entry"`
	Names      []string `json:"names"` // registered names
	State      string   `json:"state"`
	Mailbox    int      `json:"mailbox"`
	Memory     uint64   `json:"memory"`
	Fuel       uint64   `json:"fuel"`
	AgeSeconds float64  `json:"age_s"`
	Links      []uint64 `json:"links"`
	Monitors   []uint64 `json:"monitors"`
}

func newRow(s *vm.ProcessSnapshot, now time.Time) Row {
	return Row{
		ID: s.ID, Env: s.Environment, Parent: s.Parent, Entry: s.Entry, State: s.State.String(),
		Mailbox: s.MailboxLen, Memory: s.MemoryBytes, Fuel: s.FuelUsed,
		AgeSeconds: now.Sub(s.Started).Seconds(),
		Links:      orEmpty(s.Links), Monitors: orEmpty(s.Monitors), Names: []string{},
	}
}

func orEmpty(ids []uint64) []uint64 {
	if ids == nil {
		return []uint64{}
	}
	return ids
}

// Paging limits of the process table.
const (
	defaultLimit = 50
	maxLimit     = 1000
)

// Query selects one page of the process table:
// ?sort=KEY&order=asc|desc&filter=TERMS&offset=N&limit=N.
type Query struct {
	Sort   string // a sortKeys name; default "id"
	Desc   bool
	Filter []term
	Offset int
	Limit  int // 1..maxLimit; default defaultLimit
}

// sortKeys compare two rows by one column.
var sortKeys = map[string]func(a, b *Row) int{
	"id":       func(a, b *Row) int { return 0 }, // the tie-break orders by env and id
	"parent":   func(a, b *Row) int { return cmp.Compare(a.Parent, b.Parent) },
	"entry":    func(a, b *Row) int { return strings.Compare(a.Entry, b.Entry) },
	"state":    func(a, b *Row) int { return strings.Compare(a.State, b.State) },
	"mailbox":  func(a, b *Row) int { return cmp.Compare(a.Mailbox, b.Mailbox) },
	"memory":   func(a, b *Row) int { return cmp.Compare(a.Memory, b.Memory) },
	"fuel":     func(a, b *Row) int { return cmp.Compare(a.Fuel, b.Fuel) },
	"age":      func(a, b *Row) int { return cmp.Compare(a.AgeSeconds, b.AgeSeconds) },
	"links":    func(a, b *Row) int { return cmp.Compare(len(a.Links), len(b.Links)) },
	"monitors": func(a, b *Row) int { return cmp.Compare(len(a.Monitors), len(b.Monitors)) },
}

// term is one condition of a filter. A filter is terms separated by spaces, all of which
// must hold:
//   - KEY:VALUE — id, parent and env equal VALUE; entry contains it; state is it;
//   - KEY>N, KEY<N — for the numeric columns (id, parent, env, mailbox, memory, fuel, age,
//     links, monitors);
//   - name:TEXT — a registered name contains TEXT;
//   - a bare word — the id is it, the entry or a registered name contains it, or the
//     state is it.
//
// Text comparisons ignore case.
type term struct {
	key  string // "" for a bare word
	op   byte   // ':', '>' or '<'
	text string // lower case
	num  float64
}

var numericKeys = map[string]func(r *Row) float64{
	"id":       func(r *Row) float64 { return float64(r.ID) },
	"parent":   func(r *Row) float64 { return float64(r.Parent) },
	"env":      func(r *Row) float64 { return float64(r.Env) },
	"mailbox":  func(r *Row) float64 { return float64(r.Mailbox) },
	"memory":   func(r *Row) float64 { return float64(r.Memory) },
	"fuel":     func(r *Row) float64 { return float64(r.Fuel) },
	"age":      func(r *Row) float64 { return r.AgeSeconds },
	"links":    func(r *Row) float64 { return float64(len(r.Links)) },
	"monitors": func(r *Row) float64 { return float64(len(r.Monitors)) },
}

// ParseQuery reads a table query from URL parameters; a bad one is an error for the
// client.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Sort: "id", Limit: defaultLimit}
	if s := v.Get("sort"); s != "" {
		if _, ok := sortKeys[s]; !ok {
			return q, fmt.Errorf("cannot sort by %q", s)
		}
		q.Sort = s
	}
	switch v.Get("order") {
	case "", "asc":
	case "desc":
		q.Desc = true
	default:
		return q, fmt.Errorf("order must be asc or desc, not %q", v.Get("order"))
	}
	var err error
	if q.Offset, err = intParam(v, "offset", 0, 0, 1<<31-1); err != nil {
		return q, err
	}
	if q.Limit, err = intParam(v, "limit", defaultLimit, 1, maxLimit); err != nil {
		return q, err
	}
	q.Filter, err = parseFilter(v.Get("filter"))
	return q, err
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be a number from %d to %d, not %q", name, lo, hi, s)
	}
	return n, nil
}

func parseFilter(s string) ([]term, error) {
	var out []term
	for _, w := range strings.Fields(strings.ToLower(s)) {
		i := strings.IndexAny(w, ":<>")
		if i <= 0 {
			out = append(out, term{text: w})
			continue
		}
		t := term{key: w[:i], op: w[i], text: w[i+1:]}
		numeric := numericKeys[t.key] != nil
		switch {
		case t.op == ':' && (t.key == "entry" || t.key == "state" || t.key == "name"):
		case numeric:
			n, err := strconv.ParseFloat(t.text, 64)
			if err != nil {
				return nil, fmt.Errorf("filter %q: %q is not a number", w, t.text)
			}
			t.num = n
		default:
			return nil, fmt.Errorf("filter %q: unknown column %q (id, parent, env, entry, name, state, mailbox, memory, fuel, age, links, monitors)", w, t.key)
		}
		out = append(out, t)
	}
	return out, nil
}

func (t *term) match(r *Row) bool {
	switch t.key {
	case "":
		return strconv.FormatUint(r.ID, 10) == t.text || containsFold(r.Entry, t.text) || strings.EqualFold(r.State, t.text) || anyContains(r.Names, t.text)
	case "entry":
		return containsFold(r.Entry, t.text)
	case "name":
		return anyContains(r.Names, t.text)
	case "state":
		return strings.EqualFold(r.State, t.text)
	}
	v := numericKeys[t.key](r)
	switch t.op {
	case '>':
		return v > t.num
	case '<':
		return v < t.num
	}
	return v == t.num
}

func anyContains(names []string, lower string) bool {
	for _, n := range names {
		if containsFold(n, lower) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains lower (already lower case), ignoring case.
func containsFold(s, lower string) bool {
	if lower == "" {
		return true
	}
	for i := 0; i+len(lower) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

// Page is one page of the process table.
type Page struct {
	Total   int   `json:"total"`   // live processes
	Matched int   `json:"matched"` // processes the filter kept
	Offset  int   `json:"offset"`
	Limit   int   `json:"limit"`
	Rows    []Row `json:"rows"`
}

// Apply filters, sorts and pages rows without changing them. Ties are broken by
// environment and id, so pages are stable while the data is. Only the rows up to the end
// of the page are fully ordered: the cost is about one pass over the rows plus a sort of
// offset+limit of them.
func (q Query) Apply(rows []Row) Page {
	idx := make([]int32, 0, len(rows))
	for i := range rows {
		if q.keep(&rows[i]) {
			idx = append(idx, int32(i))
		}
	}
	page := Page{Total: len(rows), Matched: len(idx), Offset: q.Offset, Limit: q.Limit, Rows: []Row{}}
	if q.Offset >= len(idx) {
		return page
	}
	by := sortKeys[q.Sort]
	if by == nil {
		by = sortKeys["id"]
	}
	less := func(i, j int32) int {
		a, b := &rows[i], &rows[j]
		c := by(a, b)
		if c == 0 {
			if c = cmp.Compare(a.Env, b.Env); c == 0 {
				c = cmp.Compare(a.ID, b.ID)
			}
		}
		if q.Desc {
			return -c
		}
		return c
	}
	end := min(q.Offset+q.Limit, len(idx))
	partialSort(idx, end, less)
	for _, i := range idx[q.Offset:end] {
		page.Rows = append(page.Rows, rows[i])
	}
	return page
}

func (q Query) keep(r *Row) bool {
	for i := range q.Filter {
		if !q.Filter[i].match(r) {
			return false
		}
	}
	return true
}

// partialSort orders idx so that idx[:k] holds the k smallest elements, sorted. When k is
// small next to len(idx) it selects them first (quickselect), which keeps the first pages
// of a 100,000-process table cheap; otherwise it sorts everything.
func partialSort(idx []int32, k int, cmpf func(a, b int32) int) {
	if k >= len(idx)/4 {
		slices.SortFunc(idx, cmpf)
		return
	}
	lo, hi := 0, len(idx)
	for hi-lo > 1 {
		p := partition(idx[lo:hi], cmpf) + lo
		switch {
		case p == k:
			lo = hi
		case p < k:
			lo = p + 1
		default:
			hi = p
		}
	}
	slices.SortFunc(idx[:k], cmpf)
}

// partition puts a pivot (median of three) in its final place and returns its index.
func partition(s []int32, cmpf func(a, b int32) int) int {
	n := len(s)
	m := n / 2
	if cmpf(s[m], s[0]) < 0 {
		s[m], s[0] = s[0], s[m]
	}
	if cmpf(s[n-1], s[0]) < 0 {
		s[n-1], s[0] = s[0], s[n-1]
	}
	if cmpf(s[n-1], s[m]) < 0 {
		s[n-1], s[m] = s[m], s[n-1]
	}
	s[m], s[n-1] = s[n-1], s[m]
	pivot := s[n-1]
	i := 0
	for j := range n - 1 {
		if cmpf(s[j], pivot) < 0 {
			s[i], s[j] = s[j], s[i]
			i++
		}
	}
	s[i], s[n-1] = s[n-1], s[i]
	return i
}

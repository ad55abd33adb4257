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

// sortKeys extract the sort key of one column: a number, or a string. Ages sort by
// microseconds; links and monitors by how many.
var sortKeys = map[string]func(r *Row) (uint64, string){
	"id":       func(r *Row) (uint64, string) { return 0, "" }, // the tie-break orders by env and id
	"parent":   func(r *Row) (uint64, string) { return r.Parent, "" },
	"entry":    func(r *Row) (uint64, string) { return 0, r.Entry },
	"state":    func(r *Row) (uint64, string) { return 0, r.State },
	"mailbox":  func(r *Row) (uint64, string) { return uint64(r.Mailbox), "" },
	"memory":   func(r *Row) (uint64, string) { return r.Memory, "" },
	"fuel":     func(r *Row) (uint64, string) { return r.Fuel, "" },
	"age":      func(r *Row) (uint64, string) { return uint64(max(r.AgeSeconds, 0) * 1e6), "" },
	"links":    func(r *Row) (uint64, string) { return uint64(len(r.Links)), "" },
	"monitors": func(r *Row) (uint64, string) { return uint64(len(r.Monitors)), "" },
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
// environment and id, so pages are stable while the data is. The sort works on a compact
// copy of the one column it needs, and only the page itself is fully sorted (pageSort).
func (q Query) Apply(rows []Row) Page {
	key := sortKeys[q.Sort]
	if key == nil {
		key = sortKeys["id"]
	}
	items := make([]sortItem, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		if q.keep(r) {
			num, str := key(r)
			items = append(items, sortItem{num: num, str: str, env: r.Env, id: r.ID, idx: int32(i)})
		}
	}
	page := Page{Total: len(rows), Matched: len(items), Offset: q.Offset, Limit: q.Limit, Rows: []Row{}}
	if q.Offset >= len(items) {
		return page
	}
	cmpf := compareItems
	if q.Desc {
		cmpf = func(a, b sortItem) int { return compareItems(b, a) }
	}
	end := min(q.Offset+q.Limit, len(items))
	pageSort(items, q.Offset, end, cmpf)
	for _, it := range items[q.Offset:end] {
		page.Rows = append(page.Rows, rows[it.idx])
	}
	return page
}

// sortItem is one row as the sort sees it: its sort key (a number or a string) and the
// tie-break.
type sortItem struct {
	num     uint64
	str     string
	env, id uint64
	idx     int32
}

func compareItems(a, b sortItem) int {
	if a.num != b.num {
		return cmp.Compare(a.num, b.num)
	}
	if c := strings.Compare(a.str, b.str); c != 0 {
		return c
	}
	if a.env != b.env {
		return cmp.Compare(a.env, b.env)
	}
	return cmp.Compare(a.id, b.id)
}

func (q Query) keep(r *Row) bool {
	for i := range q.Filter {
		if !q.Filter[i].match(r) {
			return false
		}
	}
	return true
}

// pageSort orders items so that items[from:to] holds, sorted, what a full sort would put
// there. Two selections (quickselect) and a sort of the page cost about two passes over the
// items, whatever page is asked for.
func pageSort(items []sortItem, from, to int, cmpf func(a, b sortItem) int) {
	nthElement(items, from, cmpf)
	rest := items[from:]
	nthElement(rest, to-from, cmpf)
	slices.SortFunc(rest[:to-from], cmpf)
}

// nthElement reorders s so that s[:k] holds its k smallest items, in no order.
func nthElement(s []sortItem, k int, cmpf func(a, b sortItem) int) {
	lo, hi := 0, len(s)
	if k <= 0 || k >= hi {
		return
	}
	for hi-lo > 1 {
		p := partition(s[lo:hi], cmpf) + lo
		switch {
		case p == k:
			return
		case p < k:
			lo = p + 1
		default:
			hi = p
		}
	}
}

// partition puts a pivot (median of three) in its final place and returns its index.
func partition(s []sortItem, cmpf func(a, b sortItem) int) int {
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

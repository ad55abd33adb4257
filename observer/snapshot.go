package observer

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// snapshot is every live process at one instant, shared by the requests that arrive while
// it is fresh.
type snapshot struct {
	at   time.Time
	rows []Row

	treeOnce sync.Once
	byKey    map[procKey]int32
	children map[procKey][]int32 // parent → children sorted by id; roots under {env, 0}
}

// procKey names a process: ids are unique inside an environment.
type procKey struct{ env, id uint64 }

// snapshots builds snapshots at most once per maxAge.
type snapshots struct {
	src    source
	maxAge time.Duration

	mu   sync.Mutex
	last *snapshot
	buf  []vm.ProcessSnapshot
}

// get returns a snapshot no older than maxAge.
func (s *snapshots) get() *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last != nil && time.Since(s.last.at) < s.maxAge {
		return s.last
	}
	s.buf = s.src.appendSnapshots(s.buf[:0])
	now := time.Now()
	snap := &snapshot{at: now, rows: make([]Row, len(s.buf))}
	names := s.src.allNames()
	for i := range s.buf {
		snap.rows[i] = newRow(&s.buf[i], now)
		if n := names[procKey{s.buf[i].Environment, s.buf[i].ID}]; n != nil {
			snap.rows[i].Names = n
		}
	}
	clear(s.buf) // drop the references to link slices and strings
	s.last = snap
	return snap
}

// index builds the lookups the tree needs, once per snapshot.
func (sn *snapshot) index() {
	sn.treeOnce.Do(func() {
		sn.byKey = make(map[procKey]int32, len(sn.rows))
		for i := range sn.rows {
			sn.byKey[procKey{sn.rows[i].Env, sn.rows[i].ID}] = int32(i)
		}
		sn.children = make(map[procKey][]int32)
		for i := range sn.rows {
			r := &sn.rows[i]
			parent := procKey{r.Env, r.Parent}
			if _, alive := sn.byKey[parent]; !alive {
				parent.id = 0 // a root, or an orphan whose parent has ended
			}
			sn.children[parent] = append(sn.children[parent], int32(i))
		}
		for _, c := range sn.children {
			slices.SortFunc(c, func(a, b int32) int { return cmp.Compare(sn.rows[a].ID, sn.rows[b].ID) })
		}
	})
}

// TreeNode is one process in the supervision tree.
type TreeNode struct {
	Row
	Children int  `json:"children"` // live children
	Orphan   bool `json:"orphan"`   // shown as a root because its parent has ended
}

// TreeLevel is the children of one process (or the roots, for parent 0), one page of them.
type TreeLevel struct {
	Env      uint64     `json:"env"`
	Parent   uint64     `json:"parent"`
	Total    int        `json:"total"`
	Offset   int        `json:"offset"`
	Children []TreeNode `json:"children"`
}

// level returns children [offset, offset+limit) of parent in env (roots for parent 0,
// in every environment when env is 0).
func (sn *snapshot) level(env, parent uint64, offset, limit int) TreeLevel {
	sn.index()
	var kids []int32
	if parent == 0 && env == 0 {
		for k, c := range sn.children {
			if k.id == 0 {
				kids = append(kids, c...)
			}
		}
		slices.SortFunc(kids, func(a, b int32) int {
			ra, rb := &sn.rows[a], &sn.rows[b]
			if c := cmp.Compare(ra.Env, rb.Env); c != 0 {
				return c
			}
			return cmp.Compare(ra.ID, rb.ID)
		})
	} else {
		kids = sn.children[procKey{env, parent}]
	}
	out := TreeLevel{Env: env, Parent: parent, Total: len(kids), Offset: offset, Children: []TreeNode{}}
	if offset >= len(kids) {
		return out
	}
	for _, i := range kids[offset:min(offset+limit, len(kids))] {
		r := sn.rows[i]
		out.Children = append(out.Children, TreeNode{
			Row:      r,
			Children: len(sn.children[procKey{r.Env, r.ID}]),
			Orphan:   r.Parent != 0 && parent == 0,
		})
	}
	return out
}

// row finds one process.
func (sn *snapshot) row(env, id uint64) (Row, bool) {
	sn.index()
	i, ok := sn.byKey[procKey{env, id}]
	if !ok {
		return Row{}, false
	}
	return sn.rows[i], true
}

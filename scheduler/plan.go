package scheduler

// maxExposed bounds, in Preempt mode, the static cost a function without an
// entry check may run (with the check-less functions it calls) before control
// is back in code that has checks. A function above it gets an entry check.
const maxExposed = 20_000

// maxCost caps the cost of a check; sums of call costs cannot overflow.
const maxCost = 1 << 40

// plan decides, for Preempt mode, which functions get an entry check and
// adds to each region's cost the exposed cost of the functions it calls.
//
// A function gets an entry check when it can recurse through direct calls:
// it lies on a cycle of the graph of call instructions. Cycles through
// call_indirect are cut by the check in front of every call_indirect, which
// charges the most any function whose address is taken (element segments,
// ref.func) exposes. Loops are covered by the checks on their back edges, so
// any execution that does not end passes checks without end. A function
// without an entry check exposes its cost (its body's static cost plus what
// its callees expose) to its callers, whose checks charge it; past
// maxExposed it gets an entry check of its own, which bounds the work
// between two checks.
func (m *module) plan(scans []funcScan) {
	n := len(scans)
	g := callGraph{m: m, scans: scans, indirect: n}
	exposed := make([]int64, n+1)
	for _, scc := range g.sccs() {
		if scc[0] == g.indirect {
			continue // no edges: call_indirect is not a call site here
		}
		cyclic := len(scc) > 1 || g.selfLoop(scc[0])
		for _, v := range scc {
			fs := &scans[v]
			fs.entry = cyclic
			for _, c := range fs.calls {
				// Functions of this component have exposed 0 (checked, or
				// not planned yet: impossible, they would form a cycle).
				if w := g.node(c.callee); w >= 0 && exposed[w] > 0 {
					fs.costs[c.region] = min(maxCost, fs.costs[c.region]+exposed[w])
				}
			}
			if !fs.entry && fs.costs[0] > maxExposed {
				fs.entry = true
			}
			if !fs.entry {
				exposed[v] = fs.costs[0]
			}
		}
	}
	m.indirectCost = 1
	for i, taken := range m.addrTaken {
		if d := i - int(m.funcImports); taken && d >= 0 && d < n {
			m.indirectCost = max(m.indirectCost, exposed[d])
		}
	}
}

// callGraph has a node per defined function and one (indirect) for
// call_indirect. Calls of imported functions are not edges.
type callGraph struct {
	m        *module
	scans    []funcScan
	indirect int
	taken    []int // defined functions whose address is taken
}

// node maps a callee of a call site to a node, or -1 for an import.
func (g *callGraph) node(callee uint32) int {
	if callee == indirectCallee {
		return g.indirect
	}
	if callee < g.m.funcImports {
		return -1
	}
	return int(callee - g.m.funcImports)
}

func (g *callGraph) succ(v int, f func(int)) {
	if v == g.indirect {
		for _, t := range g.taken {
			f(t)
		}
		return
	}
	for _, c := range g.scans[v].calls {
		if w := g.node(c.callee); w >= 0 {
			f(w)
		}
	}
}

func (g *callGraph) selfLoop(v int) bool {
	found := false
	g.succ(v, func(w int) { found = found || w == v })
	return found
}

// sccs returns the strongly connected components in reverse topological
// order (a component comes after every component it reaches), by Tarjan's
// algorithm without recursion.
func (g *callGraph) sccs() [][]int {
	n := g.indirect + 1
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	succs := make([][]int, n)
	for v := range n {
		g.succ(v, func(w int) { succs[v] = append(succs[v], w) })
	}
	var out [][]int
	var stack []int
	type item struct{ v, next int }
	next := 0
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		work := []item{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			it := &work[len(work)-1]
			v := it.v
			if it.next < len(succs[v]) {
				w := succs[v][it.next]
				it.next++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					work = append(work, item{w, 0})
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			work = work[:len(work)-1]
			if len(work) > 0 {
				u := work[len(work)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var scc []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					scc = append(scc, w)
					if w == v {
						break
					}
				}
				out = append(out, scc)
			}
		}
	}
	return out
}

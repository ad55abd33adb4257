package cluster

import "time"

// Crash ends the node the way a killed process would: no goodbye, its membership entry
// stays until it expires.
func (n *Node) Crash() {
	n.closeOnce.Do(func() {
		n.rt.SetNode(nil)
		n.stop()
		n.direct.close()
		n.nc.Close()
		n.wg.Wait()
		n.srv.stop()
	})
}

// Downloads is how many modules the node fetched from the cluster's store.
func (n *Node) Downloads() int {
	n.modules.mu.Lock()
	defer n.modules.mu.Unlock()
	return n.modules.downloads
}

// Subject exposes a node's subject names.
func (n *Node) Subject(node uint64, kind string) string { return n.subject(node, kind) }

// BreakDirect closes this node's direct connection to node, as a network fault would;
// false when there is none.
func (n *Node) BreakDirect(node uint64) bool {
	if n.direct == nil {
		return false
	}
	p := n.direct.peer(node)
	if p == nil {
		return false
	}
	p.mu.Lock()
	c := p.conn
	p.mu.Unlock()
	if c == nil {
		return false
	}
	_ = c.raw.Close()
	<-c.done
	return true
}

// BreakDirectFor is BreakDirect with no new dial for hold (the path's first retry comes
// after a second, which a slow run of a test could pass before it looked).
func (n *Node) BreakDirectFor(node uint64, hold time.Duration) bool {
	if !n.BreakDirect(node) {
		return false
	}
	p := n.direct.peer(node)
	p.mu.Lock()
	p.retryAt = time.Now().Add(hold)
	p.mu.Unlock()
	return true
}

// TrackedConns is how many connections the direct path holds to close at shutdown.
func (n *Node) TrackedConns() int {
	if n.direct == nil {
		return 0
	}
	n.direct.mu.Lock()
	defer n.direct.mu.Unlock()
	return len(n.direct.all)
}

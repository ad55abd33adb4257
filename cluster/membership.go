package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// membership is the node table. Each node keeps its entry in the membership bucket alive
// by putting it again every TTL/3; the bucket's TTL removes the entry of a node that stops
// beating, and the server's expiry marker tells every watcher. A node that leaves cleanly
// deletes its entry. Every node watches the bucket, so its table is current without
// polling.
type membership struct {
	kv   jetstream.KeyValue
	self uint64
	log  *slog.Logger

	// onDrop, when set, is called (on the watch goroutine) for each node that leaves or
	// expires.
	onDrop func(id uint64)

	mu      sync.RWMutex
	nodes   map[uint64]wireNode
	gone    map[uint64]bool // nodes seen here that left or expired and did not come back
	changed chan struct{}   // closed (and replaced) whenever nodes changes
}

const memberPrefix = "n."

func memberKey(id uint64) string { return memberPrefix + strconv.FormatUint(id, 10) }

// newID allocates a node id: the revision of a put into the ids bucket, which JetStream
// makes unique, non-zero and increasing (1, 2, 3, … in a fresh cluster).
func newID(ctx context.Context, ids jetstream.KeyValue) (uint64, error) {
	rev, err := ids.Put(ctx, "node", nil)
	if err != nil {
		return 0, fmt.Errorf("allocate a node id: %w", err)
	}
	return rev, nil
}

// join puts this node's entry, starts watching the bucket and returns once the table
// holds every node that was already there. The watch and the heartbeat run until run ends.
func (m *membership) join(ctx, run context.Context, self wireNode, ttl time.Duration, wg *sync.WaitGroup) error {
	m.nodes = map[uint64]wireNode{m.self: self}
	m.gone = make(map[uint64]bool)
	m.changed = make(chan struct{})
	value := encode(self)
	if _, err := m.kv.Put(ctx, memberKey(m.self), value); err != nil {
		return fmt.Errorf("join the cluster: %w", err)
	}
	w, err := m.kv.WatchAll(run)
	if err != nil {
		return fmt.Errorf("watch the cluster members: %w", err)
	}
	ready := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); m.watch(w, ready) }()
	go func() { defer wg.Done(); m.heartbeat(run, value, ttl/3) }()
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watch applies bucket updates to the table until the watcher stops.
func (m *membership) watch(w jetstream.KeyWatcher, ready chan struct{}) {
	defer func() { _ = w.Stop() }()
	initial := true
	for e := range w.Updates() {
		if e == nil {
			if initial {
				initial = false
				close(ready)
			}
			continue
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(e.Key(), memberPrefix), 10, 64)
		if err != nil || id == 0 || id == m.self {
			continue
		}
		var n wireNode
		if e.Operation() != jetstream.KeyValuePut || decode(e.Value(), &n) != nil {
			dropped := m.update(func() bool {
				_, ok := m.nodes[id]
				delete(m.nodes, id)
				m.gone[id] = true
				return ok
			})
			if dropped && m.onDrop != nil {
				m.onDrop(id)
			}
			continue
		}
		m.update(func() bool {
			_, ok := m.nodes[id]
			m.nodes[id] = n
			delete(m.gone, id)
			return !ok
		})
	}
}

// update applies change to the table under the lock and wakes the waiters when it
// reports that the set of nodes changed; it returns what change reported.
func (m *membership) update(change func() bool) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if change() {
		close(m.changed)
		m.changed = make(chan struct{})
		return true
	}
	return false
}

// isGone reports whether node id was listed here and then left or expired (and has not
// come back). A node this one never saw is not gone: it may have joined a moment ago.
func (m *membership) isGone(id uint64) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.gone[id]
}

// await blocks until ok accepts the list of live nodes, or ctx ends.
func (m *membership) await(ctx context.Context, ok func(ids []uint64) bool) error {
	for {
		m.mu.RLock()
		ch := m.changed
		m.mu.RUnlock()
		if ok(m.ids()) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for cluster members: %w (live nodes: %v)", ctx.Err(), m.ids())
		}
	}
}

// heartbeat puts the entry again every interval. A put after an expiry lists the node
// again (a node paused for longer than the TTL comes back when it resumes).
func (m *membership) heartbeat(ctx context.Context, value []byte, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := m.kv.Put(ctx, memberKey(m.self), value); err != nil && ctx.Err() == nil {
				m.log.Warn("cluster heartbeat failed", "error", err)
			}
		}
	}
}

// leave deletes this node's entry, so the others drop it at once.
func (m *membership) leave(ctx context.Context) error {
	if err := m.kv.Delete(ctx, memberKey(m.self)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("leave the cluster: %w", err)
	}
	return nil
}

// ids lists the live nodes in ascending order.
func (m *membership) ids() []uint64 {
	m.mu.RLock()
	out := make([]uint64, 0, len(m.nodes))
	for id := range m.nodes {
		out = append(out, id)
	}
	m.mu.RUnlock()
	slices.Sort(out)
	return out
}

// lookup lists the live nodes whose tags hold every key=value pair of query.
func (m *membership) lookup(query string) ([]uint64, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("node query %q: %w", query, err)
	}
	m.mu.RLock()
	var out []uint64
	for id, n := range m.nodes {
		if matches(n.Tags, q) {
			out = append(out, id)
		}
	}
	m.mu.RUnlock()
	slices.Sort(out)
	return out, nil
}

func matches(tags map[string]string, q url.Values) bool {
	for k, vs := range q {
		for _, v := range vs {
			if got, ok := tags[k]; !ok || got != v {
				return false
			}
		}
	}
	return true
}

// info returns the entry of node id.
func (m *membership) info(id uint64) (wireNode, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n, ok := m.nodes[id]
	return n, ok
}

package vm

import (
	"slices"
	"sync"
	"testing"
)

// TestSnapshotWhileChanging reads snapshots while other goroutines link, monitor and
// deliver: under -race this checks the locking, and the final snapshot shows every change.
func TestSnapshotWhileChanging(t *testing.T) {
	p := testProcess()
	p.parent, p.entry, p.dieWhenLinkDies = 7, "worker", true
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		peer := &Process{id: uint64(100 + i), env: p.env}
		p.env.procs[peer.id] = peer
	}
	for i := range n {
		wg.Go(func() {
			peer := p.env.procs[uint64(100+i)]
			peer.Monitor(p.id)
			p.addLink(peer.id, int64(i))
			p.deliver(data(0, byte(i)))
		})
	}
	stop := make(chan struct{})
	var reads sync.WaitGroup
	reads.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			s := p.Snapshot()
			if !slices.IsSorted(s.Links) || !slices.IsSorted(s.Monitors) {
				t.Error("links or monitors not sorted")
				return
			}
		}
	})
	wg.Wait()
	close(stop)
	reads.Wait()

	s := p.Snapshot()
	if s.ID != 1 || s.Parent != 7 || s.Entry != "worker" || !s.DieWhenLinkDies || s.State != StateRunning {
		t.Fatalf("snapshot %+v", s)
	}
	if s.MailboxLen != n || len(s.Links) != n || len(s.Monitors) != n {
		t.Fatalf("mailbox %d, links %d, monitors %d; want %d of each", s.MailboxLen, len(s.Links), len(s.Monitors), n)
	}
	if s.Links[0] != 100 || s.Monitors[n-1] != 100+n-1 {
		t.Fatalf("links %v monitors %v", s.Links, s.Monitors)
	}
	if got := p.env.AppendSnapshots(nil); len(got) != n+1 {
		t.Fatalf("AppendSnapshots gave %d processes, want %d", len(got), n+1)
	}
}

func TestRegistryNamesOf(t *testing.T) {
	r := newRegistry()
	r.Put("b", RegEntry{Node: 0, Process: 3})
	r.Put("a", RegEntry{Node: 0, Process: 3})
	r.Put("other-node", RegEntry{Node: 2, Process: 3})
	r.Put("c", RegEntry{Node: 0, Process: 4})
	if got := r.NamesOf(0, 3); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("NamesOf(0, 3) = %v", got)
	}
	if got := r.NamesOf(0, 9); got != nil {
		t.Fatalf("NamesOf(0, 9) = %v", got)
	}
	names := r.Names()
	names["x"] = RegEntry{}
	if _, ok := r.Get("x"); ok || len(names) != 5 {
		t.Fatal("Names must return a copy")
	}
}

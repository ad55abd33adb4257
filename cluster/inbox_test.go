package cluster

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// inboxNode is a node that only serves messages: serveMessage is called directly, with
// wire messages made by the test.
func inboxNode(t *testing.T) *Node {
	t.Helper()
	n := &Node{rt: hostfuncstest.New(t), log: slog.New(slog.DiscardHandler), id: 1, envs: make(map[uint64]*vm.Environment)}
	n.inbox.partial = make(map[chunkKey]*partialMsg)
	return n
}

// seqReceiver spawns testdata/dist.wasm's seq_recv(count) in environment 1 of n: it
// fails unless it receives count messages whose first 8 bytes count 0, 1, 2, ….
func seqReceiver(t *testing.T, n *Node, count uint64) *vm.Process {
	t.Helper()
	wasm, err := os.ReadFile("testdata/dist.wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := n.rt.Compile(context.Background(), "dist.wasm", wasm)
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Environment(1).Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "seq_recv",
		ParamTypes: []api.ValueType{api.ValueTypeI32}, Params: []uint64{count},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// seqData is a message body whose first 8 bytes are i, size bytes long.
func seqData(i uint64, size int) []byte {
	b := make([]byte, size)
	for k := 0; k < 8; k++ {
		b[k] = byte(i >> (8 * k))
	}
	return b
}

// chunked cuts data into chunks of size bytes, as Node.Send does.
func chunked(to, chunk uint64, data []byte, size int) []wireMessage {
	var out []wireMessage
	for off := 0; off < len(data); off += size {
		end := min(off+size, len(data))
		out = append(out, wireMessage{Env: 1, FromNode: 2, To: to, Data: data[off:end], Chunk: chunk, More: end < len(data), Offset: uint64(off)})
	}
	return out
}

func serve(n *Node, ws ...wireMessage) {
	for i := range ws {
		n.serveMessage(&nats.Msg{Data: encode(&ws[i])})
	}
}

// TestChunkLost: when a chunk of a message is lost on the way (NATS delivers at most
// once), the message is dropped, never delivered with a hole; later messages arrive.
func TestChunkLost(t *testing.T) {
	n := inboxNode(t)
	p := seqReceiver(t, n, 2)
	lossy := chunked(p.ID(), 1, seqData(0, 3000), 1000)
	serve(n, lossy[0], lossy[2]) // the middle chunk is lost
	whole := chunked(p.ID(), 2, seqData(0, 3000), 1000)
	serve(n, whole...)
	serve(n, wireMessage{Env: 1, FromNode: 2, To: p.ID(), Data: seqData(1, 8)})
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatal("the receiver did not end")
	}
	if err := p.Death(); err != nil {
		t.Fatalf("receiver: %v (a message with a hole was delivered)", err)
	}
	if len(n.inbox.partial) != 0 {
		t.Fatalf("%d partial messages left", len(n.inbox.partial))
	}
}

// TestChunkSweep: a message whose remaining chunks never come (the sender died or lost
// them) does not hold its memory for ever: sweep drops it once it is stale.
func TestChunkSweep(t *testing.T) {
	n := inboxNode(t)
	start := time.Now()
	cs := chunked(7, 1, make([]byte, 3000), 1000)
	if _, ok := n.inbox.add(&cs[0], start); ok {
		t.Fatal("a first chunk completed a message")
	}
	if dropped := n.inbox.sweep(start.Add(-time.Second)); dropped != 0 || len(n.inbox.partial) != 1 {
		t.Fatalf("a fresh partial message was swept (%d)", dropped)
	}
	if dropped := n.inbox.sweep(start.Add(time.Second)); dropped != 1 || len(n.inbox.partial) != 0 {
		t.Fatalf("sweep dropped %d, %d left", dropped, len(n.inbox.partial))
	}
	// The rest of that message is dropped too; a message after it still arrives.
	for _, c := range cs[1:] {
		if data, ok := n.inbox.add(&c, start); ok {
			t.Fatalf("a swept message completed with %d bytes", len(data))
		}
	}
	next := chunked(7, 2, seqData(5, 2500), 1000)
	var got []byte
	for i := range next {
		data, ok := n.inbox.add(&next[i], start)
		if ok != (i == len(next)-1) {
			t.Fatalf("chunk %d: complete = %v", i, ok)
		}
		got = data
	}
	if len(got) != 2500 || got[0] != 5 {
		t.Fatalf("reassembled %d bytes starting %v", len(got), got[:1])
	}
}

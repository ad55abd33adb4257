package networkingapi

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/vm"
)

// memoryOnly is a module that exports one page of memory and nothing else
// ((module (memory (export "memory") 1))).
var memoryOnly = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x05, 0x03, 0x01, 0x00, 0x01, // memory section: one memory, min 1 page
	0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, // export "memory"
}

func memoryModule(t *testing.T) api.Module {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { _ = r.Close(ctx) })
	m, err := r.Instantiate(ctx, memoryOnly)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trapOf runs f and returns the trap it threw, or nil.
func trapOf(f func()) (trap *vm.Trap) {
	defer func() {
		if r := recover(); r != nil {
			trap = r.(*vm.Trap)
		}
	}()
	f()
	return nil
}

// TestIovecsBounded: a guest can describe any number of overlapping buffers (here 8,000
// iovecs each covering the whole 64 KiB memory: 500 MiB). One write takes at most
// maxIovecs of them and maxWriteBytes bytes, so what the host builds (and, for TLS or a
// zero timeout, copies) stays small; every entry is still checked.
func TestIovecsBounded(t *testing.T) {
	m := memoryModule(t)
	const count = 8000
	mem := m.Memory()
	for i := uint32(0); i < count; i++ {
		mem.WriteUint32Le(i*8, 0)
		mem.WriteUint32Le(i*8+4, mem.Size())
	}
	bufs := iovecs(m, "test", 0, count)
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	if len(bufs) > maxIovecs || total > maxWriteBytes {
		t.Fatalf("one write took %d buffers, %d bytes; want at most %d and %d", len(bufs), total, maxIovecs, maxWriteBytes)
	}
	if total == 0 {
		t.Fatal("the write took nothing")
	}

	// An entry past the ones a write uses is still checked.
	var last [8]byte
	binary.LittleEndian.PutUint32(last[:], mem.Size()-10)
	binary.LittleEndian.PutUint32(last[4:], 11)
	mem.Write((count-1)*8, last[:])
	trap := trapOf(func() { iovecs(m, "test", 0, count) })
	if trap == nil || !strings.Contains(trap.Msg, "pointer out of bounds (11 bytes at 0xfff6)") {
		t.Fatalf("trap = %v, want one for the last entry", trap)
	}
}

// TestIovecsSmallWrite: buffers within the bounds are taken whole and in order; empty
// ones are skipped.
func TestIovecsSmallWrite(t *testing.T) {
	m := memoryModule(t)
	mem := m.Memory()
	mem.Write(100, []byte("hello, world"))
	entries := [][2]uint32{{100, 5}, {300, 0}, {105, 7}}
	for i, e := range entries {
		mem.WriteUint32Le(uint32(i*8), e[0])
		mem.WriteUint32Le(uint32(i*8+4), e[1])
	}
	bufs := iovecs(m, "test", 0, uint32(len(entries)))
	if len(bufs) != 2 || string(bufs[0]) != "hello" || string(bufs[1]) != ", world" {
		t.Fatalf("bufs = %q", bufs)
	}
}

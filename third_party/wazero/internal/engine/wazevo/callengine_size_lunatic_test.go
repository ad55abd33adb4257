package wazevo

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestCallEngineSize checks that a callEngine still fits the 896-byte allocation class
// on amd64 (lunatic patch: every live instance holds one; 1,024 bytes before), with the
// 8-byte header the Go heap puts on objects of more than 512 bytes that hold pointers.
// Other architectures have a larger register save area, 16 bytes per slot beyond 32.
func TestCallEngineSize(t *testing.T) {
	limit := uintptr(896 - 8 + (numSavedRegisters-32)*16)
	if n := unsafe.Sizeof(callEngine{}); n > limit {
		t.Fatalf("callEngine is %d bytes on %s, more than %d", n, runtime.GOARCH, limit)
	}
}

// TestCallEngineRareLazy checks that the part of a callEngine used by stack traces and
// exception handling is allocated on first use, and that clearing try handlers without
// it does nothing.
func TestCallEngineRareLazy(t *testing.T) {
	c := &callEngine{}
	c.clearTryHandlers()
	if c.rare != nil {
		t.Fatal("clearTryHandlers allocated the rare part")
	}
	if c.doHandleException(nil) {
		t.Fatal("an exception was handled without try handlers")
	}
	r := c.getRare()
	if r == nil || c.getRare() != r {
		t.Fatal("getRare does not keep its allocation")
	}
	r.tryHandlers = append(r.tryHandlers, tryHandler{})
	c.clearTryHandlers()
	if len(c.rare.tryHandlers) != 0 {
		t.Fatal("clearTryHandlers left handlers")
	}
}

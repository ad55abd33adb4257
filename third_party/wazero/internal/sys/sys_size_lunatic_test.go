package sys

import (
	"testing"
	"unsafe"
)

// TestContextSize checks that a Context stays in the 160-byte allocation class
// (lunatic patch: every instance holds one; 168 bytes, class 176, before).
func TestContextSize(t *testing.T) {
	if n := unsafe.Sizeof(Context{}); n > 160 {
		t.Fatalf("Context is %d bytes, more than 160", n)
	}
}

//go:build !(linux && amd64)

package tickthread

import "errors"

// Supported reports whether Start can start a thread here.
const Supported = false

// Thread is the thread of tickthread_linux_amd64.go, which other systems and
// architectures lack: callers read with goroutines there.
type Thread struct{}

// Start fails: there is no tick thread here.
func Start(int, *uint64, *Table) (*Thread, error) {
	return nil, errors.New("no tick thread on this system or architecture")
}

// End does nothing.
func (*Thread) End() {}

// Running reports false.
func (*Thread) Running() bool { return false }

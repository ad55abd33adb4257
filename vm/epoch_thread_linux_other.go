//go:build linux && !amd64

package vm

import "errors"

// readerThread is the thread of epoch_thread_linux_amd64.go, which other architectures
// lack: their watchdog reads with goroutines.
type readerThread struct{}

func startReaderThread(int, *uint64) (*readerThread, error) {
	return nil, errors.New("no reader thread on this architecture")
}

func (*readerThread) end() {}

func (*readerThread) running() bool { return false }

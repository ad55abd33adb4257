//go:build !linux

package networkingapi

import "github.com/lunatic-go/lunatic/vm"

// readWait performs one read of a plain TCP stream, waiting within the read deadline
// already set; the caller holds rl.
func (s *stream) readWait(p *vm.Process, b []byte) (int, error) {
	w := begin(p, s, dirRead)
	n, err := s.tcp.Read(b)
	w.end(p)
	return n, err
}

// writeWait writes all of bufs (total bytes) to a plain TCP stream within the write
// deadline already set; the caller holds wl.
func (s *stream) writeWait(p *vm.Process, bufs [][]byte, total int) (int, error) {
	w := begin(p, s, dirWrite)
	n, err := s.writeAll(bufs, total)
	w.end(p)
	return n, err
}

// rawOp is unused outside Linux.
type rawOp struct{}

func newRawOps(*stream) (r, w *rawOp) { return nil, nil }

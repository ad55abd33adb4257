package testharness

import (
	"bytes"
	"io"
	"sync"
)

// capture collects everything the processes of one test write to stdout and stderr, in
// the order the writes happen. Children spawned by the test inherit its streams, so their
// output lands here too and never in another test's capture.
type capture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

// Bytes returns a copy of what was written so far.
func (c *capture) Bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes())
}

// teeWriter copies every write to a capture and to a live stream (--nocapture). A failing
// live stream does not fail the guest's write.
type teeWriter struct {
	capture *capture
	live    io.Writer
}

func (t teeWriter) Write(p []byte) (int, error) {
	_, _ = t.live.Write(p)
	return t.capture.Write(p)
}

// lockedWriter serialises the writes of tests running at the same time and of the
// reporter to one stream, so that no write is split by another.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

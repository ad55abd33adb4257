package sqlite

import (
	"fmt"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
)

// cView returns n bytes of C memory at p as a Go slice without copying. The
// slice is valid only until SQLite reuses the memory (the next call on the
// same statement or connection).
func cView(p uintptr, n int) []byte {
	if p == 0 || n <= 0 {
		return nil
	}
	return libc.GoBytes(p, n)
}

// cPtr reads the pointer stored at C address p (an out-parameter of SQLite).
func cPtr(p uintptr) uintptr {
	return *(*uintptr)(unsafe.Add(nil, p))
}

// cBuf is a growable scratch buffer in C memory, owned by one connection. It
// carries SQL text and bound text/blob bytes into SQLite, which copies what it
// keeps (prepare_v2 keeps its own copy of the SQL; binds use SQLITE_TRANSIENT).
type cBuf struct {
	p   uintptr
	cap int
}

// load copies b into the buffer, adding a NUL terminator when nul is set, and
// returns the C address. The address is never 0, even for empty b, because
// SQLite binds a NULL pointer as SQL NULL.
func (c *cBuf) load(tls *libc.TLS, b []byte, nul bool) (uintptr, error) {
	need := len(b) + 1
	if need > c.cap {
		n := max(need, 2*c.cap, 256)
		p := libc.Xrealloc(tls, c.p, types.Size_t(n))
		if p == 0 {
			return 0, fmt.Errorf("sqlite: cannot allocate %d bytes of C memory", n)
		}
		c.p, c.cap = p, n
	}
	dst := cView(c.p, need)
	copy(dst, b)
	if nul {
		dst[len(b)] = 0
	}
	return c.p, nil
}

// free releases the buffer.
func (c *cBuf) free(tls *libc.TLS) {
	if c.p != 0 {
		libc.Xfree(tls, c.p)
		c.p, c.cap = 0, 0
	}
}

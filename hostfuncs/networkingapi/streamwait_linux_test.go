package networkingapi

import (
	"io"
	"os"
	"testing"
)

// TestWriteFrom: writeFrom sends what follows the skipped bytes of a list of buffers,
// with one buffer (write) and several (writev), beyond the buffers it describes on the
// stack.
func TestWriteFrom(t *testing.T) {
	var bufs [][]byte
	var all []byte
	for i := range stackIovecs + 3 {
		b := []byte{byte('a' + i), byte('A' + i)}
		bufs = append(bufs, b)
		all = append(all, b...)
	}
	for _, skip := range []int{0, 1, 2, 5, len(all) - 3, len(all) - 1} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		n, err := writeFrom(int(w.Fd()), bufs, skip)
		_ = w.Close()
		got, rerr := io.ReadAll(r)
		_ = r.Close()
		if err != nil || rerr != nil {
			t.Fatalf("skip %d: writeFrom: %v; read: %v", skip, err, rerr)
		}
		if want := all[skip:]; n != len(want) || string(got) != string(want) {
			t.Errorf("skip %d: wrote %d bytes %q, want %q", skip, n, got, want)
		}
	}
}

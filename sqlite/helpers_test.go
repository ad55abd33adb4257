package sqlite

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex turns "01 00 0a" (spaces and newlines ignored) into bytes.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// ok fails the test at once on a non-nil error.
func ok(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// memConn opens a private in-memory database, closed at the end of the test.
func memConn(t testing.TB) *Conn {
	t.Helper()
	c, err := Open(":memory:", Options{})
	ok(t, err, "open :memory:")
	t.Cleanup(func() { c.Close() })
	return c
}

// prepare prepares sql on c, failing the test on error.
func prepare(t testing.TB, c *Conn, sql string) *Stmt {
	t.Helper()
	s, err := c.Prepare(sql)
	ok(t, err, "prepare "+sql)
	return s
}

// step steps s and checks the result code.
func step(t testing.TB, s *Stmt, want int) {
	t.Helper()
	rc, err := s.Step()
	if err != nil || rc != want {
		t.Fatalf("step = %d, %v; want %d", rc, err, want)
	}
}

package sqlite_test

import (
	"fmt"

	"github.com/lunatic-go/lunatic/sqlite"
)

// A guest's client.query("SELECT ...") as the host functions run it: prepare,
// bind the (empty) list, step and read rows until done, finalize.
func ExampleSession() {
	s := sqlite.NewSession(sqlite.Options{})
	defer s.Close()

	conn, err := s.Open(":memory:")
	if err != nil {
		panic(err)
	}
	code, _ := s.Execute(conn, []byte("CREATE TABLE t(n INTEGER, s TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two')"))
	fmt.Println("execute:", code)

	st, _ := s.Prepare(conn, []byte("SELECT n, s FROM t WHERE n >= ?"))
	bind, _ := sqlite.AppendBindList(nil, []sqlite.BindPair{sqlite.At(1, sqlite.Int(1))})
	fmt.Printf("bind_value: % x\n", bind)
	if err := s.BindValue(st, bind); err != nil {
		panic(err)
	}
	for {
		rc, err := s.Step(st)
		if err != nil {
			panic(err) // the ABI traps
		}
		if rc == sqlite.CodeDone {
			break
		}
		b, _ := s.ReadRow(nil, st) // what the guest receives
		row, _ := sqlite.DecodeRow(b)
		fmt.Println("read_row:", row)
	}
	_ = s.Finalize(st)

	code, _ = s.Execute(conn, []byte("SELECT * FROM missing"))
	b, _ := s.LastError(nil, conn)
	rec, _ := sqlite.DecodeErrorRecord(b)
	fmt.Println("execute:", code, "last_error:", rec.Code, rec.Message)
	// Output:
	// execute: 0
	// bind_value: 01 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 04 00 00 00 01 00 00 00
	// read_row: [Integer(1) Text("one")]
	// read_row: [Integer(2) Text("two")]
	// execute: 1 last_error: 1 no such table: missing
}

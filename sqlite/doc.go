// Package sqlite is the SQLite engine behind the lunatic::sqlite host
// functions: connections, prepared statements and the bincode wire format of
// docs/abi/sqlite.md, on modernc.org/sqlite (SQLite translated to Go, no
// cgo). It knows nothing about wasm. The host package (hostfuncs/sqliteapi)
// reads guest memory, calls one method of a per-process Session and copies
// the result back into guest memory.
//
// # Using it from a host function
//
//	s := sqlite.NewSession(sqlite.Options{}) // one per process; s.Close() when it ends
//
//	// open(path_ptr, path_len, conn_id_ptr) -> i64
//	if err := sqlite.CheckAccess(cwd, path, preopenedHostDirs); err != nil { /* error id, return 1 */ }
//	id, err := s.Open(path) // err: error id, return 1; else write id, return 0
//
//	// read_row(stmt_id, len_ptr) -> i32
//	b, err := s.ReadRow(scratch[:0], stmtID) // err: trap
//	// ptr := lunatic_alloc(len(b)); copy b to ptr; write u64(len(b)) at len_ptr; return ptr
//
// # ABI function → Go call
//
// Every error returned by these calls means "trap", except where noted.
//
//	open(path_ptr, path_len, conn_id_ptr) -> i64     CheckAccess(cwd, path, preopens), then Session.Open(path) (id, err)
//	                                                 errors of both become error resources (return 1); the host
//	                                                 traps on bad memory and on a path that is not UTF-8
//	execute(conn_id, sql_ptr, sql_len) -> i32        Session.Execute(connID, sql []byte) (code uint32, err)
//	                                                 code: 0 or the primary SQLite code; err only for traps
//	query_prepare(conn_id, sql_ptr, sql_len) -> i64  Session.Prepare(connID, sql []byte) (stmtID, err)
//	bind_value(stmt_id, data_ptr, data_len)          Session.BindValue(stmtID, data []byte) err
//	sqlite3_step(stmt_id) -> i32                     Session.Step(stmtID) (100 | 101, err)
//	statement_reset(stmt_id)                         Session.Reset(stmtID) err
//	sqlite3_finalize(stmt_id)                        Session.Finalize(stmtID) err
//	sqlite3_changes(conn_id) -> i32                  Session.Changes(connID) (uint32, err)
//	column_count(stmt_id) -> i32                     Session.ColumnCount(stmtID) (uint32, err)
//	read_column(stmt_id, col, len_ptr) -> i32        Session.ReadColumn(dst, stmtID, col) ([]byte, err)   bincode SqliteValue
//	read_row(stmt_id, len_ptr) -> i32                Session.ReadRow(dst, stmtID) ([]byte, err)           bincode SqliteRow
//	column_names(stmt_id, len_ptr) -> i32            Session.ColumnNames(dst, stmtID) ([]byte, err)       bincode Vec<String>
//	column_name(stmt_id, col, len_ptr) -> i32        Session.ColumnName(dst, stmtID, col) ([]byte, err)   raw UTF-8, no prefix
//	last_error(conn_id, len_ptr) -> i32              Session.LastError(dst, connID) ([]byte, err)         bincode SqliteError
//
// The five calls that return bytes append to dst (nil or a reused buffer) and
// leave the guest side to the host: call the guest's lunatic_alloc(len),
// copy the bytes there, write len as 8 little-endian bytes at len_ptr and
// return the pointer (docs/abi/sqlite.md, "Results of variable size"), also when len is 0.
//
// # Layers
//
// Conn and Stmt wrap one SQLite connection and statement (Open, Exec,
// Prepare, Bind, BindList, Step, Column, ReadColumn, ReadRow, Reset,
// Finalize, Changes, LastError, Interrupt); errors from SQLite are *Error
// values carrying the extended result code and message. Session adds the
// per-process id tables of the ABI (ids from 0, never reused) and the
// wire-format entry points. The wire format itself is the Append*/Decode*
// functions: BindList, SqliteValue, SqliteRow, Vec<String> and SqliteError in
// bincode 1.3's legacy layout (u32 variant indexes, u64 lengths, trailing
// bytes accepted on decode).
//
// # Behaviour kept from lunatic on purpose
//
//   - query_prepare compiles only the first statement; empty SQL gives a
//     statement whose first Step fails (SQLITE_MISUSE).
//   - A named bind key binds parameter 1, whatever the name.
//   - INTEGER columns read as variant 4 Integer(i64), never 5.
//   - read_column/read_row read TEXT as a C string: cut at the first NUL and
//     with ill-formed UTF-8 replaced as Rust's from_utf8_lossy does. Stmt.Column
//     returns the exact bytes for callers that are not the ABI.
//   - execute and last_error report primary result codes.
//   - SQL containing a NUL byte fails with SQLITE_ERROR before SQLite sees it.
//
// # Concurrency
//
// Conn and Stmt methods lock their connection, so a Session may be used from
// any goroutine. Several connections — in one OS process or many — may use
// one database file: Open puts it in WAL mode with synchronous=NORMAL and sets
// a busy timeout (DefaultBusyTimeout), so concurrent writers queue instead of
// failing. Open also retries the switch into WAL, which SQLite does not cover
// with the busy handler. Inside explicit transactions SQLite can still return
// SQLITE_BUSY without waiting (a read transaction that later writes);
// guests that write in a transaction should use BEGIN IMMEDIATE.
//
// The busy wait is a Go busy handler, not sqlite3_busy_timeout, so that
// Conn.Abort and Session.Abort (for a killed process) can end it at once;
// they also stop running statements and every later one.
package sqlite

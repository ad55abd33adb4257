package sqliteapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/internal/guestmem"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/sqlite"
	"github.com/lunatic-go/lunatic/vm"
)

// trapOn traps the caller of fn when err is set.
func trapOn(fn string, err error) {
	if err != nil {
		vm.Throw(fn, "%v", err)
	}
}

// conn returns the caller's session after checking that connection id exists.
func conn(ctx context.Context, fn string, id uint64) (*vm.Process, *sqlite.Session) {
	p := hostfunc.Caller(ctx, fn)
	s := session(p)
	_, err := s.Conn(id)
	trapOn(fn, err)
	return p, s
}

// stmt returns the caller's session after checking that statement id exists.
func stmt(ctx context.Context, fn string, id uint64) (*vm.Process, *sqlite.Session) {
	p := hostfunc.Caller(ctx, fn)
	s := session(p)
	_, err := s.Stmt(id)
	trapOn(fn, err)
	return p, s
}

// execute(conn_id, sql_ptr, sql_len) -> i32: 0 or SQLite's primary result code.
func execute(ctx context.Context, fn string, m api.Module, stack []uint64) {
	p, s := conn(ctx, fn, stack[0])
	sql := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	code, err := s.Execute(stack[0], sql)
	p.CheckAlive() // a kill aborts the statement: report the kill, not its code
	trapOn(fn, err)
	stack[0] = uint64(code)
}

// query_prepare(conn_id, sql_ptr, sql_len) -> i64: a statement id; any
// preparation error traps.
func queryPrepare(ctx context.Context, fn string, m api.Module, stack []uint64) {
	_, s := conn(ctx, fn, stack[0])
	sql := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	id, err := s.Prepare(stack[0], sql)
	trapOn(fn, err)
	stack[0] = id
}

// bind_value(stmt_id, data_ptr, data_len): binds a bincode BindList; a
// malformed list or a failing bind traps.
func bindValue(ctx context.Context, fn string, m api.Module, stack []uint64) {
	_, s := stmt(ctx, fn, stack[0])
	data := guestmem.View(m, fn, uint32(stack[1]), uint32(stack[2]))
	trapOn(fn, s.BindValue(stack[0], data))
}

// sqlite3_step(stmt_id) -> i32: 100 (row) or 101 (done); anything else traps.
func step(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p, s := stmt(ctx, fn, stack[0])
	rc, err := s.Step(stack[0])
	p.CheckAlive()
	trapOn(fn, err)
	stack[0] = uint64(uint32(rc))
}

// statement_reset(stmt_id): rewinds the statement, keeping its bindings.
func statementReset(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	_, s := stmt(ctx, fn, stack[0])
	trapOn(fn, s.Reset(stack[0]))
}

// sqlite3_finalize(stmt_id): destroys the statement; an unknown id traps.
func finalize(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	_, s := stmt(ctx, fn, stack[0])
	trapOn(fn, s.Finalize(stack[0]))
}

// sqlite3_changes(conn_id) -> i32: rows changed by the last INSERT, UPDATE or DELETE.
func changes(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	_, s := conn(ctx, fn, stack[0])
	n, err := s.Changes(stack[0])
	trapOn(fn, err)
	stack[0] = uint64(n)
}

// column_count(stmt_id) -> i32: the number of result columns.
func columnCount(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	_, s := stmt(ctx, fn, stack[0])
	n, err := s.ColumnCount(stack[0])
	trapOn(fn, err)
	stack[0] = uint64(n)
}

package sqliteapi

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/sqlite"
	"github.com/lunatic-go/lunatic/vm"
)

// The functions below return data of unknown size in memory from the guest's
// lunatic_alloc (giveBytes). Each builds its bytes with one Session call
// into the process's scratch buffer.

// result runs produce on the caller's session and hands its bytes to the
// guest, trapping on error. lookup checks the id first (conn or stmt).
func result(ctx context.Context, m api.Module, stack []uint64, fn string,
	lookup func(context.Context, string, uint64) (*vm.Process, *sqlite.Session),
	lenPtr uint32, produce func(s *sqlite.Session, dst []byte) ([]byte, error)) {
	p, s := lookup(ctx, fn, stack[0])
	b, err := produce(s, takeBuf(p))
	trapOn(fn, err)
	stack[0] = giveBytes(ctx, p, m, fn, lenPtr, b)
	giveBuf(p, b)
}

// read_column(stmt_id, col, len_ptr) -> i32: a bincode SqliteValue.
func readColumn(ctx context.Context, fn string, m api.Module, stack []uint64) {
	id, col := stack[0], uint32(stack[1])
	result(ctx, m, stack, fn, stmt, uint32(stack[2]), func(s *sqlite.Session, dst []byte) ([]byte, error) {
		return s.ReadColumn(dst, id, col)
	})
}

// read_row(stmt_id, len_ptr) -> i32: a bincode SqliteRow.
func readRow(ctx context.Context, fn string, m api.Module, stack []uint64) {
	id := stack[0]
	result(ctx, m, stack, fn, stmt, uint32(stack[1]), func(s *sqlite.Session, dst []byte) ([]byte, error) {
		return s.ReadRow(dst, id)
	})
}

// column_names(stmt_id, len_ptr) -> i32: a bincode Vec<String>.
func columnNames(ctx context.Context, fn string, m api.Module, stack []uint64) {
	id := stack[0]
	result(ctx, m, stack, fn, stmt, uint32(stack[1]), func(s *sqlite.Session, dst []byte) ([]byte, error) {
		return s.ColumnNames(dst, id)
	})
}

// column_name(stmt_id, col, len_ptr) -> i32: the raw UTF-8 name, no prefix.
func columnName(ctx context.Context, fn string, m api.Module, stack []uint64) {
	id, col := stack[0], uint32(stack[1])
	result(ctx, m, stack, fn, stmt, uint32(stack[2]), func(s *sqlite.Session, dst []byte) ([]byte, error) {
		return s.ColumnName(dst, id, col)
	})
}

// last_error(conn_id, len_ptr) -> i32: a bincode SqliteError
// {code: Option<u32>, message: Option<String>}; 00 00 when nothing failed.
func lastError(ctx context.Context, fn string, m api.Module, stack []uint64) {
	id := stack[0]
	result(ctx, m, stack, fn, conn, uint32(stack[1]), func(s *sqlite.Session, dst []byte) ([]byte, error) {
		return s.LastError(dst, id)
	})
}

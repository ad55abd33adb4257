// Package sqliteapi implements the lunatic::sqlite host module
// (docs/abi/sqlite.md): SQLite databases for guests, through the
// connection and statement tables of package sqlite. The host functions here
// only move bytes between guest memory and a per-process sqlite.Session; the
// engine and the bincode wire format live in package sqlite.
//
// Every function of the module is provided, whether or not lunatic-rs calls
// it. Guest misuse (an unknown id, bad memory, SQL that does not prepare, a
// failing step or bind, a missing lunatic_alloc) traps the calling process
// only; execute returns SQLite's primary result code and last_error explains
// it ("00 00", no error, when nothing failed).
//
// open takes host paths. ":memory:" is always allowed; anything else must lie
// inside one of the process's preopened directories, checked lexically as
// the original does and again after resolving symbolic links (see permit).
//
// A process's connections and statements are closed when it ends, and a kill
// aborts whatever SQLite call it is in, including a wait for another
// process's lock.
package sqliteapi

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleSqlite

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "open", Params: "path_ptr i32, path_len i32, conn_id_ptr i32", Results: "i64", Fn: open},
	{Name: "query_prepare", Params: "conn_id i64, sql_ptr i32, sql_len i32", Results: "i64", Fn: queryPrepare},
	{Name: "execute", Params: "conn_id i64, sql_ptr i32, sql_len i32", Results: "i32", Fn: execute},
	{Name: "bind_value", Params: "stmt_id i64, data_ptr i32, data_len i32", Fn: bindValue},
	{Name: "sqlite3_changes", Params: "conn_id i64", Results: "i32", Fn: changes},
	{Name: "statement_reset", Params: "stmt_id i64", Fn: statementReset},
	{Name: "last_error", Params: "conn_id i64, len_ptr i32", Results: "i32", Fn: lastError},
	{Name: "sqlite3_finalize", Params: "stmt_id i64", Fn: finalize},
	{Name: "sqlite3_step", Params: "stmt_id i64", Results: "i32", Fn: step},
	{Name: "read_column", Params: "stmt_id i64, col i32, len_ptr i32", Results: "i32", Fn: readColumn},
	{Name: "column_names", Params: "stmt_id i64, len_ptr i32", Results: "i32", Fn: columnNames},
	{Name: "read_row", Params: "stmt_id i64, len_ptr i32", Results: "i32", Fn: readRow},
	{Name: "column_count", Params: "stmt_id i64", Results: "i32", Fn: columnCount},
	{Name: "column_name", Params: "stmt_id i64, col i32, len_ptr i32", Results: "i32", Fn: columnName},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}

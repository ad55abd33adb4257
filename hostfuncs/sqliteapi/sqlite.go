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

const ns = ModuleName + "::"

type t = []api.ValueType

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// Functions lists the host functions in ABI order.
var Functions = []hostfunc.Func{
	{Name: "open", Params: t{i32, i32, i32}, ParamNames: []string{"path_ptr", "path_len", "conn_id_ptr"}, Results: t{i64}, Fn: open},
	{Name: "query_prepare", Params: t{i64, i32, i32}, ParamNames: []string{"conn_id", "sql_ptr", "sql_len"}, Results: t{i64}, Fn: queryPrepare},
	{Name: "execute", Params: t{i64, i32, i32}, ParamNames: []string{"conn_id", "sql_ptr", "sql_len"}, Results: t{i32}, Fn: execute},
	{Name: "bind_value", Params: t{i64, i32, i32}, ParamNames: []string{"stmt_id", "data_ptr", "data_len"}, Fn: bindValue},
	{Name: "sqlite3_changes", Params: t{i64}, ParamNames: []string{"conn_id"}, Results: t{i32}, Fn: changes},
	{Name: "statement_reset", Params: t{i64}, ParamNames: []string{"stmt_id"}, Fn: statementReset},
	{Name: "last_error", Params: t{i64, i32}, ParamNames: []string{"conn_id", "len_ptr"}, Results: t{i32}, Fn: lastError},
	{Name: "sqlite3_finalize", Params: t{i64}, ParamNames: []string{"stmt_id"}, Fn: finalize},
	{Name: "sqlite3_step", Params: t{i64}, ParamNames: []string{"stmt_id"}, Results: t{i32}, Fn: step},
	{Name: "read_column", Params: t{i64, i32, i32}, ParamNames: []string{"stmt_id", "col", "len_ptr"}, Results: t{i32}, Fn: readColumn},
	{Name: "column_names", Params: t{i64, i32}, ParamNames: []string{"stmt_id", "len_ptr"}, Results: t{i32}, Fn: columnNames},
	{Name: "read_row", Params: t{i64, i32}, ParamNames: []string{"stmt_id", "len_ptr"}, Results: t{i32}, Fn: readRow},
	{Name: "column_count", Params: t{i64}, ParamNames: []string{"stmt_id"}, Results: t{i32}, Fn: columnCount},
	{Name: "column_name", Params: t{i64, i32, i32}, ParamNames: []string{"stmt_id", "col", "len_ptr"}, Results: t{i32}, Fn: columnName},
}

// Export adds the module's functions to b.
func Export(b wazero.HostModuleBuilder) { hostfunc.ExportFuncs(b, Functions) }

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.InstantiateFuncs(ctx, r, ModuleName, Functions)
}
